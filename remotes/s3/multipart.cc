// remotes/s3/multipart.cc — S3 multipart uploads: CreateMultipartUpload, UploadPart with
// Content-MD5 unless part_checksum = none (parts may be written from several threads at once),
// Complete with the ETags in part order, Abort. An upload destroyed before commit() aborts itself.
// A whole-object MD5 learnt only during the upload (set_whole_md5) is added after Complete by
// copying the object onto itself with its metadata replaced, md5chksum included (up to 5 GiB).
#include <atomic>
#include <map>
#include <mutex>

#include "core/crypto.h"
#include "core/log.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"
#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/objects.h"
#include "remotes/s3compat/pending.h"

namespace cpsync::s3 {
namespace {

// What an object is created with (CreateMultipartUpload, and the copy onto itself that adds
// md5chksum afterwards): its content headers and user metadata.
Headers object_headers(const UploadOptions& opts) {
  Headers h;
  add_content_headers(h, opts.content);
  for (auto& m : metadata_headers(opts.metadata, opts.mtime)) h.push_back(std::move(m));
  return h;
}

class S3Upload : public Upload {
 public:
  S3Upload(const S3Client& client, std::string remote, ObjectRef ref, std::string upload_id,
           UploadOptions opts, std::map<uint32_t, ListedPart> stored = {}, bool continued = false)
      : client_(client),
        remote_(std::move(remote)),
        ref_(std::move(ref)),
        id_(std::move(upload_id)),
        opts_(std::move(opts)),
        stored_(std::move(stored)),
        continued_(continued) {}
  ~S3Upload() override {
    // Never visible, never left behind; a continued upload belongs to all its writers.
    if (!committed_ && !aborted_ && !kept_ && !continued_) (void)abort();
  }

  Status write_part(uint32_t n, uint64_t offset, const char* data, size_t len) override {
    return write_summed_part(n, offset, data, len, {});
  }
  Status write_summed_part(uint32_t n, uint64_t offset, const char* data, size_t len,
                           const PartSums& sums) override;
  Result<ObjectInfo> commit() override;
  Status abort() override;
  uint64_t reused_bytes() const override { return reused_; }
  void set_whole_md5(const std::string& raw) override { whole_md5_ = raw; }
  void keep_for_resume() override { kept_ = true; }
  std::string handle() const override { return id_; }

 private:
  struct Part {
    std::string etag;
    std::string md5raw;
    uint64_t size = 0;
  };
  s3compat::Endpoint endpoint() const { return {&client_.pipeline(), &kDialect, remote_}; }
  Status error(Errc e, const std::string& what) const {
    return Status{
        e, "s3 remote '" + remote_ + "': upload '" + ref_.bucket + "/" + ref_.key + "': " + what};
  }

  S3Client client_;
  std::string remote_;
  ObjectRef ref_;
  std::string id_;
  UploadOptions opts_;
  std::mutex mu_;
  std::map<uint32_t, Part> parts_;
  const std::map<uint32_t, ListedPart> stored_;  // parts a resumed upload already held
  const bool continued_;  // continue_upload: commit() takes the parts other writers stored
  std::atomic<uint64_t> reused_{0};
  bool committed_ = false;
  bool aborted_ = false;
  bool kept_ = false;      // keep_for_resume: left for a later resume, not aborted
  std::string whole_md5_;  // raw, from set_whole_md5

