// remotes/oss/multipart.cc — OSS multipart uploads (see multipart.h) and
// OssRemote::begin_upload.
#include "remotes/oss/multipart.h"

#include "core/crc64.h"
#include "core/crypto.h"
#include "core/encoding.h"
#include "core/log.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"
#include "remotes/part_sums.h"
#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/objects.h"
#include "remotes/s3compat/pending.h"

namespace cpsync::oss {
s3compat::Endpoint OssUpload::endpoint() const {
  return {&client_.pipeline(), &kDialect, client_.options().remote_name};
}

Result<std::unique_ptr<OssUpload>> OssUpload::start(const OssClient& client, const ObjectRef& ref,
                                                    const Headers& object_headers,
                                                    Metadata metadata) {
  const s3compat::Endpoint ep{&client.pipeline(), &kDialect, client.options().remote_name};
  CPSYNC_ASSIGN_OR_RETURN(std::string id, s3compat::initiate_upload(ep, ref, object_headers));
  return std::unique_ptr<OssUpload>(
      new OssUpload(client, ref, id, object_headers, std::move(metadata)));
}

std::unique_ptr<OssUpload> OssUpload::adopt(const OssClient& client, const ObjectRef& ref,
                                            std::string upload_id, const Headers& object_headers,
                                            Metadata metadata,
                                            std::map<uint32_t, ListedPart> stored) {
  std::unique_ptr<OssUpload> up(
      new OssUpload(client, ref, std::move(upload_id), object_headers, std::move(metadata)));
  up->stored_ = std::move(stored);
  return up;
}

std::unique_ptr<OssUpload> OssUpload::shared(const OssClient& client, const ObjectRef& ref,
                                             std::string upload_id, const Headers& object_headers,
                                             Metadata metadata) {
  std::unique_ptr<OssUpload> up(
      new OssUpload(client, ref, std::move(upload_id), object_headers, std::move(metadata)));
  up->shared_ = true;
  return up;
}

OssUpload::~OssUpload() {
  bool done;
  {
    std::lock_guard lock(mu_);
    done = done_ || shared_;
  }
  if (!done) {
    Status s = abort();
    if (!s.ok()) log_error("abandoned upload not aborted: " + s.message);
  }
}

Status OssUpload::write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) {
  return write_summed_part(part_number, offset, data, len,
                           sum_part(check_, data ? data : "", len, nullptr));
}

// The part's CRC-64 is ours (given, or computed here unless part_checksum = none) and is
// compared with the one OSS computes of what it stored; Content-MD5 goes only with md5.
Status OssUpload::write_summed_part(uint32_t part_number, uint64_t offset, const char* data,
                                    size_t len, const PartSums& given) {
  (void)offset;
  const std::string w = what() + " part " + std::to_string(part_number);
  if (part_number < 1 || part_number > kOssMaxParts)
    return Status{Errc::invalid_argument, w + ": part numbers are 1 to 10000"};
  const std::string_view bytes(data ? data : "", len);
  std::optional<uint64_t> crc;
  if (check_ == PartCheck::crc64_ecma) crc = given.crc64;
  if (!crc && check_ != PartCheck::none) crc = crc64_update(0, bytes.data(), len);
  if (auto it = stored_.find(part_number); it != stored_.end() && it->second.size == len &&
                                           !it->second.md5.empty() &&
                                           it->second.md5 == hex_lower(md5_raw(bytes))) {
    // A resumed upload already holds exactly these bytes: keep the stored part.
    if (!crc) crc = crc64_update(0, bytes.data(), len);
    reused_ += len;
    std::lock_guard lock(mu_);
    parts_[part_number] = Part{it->second.etag, *crc, len, true};
    return Status::OK();
  }
  const std::string md5 = check_ == PartCheck::md5
                              ? base64_encode(given.md5.size() == 16 ? given.md5 : md5_raw(bytes))
                              : "";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, s3compat::upload_part(endpoint(), ref_, upload_id_,
                                                                part_number, data, len, md5));
  if (crc) CPSYNC_RETURN_IF_ERROR(check_crc64(r, *crc, "upload part", w));
  std::string etag = unquote_etag(r.header_or("etag"));
  if (etag.empty()) return corrupt("upload part", w, "no ETag in the response");
  std::lock_guard lock(mu_);
  parts_[part_number] = Part{etag, crc.value_or(0), len, crc.has_value()};
  return Status::OK();
}

