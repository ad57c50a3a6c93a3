// remotes/s3/multipart.cc — S3 multipart uploads: CreateMultipartUpload, UploadPart with
// Content-MD5 unless part_checksum = none (parts may be written from several threads at once),
// Complete with the ETags in part order, Abort. An upload destroyed before commit() aborts itself.
// A whole-object MD5 learnt only during the upload (set_whole_md5) is added after Complete by
// copying the object onto itself with its metadata replaced, md5chksum included (up to 5 GiB).
#include <tinyxml2.h>

#include <atomic>
#include <map>
#include <mutex>

#include "core/crypto.h"
#include "core/log.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {
namespace {

std::string xml_text(const std::string& body, const char* root_name, const char* child) {
  tinyxml2::XMLDocument doc;
  if (doc.Parse(body.data(), body.size()) != tinyxml2::XML_SUCCESS) return "";
  const auto* root = doc.FirstChildElement(root_name);
  const auto* e = root ? root->FirstChildElement(child) : nullptr;
  return e && e->GetText() ? e->GetText() : "";
}

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
           UploadOptions opts, std::map<uint32_t, ListedPart> stored = {})
      : client_(client),
        remote_(std::move(remote)),
        ref_(std::move(ref)),
        id_(std::move(upload_id)),
        opts_(std::move(opts)),
        stored_(std::move(stored)) {}
  ~S3Upload() override {
    if (!committed_ && !aborted_) (void)abort();  // never visible, never left behind
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

 private:
  struct Part {
    std::string etag;
    std::string md5raw;
    uint64_t size = 0;
  };
  ErrorContext ctx(std::string_view op) const { return {remote_, op, ref_.bucket, ref_.key}; }
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
  std::atomic<uint64_t> reused_{0};
  bool committed_ = false;
  bool aborted_ = false;
  std::string whole_md5_;  // raw, from set_whole_md5

  Status add_md5_by_self_copy(ObjectInfo& o);
};

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
  S3Call call;
  call.method = "PUT";
  call.bucket = ref_.bucket;
  call.key = ref_.key;
  call.query = {{"partNumber", std::to_string(n)}, {"uploadId", id_}};
  if (client_.options().part_check == PartCheck::md5)
    call.headers = {{"content-md5", base64_encode(p.md5raw)}};
  call.body = data;
  call.body_size = len;
  call.op = "part";
  auto r = client_.call(call, ctx("upload part"));
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
  if (parts_.empty()) CPSYNC_RETURN_IF_ERROR(write_part(1, 0, "", 0));  // S3 needs one part
  std::lock_guard lock(mu_);
  tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
  xml.OpenElement("CompleteMultipartUpload");
  uint32_t expect = 1;
  uint64_t size = 0;
  std::string md5s;
  for (const auto& [n, p] : parts_) {
    if (n != expect)
      return error(Errc::invalid_argument, "part " + std::to_string(expect) + " was never written");
    ++expect;
    size += p.size;
    md5s += p.md5raw;
    xml.OpenElement("Part");
    xml.OpenElement("PartNumber");
    xml.PushText(n);
    xml.CloseElement();
    xml.OpenElement("ETag");
    xml.PushText(("\"" + p.etag + "\"").c_str());
    xml.CloseElement();
    xml.CloseElement();
  }
  xml.CloseElement();
  std::string body(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
  if (opts_.size && *opts_.size != size)
    return error(Errc::invalid_argument, "parts hold " + std::to_string(size) +
                                             " bytes, the upload was declared " +
                                             std::to_string(*opts_.size));
  S3Call call;
  call.method = "POST";
  call.bucket = ref_.bucket;
  call.key = ref_.key;
  call.query = {{"uploadId", id_}};
  call.headers = {{"content-type", "application/xml"}};
  call.body = body.data();
  call.body_size = body.size();
  call.sign_body = true;
  call.op = "complete";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("complete upload")));
  committed_ = true;
  ObjectInfo o;
  o.key = ref_.key;
  o.size = size;
  // RGW answers with an empty ETag; the multipart ETag is md5(part md5s)-N everywhere.
  o.etag = unquote_etag(xml_text(r.body, "CompleteMultipartUploadResult", "ETag"));
  if (o.etag.empty()) o.etag = hex_lower(md5_raw(md5s)) + "-" + std::to_string(parts_.size());
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
  S3Call call;
  call.method = "PUT";
  call.bucket = ref_.bucket;
  call.key = ref_.key;
  call.op = "copy";
  call.headers = {{"x-amz-copy-source", "/" + ref_.bucket + "/" + escape_key(ref_.key)},
                  {"x-amz-copy-source-if-match", "\"" + o.etag + "\""},
                  {"x-amz-metadata-directive", "REPLACE"}};
  for (auto& h : object_headers(with_md5)) call.headers.push_back(std::move(h));
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("store md5chksum")));
  const std::string etag = unquote_etag(xml_text(r.body, "CopyObjectResult", "ETag"));
  if (!etag.empty()) o.etag = etag;
  o.metadata[kMetaMd5] = with_md5.metadata[kMetaMd5];
  o.md5 = hex_lower(whole_md5_);
  return Status::OK();
}

Status S3Upload::abort() {
  if (committed_) return error(Errc::invalid_argument, "abort after commit");
  if (aborted_) return Status::OK();
  aborted_ = true;
  S3Call call;
  call.method = "DELETE";
  call.bucket = ref_.bucket;
  call.key = ref_.key;
  call.query = {{"uploadId", id_}};
  call.op = "abort";
  auto r = client_.call(call, ctx("abort upload"));
  if (!r.ok() &&
      (r.status().provider_code == "NoSuchUpload" || r.status().provider_code == "NoSuchKey"))
    return Status::OK();
  return r.status();
}

}  // namespace

Result<std::unique_ptr<Upload>> S3Remote::begin_upload(const ObjectRef& ref,
                                                       const UploadOptions& opts) {
  if (opts.size && *opts.size > kMaxObject)
    return Status{Errc::invalid_argument, "s3 remote '" + name() + "': upload '" + ref.bucket +
                                              "/" + ref.key + "': objects are limited to 5 TiB"};
  if (opts.resume) {
    auto found = find_resumable(ref, opts);
    if (!found.ok())
      log_info("s3 remote '" + name() + "': not resuming '" + ref.bucket + "/" + ref.key +
               "': " + found.status().message);
    else if (found->has_value()) {
      ResumableUpload& r = **found;
      log_info("s3 remote '" + name() + "': resuming the unfinished upload of '" + ref.bucket +
               "/" + ref.key + "' (" + std::to_string(r.parts.size()) + " parts stored)");
      return std::unique_ptr<Upload>(
          std::make_unique<S3Upload>(client_, name(), ref, r.upload_id, opts, std::move(r.parts)));
    }
  }
  S3Call call;
  call.method = "POST";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.query = {{"uploads", ""}};
  call.op = "create";
  call.headers = object_headers(opts);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call, ctx("begin upload", ref)));
  std::string id = xml_text(r.body, "InitiateMultipartUploadResult", "UploadId");
  if (id.empty())
    return Status{Errc::corrupt, "s3 remote '" + name() + "': upload '" + ref.bucket + "/" +
                                     ref.key + "': CreateMultipartUpload returned no UploadId"};
  return std::unique_ptr<Upload>(std::make_unique<S3Upload>(client_, name(), ref, id, opts));
}

}  // namespace cpsync::s3
