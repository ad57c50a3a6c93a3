// remotes/azure/azure_upload.cc — block uploads: Put Block per part (base64 ids of one fixed
// length that name the part and the checksum of its bytes; x-ms-content-crc64 on each, or
// Content-MD5 when part_checksum = md5, which Azure verifies), parts in
// parallel from many threads, then Put Block List in part order with the metadata and, when
// the caller knows it (md5chksum at the start, or set_whole_md5 once the parts are written),
// the whole-object MD5 as x-ms-blob-content-md5. Nothing is
// visible before the commit; an aborted upload leaves only uncommitted blocks, which Azure
// discards (after a week, or when the blob is next committed) and which no listing or read
// ever shows. A resumed upload (UploadOptions::resume) reads the blob's uncommitted block
// list first and does not send a block whose id (part number + checksum) and size are there.
#include <atomic>
#include <map>
#include <mutex>

#include "core/crc64.h"
#include "core/crypto.h"
#include "core/log.h"
#include "remotes/azure/azure_blob_remote.h"
#include "remotes/azure/azure_info.h"
#include "remotes/azure/azure_xml.h"
#include "remotes/content_headers.h"
#include "remotes/part_sums.h"

namespace cpsync::azure {
namespace {

// The content part of a block id without a per-part check: 16 bytes, like an MD5.
const std::string kNoSum(16, '\0');

// A block id naming the part and its CRC-64/NVME: "crc64nvm" + the 8 CRC bytes fill the 16
// bytes an MD5 takes in block_id, so both kinds have the one length Azure wants per blob.
std::string crc_block_id(uint32_t part, uint64_t crc) {
  std::string sum = "crc64nvm";
  for (int i = 0; i < 8; ++i) sum += static_cast<char>((crc >> (8 * i)) & 0xFF);
  return block_id(part, sum);
}

class AzureBlockUpload final : public Upload {
 public:
  AzureBlockUpload(AzureRemote& remote, ObjectRef ref, Metadata meta,
                   std::optional<std::string> md5_b64, ContentHeaders content,
                   std::map<std::string, uint64_t> stored, bool shared = false,
                   std::optional<uint64_t> size = {}, uint64_t part_size = 0)
      : remote_(remote),
        ref_(std::move(ref)),
        meta_(std::move(meta)),
        md5_b64_(std::move(md5_b64)),
        content_(with_default_type(std::move(content))),
        stored_(std::move(stored)),
        check_(remote.features().part_check),
        shared_(shared),
        size_(size),
        part_size_(part_size) {}

  uint64_t reused_bytes() const override { return reused_; }
  void set_whole_md5(const std::string& raw) override {
    if (raw.size() == 16) md5_b64_ = base64_encode(raw);
  }

  Status write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) override {
    return write_summed_part(part_number, offset, data, len,
                             sum_part(check_, data ? data : "", len, nullptr));
  }