  Status add_md5_by_self_copy(ObjectInfo& o);
  Status take_stored_parts();
};

// The parts of a continued upload that other writers stored (ListParts), for the commit.
Status S3Upload::take_stored_parts() {
  CPSYNC_ASSIGN_OR_RETURN(std::vector<ListedPart> listed,
                          s3compat::list_parts(endpoint(), ref_, id_));
  std::lock_guard lock(mu_);
  for (auto& l : listed) {
    if (parts_.count(l.number)) continue;
    Part p;
    p.etag = l.etag;
    p.size = l.size;
    std::string raw;
    if (!l.md5.empty() && hex_decode(l.md5, raw)) p.md5raw = raw;
    parts_[l.number] = std::move(p);
  }
  return Status::OK();
}

// The part MD5 is computed even with part_checksum = none: RGW's Complete answers with an
// empty ETag, which commit() derives from the part MD5s.
Status S3Upload::write_summed_part(uint32_t n, uint64_t offset, const char* data, size_t len,
                                   const PartSums& sums) {
  (void)offset;  // S3 orders by part number
  if (n < 1 || n > kMaxParts) return error(Errc::invalid_argument, "part number out of 1..10000");
  if (len > kMaxPart) return error(Errc::invalid_argument, "part larger than 5 GiB");
  Part p;
  p.md5raw = sums.md5.size() == 16 ? sums.md5 : md5_raw(std::string_view(data ? data : "", len));
  p.size = len;
  // A resumed upload keeps a stored part that holds exactly these bytes (its ETag is their
  // MD5); any other stored part of this number is replaced.
  if (auto it = stored_.find(n); it != stored_.end() && it->second.size == len &&
                                 !it->second.md5.empty() && it->second.md5 == hex_lower(p.md5raw)) {
    p.etag = it->second.etag;
    reused_ += len;
    std::lock_guard lock(mu_);
    parts_[n] = std::move(p);
    return Status::OK();
  }
  const std::string md5 =
      client_.options().part_check == PartCheck::md5 ? base64_encode(p.md5raw) : "";
  auto r = s3compat::upload_part(endpoint(), ref_, id_, n, data, len, md5);
  if (!r.ok()) {
    Status st = r.status();
    // A Content-MD5 that is not the bytes' is damage in transit: the whole object is sent
    // again (sync/transfer.cc), not this request alone.
    if (st.provider_code == "BadDigest") st.code = Errc::corrupt;
    return st;
  }
  p.etag = unquote_etag(r->header_or("etag"));
  if (p.etag.empty()) return error(Errc::corrupt, "UploadPart returned no ETag");
  std::lock_guard lock(mu_);
  parts_[n] = std::move(p);
  return Status::OK();
}

Result<ObjectInfo> S3Upload::commit() {
  if (committed_ || aborted_) return error(Errc::invalid_argument, "already committed or aborted");
  if (continued_) CPSYNC_RETURN_IF_ERROR(take_stored_parts());
  if (parts_.empty()) CPSYNC_RETURN_IF_ERROR(write_part(1, 0, "", 0));  // S3 needs one part
  std::lock_guard lock(mu_);
  uint32_t expect = 1;
  uint64_t size = 0;
  std::string md5s;
  std::vector<s3compat::PartEtag> etags;
  for (const auto& [n, p] : parts_) {
    if (n != expect)
      return error(Errc::invalid_argument, "part " + std::to_string(expect) + " was never written");
    ++expect;
    size += p.size;
    md5s += p.md5raw;
    etags.push_back({n, p.etag});
  }
  if (opts_.size && *opts_.size != size)
    return error(Errc::invalid_argument, "parts hold " + std::to_string(size) +
                                             " bytes, the upload was declared " +
                                             std::to_string(*opts_.size));
  CPSYNC_ASSIGN_OR_RETURN(s3compat::Completed done,
                          s3compat::complete_upload(endpoint(), ref_, id_, etags));
  committed_ = true;
  ObjectInfo o;
  o.key = ref_.key;
  o.size = size;
  // RGW answers with an empty ETag; the multipart ETag is md5(part md5s)-N everywhere.
  o.etag = done.etag;
  if (o.etag.empty() && md5s.size() == 16 * parts_.size())
    o.etag = hex_lower(md5_raw(md5s)) + "-" + std::to_string(parts_.size());
  for (const auto& [k, v] : metadata_headers(opts_.metadata, opts_.mtime))
    o.metadata[k.substr(kMetaPrefix.size())] = v;
  o.content = opts_.content;
  o.metadata_known = true;
  if (auto it = o.metadata.find(kMetaMd5); it != o.metadata.end()) {
    std::string raw;
    if (base64_decode(it->second, raw) && raw.size() == 16) o.md5 = hex_lower(raw);
  }
  o.mtime = opts_.mtime.value_or(now_utc());
  o.mtime_from_metadata = opts_.mtime.has_value();
  if (whole_md5_.size() == 16 && !o.md5) {
    // Complete succeeded, so the object is there whatever happens now: a failed copy only
    // leaves it without md5chksum, which is logged, not an error.
    if (Status st = add_md5_by_self_copy(o); !st.ok())
      log_info("s3 remote '" + remote_ + "': '" + ref_.bucket + "/" + ref_.key +
               "' stored without md5chksum: " + st.message);
  }
  return o;
}

Status S3Upload::add_md5_by_self_copy(ObjectInfo& o) {
  if (o.size > kMaxPart) return error(Errc::not_supported, "CopyObject stops at 5 GiB");
  UploadOptions with_md5 = opts_;
  with_md5.metadata[kMetaMd5] = base64_encode(whole_md5_);
  s3compat::CopyOptions copy;
  copy.directive = "REPLACE";
  copy.if_match = o.etag;
  copy.headers = object_headers(with_md5);
  copy.verb = "store md5chksum";
  CPSYNC_ASSIGN_OR_RETURN(s3compat::Copied c, s3compat::copy_object(endpoint(), ref_, ref_, copy));
  if (!c.etag.empty()) o.etag = c.etag;
  o.metadata[kMetaMd5] = with_md5.metadata[kMetaMd5];
  o.md5 = hex_lower(whole_md5_);
  return Status::OK();
}

Status S3Upload::abort() {
  if (committed_) return error(Errc::invalid_argument, "abort after commit");
  if (aborted_) return Status::OK();
  aborted_ = true;
  return s3compat::abort_upload(endpoint(), ref_, id_);
}

}  // namespace

Result<std::unique_ptr<Upload>> S3Remote::begin_upload(const ObjectRef& ref,
                                                       const UploadOptions& opts) {
  if (opts.size && *opts.size > kMaxObject)
    return Status{Errc::invalid_argument, "s3 remote '" + name() + "': upload '" + ref.bucket +
                                              "/" + ref.key + "': objects are limited to 5 TiB"};
  if (opts.resume) {
    auto found = s3compat::find_resumable(endpoint(), ref, opts.mtime);
    if (!found.ok())
      log_info("s3 remote '" + name() + "': not resuming '" + ref.bucket + "/" + ref.key +
               "': " + found.status().message);
    else if (found->has_value()) {
      s3compat::ResumableUpload& r = **found;
      log_info("s3 remote '" + name() + "': resuming the unfinished upload of '" + ref.bucket +
               "/" + ref.key + "' (" + std::to_string(r.parts.size()) + " parts stored)");
      return std::unique_ptr<Upload>(
          std::make_unique<S3Upload>(client_, name(), ref, r.upload_id, opts, std::move(r.parts)));
    }
  }
  CPSYNC_ASSIGN_OR_RETURN(std::string id,
                          s3compat::initiate_upload(endpoint(), ref, object_headers(opts)));
  return std::unique_ptr<Upload>(std::make_unique<S3Upload>(client_, name(), ref, id, opts));
}

Result<std::unique_ptr<Upload>> S3Remote::continue_upload(const ObjectRef& ref,
                                                          const std::string& handle,
                                                          const UploadOptions& opts) {
  if (handle.empty())
    return Status{Errc::invalid_argument, "s3 remote '" + name() + "': no upload id to continue"};
  return std::unique_ptr<Upload>(std::make_unique<S3Upload>(client_, name(), ref, handle, opts,
                                                            std::map<uint32_t, ListedPart>{},
                                                            /*continued=*/true));
}

}  // namespace cpsync::s3
