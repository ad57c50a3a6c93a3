// remotes/azure/azure_upload.cc — block uploads: Put Block per part (base64 ids of one fixed
// length, Content-MD5 on each), parts in parallel from many threads, then Put Block List in
// part order with the metadata and, when the caller knows it (md5chksum), the whole-object
// MD5 as x-ms-blob-content-md5. Nothing is visible before the commit; an aborted upload
// leaves only uncommitted blocks, which Azure discards (after a week, or when the blob is
// next committed) and which no listing or read ever shows.
#include <map>
#include <mutex>
#include <random>

#include "core/crypto.h"
#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"
#include "remotes/azure/azure_xml.h"

namespace cpsync::azure {
namespace {

// 16 hex digits that tell this upload's blocks from any other upload's to the same blob.
std::string upload_nonce() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

class AzureBlockUpload final : public Upload {
 public:
  AzureBlockUpload(AzureRemote& remote, ObjectRef ref, Metadata meta,
                   std::optional<std::string> md5_b64, std::string content_type)
      : remote_(remote),
        ref_(std::move(ref)),
        meta_(std::move(meta)),
        md5_b64_(std::move(md5_b64)),
        content_type_(std::move(content_type)),
        nonce_(upload_nonce()) {}

  // "cpsync" + nonce + 10-digit part number: always 32 bytes, so every id has one length.
  std::string block_id(uint32_t part) const {
    char num[11];
    std::snprintf(num, sizeof num, "%010u", part);
    return base64_encode("cpsync" + nonce_ + num);
  }

  Status write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) override {
    (void)offset;
    const std::string label = remote_label(remote_.name());
    if (part_number < 1 || part_number > kMaxBlocks)
      return Status{Errc::invalid_argument,
                    label + ": block number " + std::to_string(part_number) + " outside 1..50000"};
    if (len > kMaxBlockSize)
      return Status{Errc::invalid_argument, label + ": block larger than 4000 MiB"};
    {
      std::lock_guard lock(mu_);
      if (finished_) return Status{Errc::invalid_argument, label + ": upload already finished"};
    }
    const std::string id = block_id(part_number);
    AzureCall c;
    c.method = "PUT";
    c.container = ref_.bucket;
    c.blob = ref_.key;
    c.op = "part";
    c.query = {{"comp", "block"}, {"blockid", id}};
    c.body = data;
    c.body_size = len;
    c.headers = {{"Content-MD5", base64_encode(md5_raw(std::string_view(data ? data : "", len)))}};
    auto r = remote_.client().send(c);
    if (!r.ok()) return r.status();
    std::lock_guard lock(mu_);
    parts_[part_number] = len;
    return Status::OK();
  }

  Result<ObjectInfo> commit() override {
    const std::string label = remote_label(remote_.name());
    std::vector<std::string> ids;
    uint64_t size = 0;
    {
      std::lock_guard lock(mu_);
      if (finished_) return Status{Errc::invalid_argument, label + ": upload already finished"};
      finished_ = true;
      uint32_t expect = 1;
      for (const auto& [n, len] : parts_) {
        if (n != expect)
          return Status{Errc::invalid_argument, label + ": block " + std::to_string(expect) +
                                                    " of '" + ref_.bucket + "/" + ref_.key +
                                                    "' was never written"};
        ids.push_back(block_id(n));
        size += len;
        ++expect;
      }
    }
    const std::string body = block_list_xml(ids);
    AzureCall c;
    c.method = "PUT";
    c.container = ref_.bucket;
    c.blob = ref_.key;
    c.op = "commit";
    c.query = {{"comp", "blocklist"}};
    c.body = body.data();
    c.body_size = body.size();
    c.headers = {{"Content-MD5", base64_encode(md5_raw(body))},
                 {"x-ms-blob-content-type",
                  content_type_.empty() ? "application/octet-stream" : content_type_}};
    if (md5_b64_) c.headers.emplace_back("x-ms-blob-content-md5", *md5_b64_);
    add_metadata_headers(c.headers, meta_);
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, remote_.client().send(c));
    ObjectInfo info;
    info.key = ref_.key;
    info.size = size;
    info.etag = r.header_or("ETag");
    if (info.etag.size() >= 2 && info.etag.front() == '"')
      info.etag = info.etag.substr(1, info.etag.size() - 2);
    if (md5_b64_) info.md5 = md5_hex_from_base64(*md5_b64_);
    info.metadata = meta_;
    info.metadata_known = true;
    apply_mtime(info, r.header_or("Last-Modified"));
    return info;
  }

  // Uncommitted blocks cannot be deleted one by one on Azure; they are never visible and
  // are garbage collected, so aborting only stops further use of this upload.
  Status abort() override {
    std::lock_guard lock(mu_);
    finished_ = true;
    return Status::OK();
  }

 private:
  AzureRemote& remote_;
  ObjectRef ref_;
  Metadata meta_;
  std::optional<std::string> md5_b64_;
  std::string content_type_;
  std::string nonce_;
  std::mutex mu_;
  std::map<uint32_t, uint64_t> parts_;  // part number -> length
  bool finished_ = false;
};

}  // namespace

Result<std::unique_ptr<Upload>> AzureRemote::begin_upload(const ObjectRef& ref,
                                                          const UploadOptions& opts) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  if (opts.size && *opts.size > features_.parts.max_object)
    return Status{Errc::invalid_argument,
                  remote_label(name()) + ": '" + ref.bucket + "/" + ref.key +
                      "' is larger than Azure's block blob maximum (50,000 x 4000 MiB)"};
  std::optional<std::string> md5_b64;
  CPSYNC_ASSIGN_OR_RETURN(Metadata meta, metadata_for_upload(opts, &md5_b64, name()));
  return std::unique_ptr<Upload>(std::make_unique<AzureBlockUpload>(
      *this, ref, std::move(meta), std::move(md5_b64), opts.content_type));
}

}  // namespace cpsync::azure