  Status write_summed_part(uint32_t part_number, uint64_t offset, const char* data, size_t len,
                           const PartSums& given) override {
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
    PartSums sums = given;
    if ((check_ == PartCheck::md5 && sums.md5.size() != 16) ||
        (check_ == PartCheck::crc64_nvme && !sums.crc64))
      sums = sum_part(check_, data ? data : "", len, nullptr);
    // The id names the part and its content (MD5 or CRC-64), so a resumed upload can keep a
    // stored block; without a check there is nothing to compare, and nothing is kept.
    const std::string id = check_ == PartCheck::crc64_nvme ? crc_block_id(part_number, *sums.crc64)
                           : check_ == PartCheck::md5      ? block_id(part_number, sums.md5)
                                                           : block_id(part_number, kNoSum);
    if (auto it = stored_.find(id);
        check_ != PartCheck::none && it != stored_.end() && it->second == len) {
      // A resumed upload already holds this block: same part, same checksum, same size.
      reused_ += len;
      std::lock_guard lock(mu_);
      parts_[part_number] = {len, id};
      return Status::OK();
    }
    AzureCall c;
    c.method = "PUT";
    c.bucket = ref_.bucket;
    c.key = ref_.key;
    c.op = "part";
    c.query = {{"comp", "block"}, {"blockid", id}};
    c.body = data;
    c.body_size = len;
    // Azure takes one of the two (both is an error), and verifies it against the bytes.
    if (check_ == PartCheck::crc64_nvme)
      c.headers = {{"x-ms-content-crc64", crc64_nvme_header(*sums.crc64)}};
    else if (check_ == PartCheck::md5)
      c.headers = {{"Content-MD5", base64_encode(sums.md5)}};
    auto r = remote_.client().send(c);
    if (!r.ok()) {
      Status st = r.status();
      // A CRC-64 that is not the bytes' is damage in transit, like an MD5 mismatch.
      if (st.provider_code == "Crc64Mismatch")
        return Status{Errc::corrupt, label + ": block " + std::to_string(part_number) + " of '" +
                                         ref_.bucket + "/" + ref_.key +
                                         "': corrupt: the service's CRC-64 of the bytes it "
                                         "received differs from ours (Crc64Mismatch)"};
      return st;
    }
    std::lock_guard lock(mu_);
    parts_[part_number] = {len, id};
    return Status::OK();
  }

  Result<ObjectInfo> commit() override {
    const std::string label = remote_label(remote_.name());
    std::vector<std::string> ids;
    uint64_t size = 0;
    std::map<uint32_t, std::pair<uint64_t, std::string>> others;  // shared: others' blocks
    if (shared_) {
      CPSYNC_ASSIGN_OR_RETURN(others, blocks_of_others());
    }
    {
      std::lock_guard lock(mu_);
      for (auto& [n, block] : others)
        if (!parts_.count(n)) parts_[n] = std::move(block);
      if (finished_) return Status{Errc::invalid_argument, label + ": upload already finished"};
      finished_ = true;
      uint32_t expect = 1;
      for (const auto& [n, part] : parts_) {
        if (n != expect)
          return Status{Errc::invalid_argument, label + ": block " + std::to_string(expect) +
                                                    " of '" + ref_.bucket + "/" + ref_.key +
                                                    "' was never written"};
        ids.push_back(part.second);
        size += part.first;
        ++expect;
      }
    }
    return commit_block_list(remote_, ref_, ids, size, content_, meta_, md5_b64_);
  }

  // The blocks other writers of a shared upload stored, by part number: of the blob's
  // uncommitted blocks, those of cpsync's id form whose part number is within the object and
  // whose size is that part's. Blocks an earlier, unfinished upload of the same key left can
  // match too; where two blocks would fill one part the commit stops rather than guess.
  Result<std::map<uint32_t, std::pair<uint64_t, std::string>>> blocks_of_others() {
    const std::string label = remote_label(remote_.name());
    if (!size_ || part_size_ == 0)
      return Status{Errc::invalid_argument,
                    label + ": continuing an upload needs its size and part size"};
    const uint64_t count = (*size_ + part_size_ - 1) / part_size_;
    CPSYNC_ASSIGN_OR_RETURN(auto stored, remote_.uncommitted_blocks(ref_));
    std::map<uint32_t, std::pair<uint64_t, std::string>> out;
    for (auto& [id, len] : stored) {
      auto n = part_of_block_id(id);
      if (!n || *n < 1 || *n > count) continue;
      if (len != std::min(part_size_, *size_ - (*n - 1) * part_size_)) continue;
      if (out.count(*n))
        return Status{Errc::conflict, label + ": '" + ref_.bucket + "/" + ref_.key +
                                          "': two uncommitted blocks for part " +
                                          std::to_string(*n) +
                                          " (one left by an earlier upload); not committed"};
      out[*n] = {len, id};
    }
    return out;
  }