Status OssUpload::copy_part(uint32_t part_number, const ObjectRef& src, uint64_t first,
                            uint64_t len, const std::string& if_match) {
  const std::string w = what() + " part " + std::to_string(part_number);
  CPSYNC_ASSIGN_OR_RETURN(s3compat::CopiedPart copied,
                          s3compat::upload_part_copy(endpoint(), ref_, upload_id_, part_number, src,
                                                     first, len, if_match));
  const HttpResponse& r = copied.answer;
  uint64_t crc = 0;
  const std::string* h = r.header("x-oss-hash-crc64ecma");
  if (!h || !crc64_parse(trim(*h), crc))
    return corrupt("upload part copy", w, "no valid x-oss-hash-crc64ecma in the response");
  std::lock_guard lock(mu_);
  parts_[part_number] = Part{copied.etag, crc, len, true};
  return Status::OK();
}

Result<ObjectInfo> OssUpload::commit() {
  const std::string w = what();
  std::map<uint32_t, Part> parts;
  {
    std::lock_guard lock(mu_);
    if (done_) return Status{Errc::invalid_argument, w + ": commit: upload already finished"};
    parts = parts_;
  }
  if (shared_) {
    // The parts other writers stored; their CRC-64 is not listed, so the combined check
    // is left to the parts' own checks.
    CPSYNC_ASSIGN_OR_RETURN(std::vector<ListedPart> listed,
                            s3compat::list_parts(endpoint(), ref_, upload_id_));
    for (const auto& l : listed)
      if (!parts.count(l.number)) parts[l.number] = Part{l.etag, 0, l.size, false};
  }
  if (parts.empty()) {
    // An empty object still needs one (empty) part.
    CPSYNC_RETURN_IF_ERROR(write_part(1, 0, "", 0));
    std::lock_guard lock(mu_);
    parts = parts_;
  }
  std::vector<s3compat::PartEtag> etags;
  uint32_t expect = 1;
  uint64_t size = 0, crc = 0;
  bool crc_known = true;  // every part's CRC-64 is known (part_checksum is not none)
  for (const auto& [n, p] : parts) {
    if (n != expect)
      return Status{Errc::invalid_argument,
                    w + ": commit: part " + std::to_string(expect) + " was never uploaded"};
    ++expect;
    etags.push_back({n, p.etag});
    crc = crc64_combine(crc, p.crc, p.size);
    crc_known = crc_known && p.crc_known;
    size += p.size;
  }
  CPSYNC_ASSIGN_OR_RETURN(s3compat::Completed done,
                          s3compat::complete_upload(endpoint(), ref_, upload_id_, etags));
  const HttpResponse& r = done.answer;
  {
    std::lock_guard lock(mu_);
    done_ = true;
  }
  if (Status bad = crc_known ? check_crc64(r, crc, "complete multipart upload", w) : Status::OK();
      !bad.ok()) {
    // The object is not what we sent: remove it rather than leave a corrupt copy visible.
    (void)s3compat::remove_object(endpoint(), ref_);
    return bad;
  }
  ObjectInfo info;
  info.key = ref_.key;
  info.size = size;
  info.etag = done.etag;
  info.metadata = metadata_;
  info.metadata_known = true;
  std::string raw;
  if (auto it = metadata_.find(kMetaMd5);
      it != metadata_.end() && base64_decode(it->second, raw) && raw.size() == 16)
    info.md5 = hex_lower(raw);
  if (auto it = metadata_.find(kMetaMtime); it != metadata_.end()) {
    if (auto t = parse_unix_seconds(it->second)) {
      info.mtime = *t;
      info.mtime_from_metadata = true;
    }
  }
  if (!info.mtime_from_metadata)
    info.mtime =
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  if (whole_md5_.size() == 16 && !info.md5) {
    // Complete succeeded, so the object is there whatever happens now: a failed copy only
    // leaves it without md5chksum, which is logged, not an error.
    if (Status st = add_md5_by_self_copy(info); !st.ok())
      log_info(w + ": stored without md5chksum: " + st.message);
  }
  return info;
}

