// remotes/azure/azure_blob_remote.h — AzureRemote, the Remote implementation for Azure Blob
// Storage (internal to remotes/azure). Its methods live in one file per concern:
// azure_blob_remote.cc (objects, containers, links), azure_listing.cc, azure_upload.cc,
// azure_copy.cc, azure_copy_from_url.cc. Immutable after construction but for the cached user
// delegation key (bearer mode), which locks itself: safe to call from many threads at once.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "remotes/azure/azure_client.h"
#include "remotes/azure/azure_options.h"
#include "remotes/azure/delegation_keys.h"
#include "remotes/remote.h"

namespace cpsync::azure {

inline constexpr uint64_t kMaxBlockSize = 4000ull << 20;  // Put Block
inline constexpr uint64_t kMaxBlocks = 50000;
inline constexpr uint64_t kMaxPutBlob = 5000ull << 20;  // what Put Blob accepts

// The id of block `part` holding bytes whose MD5 is md5_raw (16 bytes): base64 of
// "cpsync" + 10-digit part number + the raw MD5, always 32 bytes before encoding (Azure wants
// one length per blob). Equal ids mean equal part and content, so a resumed upload can keep
// a stored block without reading it back (azure_pending.cc).
std::string block_id(uint32_t part, const std::string& md5_raw);
// The part number a block id of block_id's form names; nullopt for any other id.
std::optional<uint32_t> part_of_block_id(const std::string& id);

class AzureRemote;

// Put Block List of ids (in order) on ref with the blob's content headers (as given), user
// metadata and, when known, its whole MD5 (base64) as x-ms-blob-content-md5; the stored
// blob's info (size as given). Shared by block uploads and copies from URLs.
Result<ObjectInfo> commit_block_list(const AzureRemote& remote, const ObjectRef& ref,
                                     const std::vector<std::string>& ids, uint64_t size,
                                     const ContentHeaders& content, const Metadata& meta,
                                     const std::optional<std::string>& md5_b64);

class AzureRemote final : public Remote {
 public:
  explicit AzureRemote(AzureOptions o);

  const Features& features() const override { return features_; }
  const std::string& name() const override { return client_.options().remote_name; }

  Status list(const ListRequest& req, const PageSink& sink) override;
  Result<ObjectInfo> stat(const ObjectRef& ref) override;
  Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) override;
  Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                         const UploadOptions& opts) override;
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                               const UploadOptions& opts) override;
  Result<std::unique_ptr<Upload>> continue_upload(const ObjectRef& ref, const std::string& handle,
                                                  const UploadOptions& opts) override;
  Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                      const ObjectInfo& src_info) override;
  Status remove(const ObjectRef& ref) override;
  Status list_buckets(const PageSink& sink) override;
  Status make_bucket(const std::string& bucket) override;
  Status remove_bucket(const std::string& bucket) override;
  Result<std::string> link(const ObjectRef& ref, std::chrono::seconds expires) override;
  // Put Blob From URL, or Put Block From URL in parallel + Put Block List
  // (azure_copy_from_url.cc).
  Result<ObjectInfo> copy_from_url(const UrlCopySource& src, const ObjectRef& dst,
                                   const UploadOptions& opts) override;
  std::string endpoint_id() const override;
  std::string service_url() const override { return client_.options().endpoint; }
  // Blobs that exist only as uncommitted blocks, and discarding them (azure_pending.cc).
  Status list_pending_uploads(const std::string& bucket, const std::string& prefix,
                              std::vector<PendingUpload>& out) override;
  Status abort_pending_upload(const std::string& bucket, const PendingUpload& u) override;

  // Resume support (azure_pending.cc): the blob's uncommitted blocks (base64 id -> size);
  // empty when the blob has none or does not exist.
  Result<std::map<std::string, uint64_t>> uncommitted_blocks(const ObjectRef& ref) const;

  const AzureClient& client() const { return client_; }
  // invalid_argument naming the remote when the container or key is missing.
  Status check_ref(const ObjectRef& ref, bool need_key) const;
  // A URL another request may read `ref` from (Copy Blob source): SAS mode appends the
  // configured token; SharedKey mode a fresh read-only service SAS for `valid` time.
  Result<std::string> readable_url(const ObjectRef& ref, std::chrono::seconds valid) const;
  // A read-only user delegation SAS URL (bearer mode), signed with the remote's cached
  // delegation key (asked for once, renewed before it runs out).
  Result<std::string> delegation_link(const ObjectRef& ref, std::chrono::seconds expires) const;

 private:
  AzureClient client_;
  Features features_;
  std::unique_ptr<DelegationKeyCache> keys_;
};

}  // namespace cpsync::azure