  // Uncommitted blocks cannot be deleted one by one on Azure; they are never visible and
  // are garbage collected (after a week), so aborting only stops further use of this
  // upload: its blocks stay for a resume either way (keep_for_resume is abort here).
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
  const ContentHeaders content_;
  const std::map<std::string, uint64_t> stored_;  // uncommitted block id -> size (resume)
  const PartCheck check_;                         // md5, crc64_nvme or none (part_checksum)
  const bool shared_;  // continue_upload: commit() takes the blocks other writers stored
  const std::optional<uint64_t> size_;  // a shared upload's object size and part size
  const uint64_t part_size_;
  std::atomic<uint64_t> reused_{0};
  std::mutex mu_;
  std::map<uint32_t, std::pair<uint64_t, std::string>> parts_;  // number -> (length, block id)
  bool finished_ = false;
};

}  // namespace

Result<ObjectInfo> commit_block_list(const AzureRemote& remote, const ObjectRef& ref,
                                     const std::vector<std::string>& ids, uint64_t size,
                                     const ContentHeaders& content, const Metadata& meta,
                                     const std::optional<std::string>& md5_b64) {
  const std::string body = block_list_xml(ids);
  AzureCall c;
  c.method = "PUT";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "commit";
  c.query = {{"comp", "blocklist"}};
  c.body = body.data();
  c.body_size = body.size();
  c.headers = {{"Content-MD5", base64_encode(md5_raw(body))}};
  add_azure_content_headers(c.headers, content);
  if (md5_b64) c.headers.emplace_back("x-ms-blob-content-md5", *md5_b64);
  add_metadata_headers(c.headers, meta);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, remote.client().send(c));
  ObjectInfo info;
  info.key = ref.key;
  info.size = size;
  info.etag = r.header_or("ETag");
  if (info.etag.size() >= 2 && info.etag.front() == '"')
    info.etag = info.etag.substr(1, info.etag.size() - 2);
  if (md5_b64) info.md5 = md5_hex_from_base64(*md5_b64);
  info.metadata = meta;
  info.content = content;
  info.metadata_known = true;
  apply_mtime(info, r.header_or("Last-Modified"));
  return info;
}

Result<std::unique_ptr<Upload>> AzureRemote::begin_upload(const ObjectRef& ref,
                                                          const UploadOptions& opts) {
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  if (opts.size && *opts.size > features_.parts.max_object)
    return Status{Errc::invalid_argument,
                  remote_label(name()) + ": '" + ref.bucket + "/" + ref.key +
                      "' is larger than Azure's block blob maximum (50,000 x 4000 MiB)"};
  std::optional<std::string> md5_b64;
  CPSYNC_ASSIGN_OR_RETURN(Metadata meta, metadata_for_upload(opts, &md5_b64, name()));
  std::map<std::string, uint64_t> stored;
  if (opts.resume) {
    auto blocks = uncommitted_blocks(ref);
    if (!blocks.ok())
      log_info(remote_label(name()) + ": not resuming '" + ref.bucket + "/" + ref.key +
               "': " + blocks.status().message);
    else
      stored = std::move(blocks).value();
  }
  return std::unique_ptr<Upload>(std::make_unique<AzureBlockUpload>(
      *this, ref, std::move(meta), std::move(md5_b64), opts.content, std::move(stored)));
}

// Blocks belong to the blob, so any writer continues an upload by the blob's name alone.
Result<std::unique_ptr<Upload>> AzureRemote::continue_upload(const ObjectRef& ref,
                                                             const std::string& handle,
                                                             const UploadOptions& opts) {
  (void)handle;
  CPSYNC_RETURN_IF_ERROR(check_ref(ref, true));
  std::optional<std::string> md5_b64;
  CPSYNC_ASSIGN_OR_RETURN(Metadata meta, metadata_for_upload(opts, &md5_b64, name()));
  return std::unique_ptr<Upload>(std::make_unique<AzureBlockUpload>(
      *this, ref, std::move(meta), std::move(md5_b64), opts.content,
      std::map<std::string, uint64_t>{}, true, opts.size, opts.part_size));
}

}  // namespace cpsync::azure
