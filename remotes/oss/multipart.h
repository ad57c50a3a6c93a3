// remotes/oss/multipart.h — one OSS multipart upload: Initiate, UploadPart (the CRC-64 OSS
// returns compared with ours; Content-MD5 too with part_checksum = md5; from many threads),
// UploadPartCopy, Complete (parts in order, the object's CRC-64 compared with the parts' combined
// CRC) and Abort. Destroying an upload that was neither committed nor aborted aborts it.
// write_part/copy_part are thread-safe; commit/abort are called once, after all parts. A
// whole-object MD5 learnt only during the upload (set_whole_md5) is added after Complete by copying
// the object onto itself with its headers replaced, md5chksum included (CopyObject: up to 1 GiB).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "remotes/oss/client.h"
#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/pending_xml.h"

namespace cpsync::oss {

using s3compat::ListedPart;

class OssUpload : public Upload {
 public:
  // Sends InitiateMultipartUpload with the object's metadata headers.
  static Result<std::unique_ptr<OssUpload>> start(const OssClient& client, const ObjectRef& ref,
                                                  const Headers& object_headers, Metadata metadata);
  // Continues an unfinished upload that holds `stored` parts (found by pending.cc):
  // write_part keeps a stored part that holds exactly the bytes given (same size and MD5).
  static std::unique_ptr<OssUpload> adopt(const OssClient& client, const ObjectRef& ref,
                                          std::string upload_id, const Headers& object_headers,
                                          Metadata metadata, std::map<uint32_t, ListedPart> stored);
  // An upload another writer began (Remote::continue_upload): never aborted by the
  // destructor; commit() takes the parts the others stored (ListParts).
  static std::unique_ptr<OssUpload> shared(const OssClient& client, const ObjectRef& ref,
                                           std::string upload_id, const Headers& object_headers,
                                           Metadata metadata);
  ~OssUpload() override;

  Status write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) override;
  Status write_summed_part(uint32_t part_number, uint64_t offset, const char* data, size_t len,
                           const PartSums& sums) override;
  // UploadPartCopy: part part_number becomes bytes [first, first + len) of src, while src has the
  // ETag if_match ("" = any).
  Status copy_part(uint32_t part_number, const ObjectRef& src, uint64_t first, uint64_t len,
                   const std::string& if_match);
  Result<ObjectInfo> commit() override;
  Status abort() override;
  uint64_t reused_bytes() const override { return reused_; }
  void set_whole_md5(const std::string& raw) override { whole_md5_ = raw; }
  void keep_for_resume() override {
    std::lock_guard lock(mu_);
    done_ = true;  // left for a later resume: the destructor does not abort
  }
  const std::string& upload_id() const { return upload_id_; }
  std::string handle() const override { return upload_id_; }

 private:
  OssUpload(const OssClient& client, ObjectRef ref, std::string upload_id, Headers object_headers,
            Metadata metadata)
      : client_(client),
        ref_(std::move(ref)),
        upload_id_(std::move(upload_id)),
        object_headers_(std::move(object_headers)),
        metadata_(std::move(metadata)) {}
  struct Part {
    std::string etag;  // unquoted
    uint64_t crc = 0;
    uint64_t size = 0;
    bool crc_known = false;  // false: part_checksum = none, nothing to combine
  };
  std::string what() const { return client_.describe(ref_.bucket, ref_.key); }
  s3compat::Endpoint endpoint() const;  // the client's pipeline on OSS's dialect

  const OssClient client_;  // a copy: the upload may outlive its remote
  const ObjectRef ref_;
  const std::string upload_id_;
  const Headers object_headers_;  // Content-Type and x-oss-meta-* the upload began with
  const Metadata metadata_;
  const PartCheck check_ = client_.options().part_check;  // crc64_ecma, md5 or none
  std::string whole_md5_;                                 // raw, from set_whole_md5

  Status add_md5_by_self_copy(ObjectInfo& info);
  std::mutex mu_;
  std::map<uint32_t, Part> parts_;
  bool done_ = false;                      // committed, aborted or kept for a resume
  std::map<uint32_t, ListedPart> stored_;  // set once by adopt(), then read-only
  bool shared_ = false;                    // set once by shared(): others write parts too
  std::atomic<uint64_t> reused_{0};
};

}  // namespace cpsync::oss