Status OssUpload::add_md5_by_self_copy(ObjectInfo& info) {
  const std::string w = what();
  if (info.size > kOssCopyLimit)
    return Status{Errc::not_supported, w + ": CopyObject stops at 1 GiB"};
  const std::string md5_b64 = base64_encode(whole_md5_);
  s3compat::CopyOptions copy;
  copy.directive = "REPLACE";
  copy.if_match = info.etag;
  copy.headers = object_headers_;
  copy.headers.emplace_back("x-oss-meta-" + std::string(kMetaMd5), md5_b64);
  copy.verb = "store md5chksum";
  CPSYNC_RETURN_IF_ERROR(s3compat::copy_object(endpoint(), ref_, ref_, copy).status());
  info.metadata[kMetaMd5] = md5_b64;
  info.md5 = hex_lower(whole_md5_);
  return Status::OK();
}

Status OssUpload::abort() {
  {
    std::lock_guard lock(mu_);
    if (done_) return Status::OK();
  }
  // Retried like any request: a throttled abort would leave the parts stored and billed.
  Status st = s3compat::abort_upload(endpoint(), ref_, upload_id_);
  if (!st.ok()) return st;
  std::lock_guard lock(mu_);
  done_ = true;
  return Status::OK();
}

Result<std::unique_ptr<Upload>> OssRemote::begin_upload(const ObjectRef& ref,
                                                        const UploadOptions& opts) {
  Headers h;
  add_content_headers(h, with_default_type(opts.content));
  add_metadata_headers(h, opts);
  Metadata meta;
  for (const auto& [k, v] : opts.metadata) meta[to_lower(k)] = v;
  if (!meta.count(kMetaMtime) && opts.mtime) meta[kMetaMtime] = format_unix_seconds(*opts.mtime);
  if (opts.resume) {
    const std::string what = client_.describe(ref.bucket, ref.key);
    auto found = s3compat::find_resumable(endpoint(), ref, opts.mtime);
    if (!found.ok()) {
      log_info(what + ": not resuming: " + found.status().message);
    } else if (found->has_value()) {
      log_info(what + ": resuming its unfinished upload (" +
               std::to_string((*found)->parts.size()) + " parts stored)");
      return std::unique_ptr<Upload>(OssUpload::adopt(client_, ref, (*found)->upload_id, h,
                                                      std::move(meta), std::move((*found)->parts)));
    }
  }
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<OssUpload> up,
                          OssUpload::start(client_, ref, h, std::move(meta)));
  return std::unique_ptr<Upload>(std::move(up));
}

Result<std::unique_ptr<Upload>> OssRemote::continue_upload(const ObjectRef& ref,
                                                           const std::string& handle,
                                                           const UploadOptions& opts) {
  if (handle.empty())
    return Status{Errc::invalid_argument,
                  client_.describe(ref.bucket, ref.key) + ": no upload id to continue"};
  Metadata meta;
  for (const auto& [k, v] : opts.metadata) meta[to_lower(k)] = v;
  if (!meta.count(kMetaMtime) && opts.mtime) meta[kMetaMtime] = format_unix_seconds(*opts.mtime);
  return std::unique_ptr<Upload>(OssUpload::shared(client_, ref, handle, {}, std::move(meta)));
}

}  // namespace cpsync::oss
