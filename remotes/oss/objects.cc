// remotes/oss/objects.cc — single-object operations of OssRemote: HEAD (stat), ranged
// streaming GET (read), PutObject with Content-MD5 and CRC-64 check. Deletes are the
// shared S3-compatible ones (s3compat/compat_remote.h).
#include <algorithm>

#include "core/crc64.h"
#include "core/crypto.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/remote_impl.h"

namespace cpsync::oss {

Result<ObjectInfo> OssRemote::stat(const ObjectRef& ref) {
  const std::string what = client_.describe(ref.bucket, ref.key);
  if (ref.key.empty()) return Status{Errc::invalid_argument, what + ": stat: empty key"};
  OssCall c;
  c.method = "HEAD";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "head";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(c.with_verb("stat")));
  return info_from_headers(r, ref.key);
}

Status OssRemote::read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) {
  const std::string what = client_.describe(ref.bucket, ref.key);
  OssCall c;
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "get";
  if (!range.if_match.empty()) c.headers.emplace_back("If-Match", "\"" + range.if_match + "\"");
  const bool ranged = range.offset > 0 || range.length.has_value();
  if (range.length && *range.length == 0) {
    // Nothing to read; still report a missing object.
    auto st = stat(ref);
    if (!st.ok()) return st.status();
    if (range.offset > st->size)
      return Status{Errc::invalid_argument, what + ": read: offset past the end"};
    return Status::OK();
  }
  // Without it OSS ignores a bad range and sends the whole object with 200.
  c.headers.emplace_back("x-oss-range-behavior", "standard");
  c.verb = "read";
  uint64_t received = 0;
  Crc64 crc;
  const uint64_t limit = range.length ? *range.length : UINT64_MAX;
  auto guarded = [&](const char* d, size_t n) -> Status {
    if (received + n > limit)
      return corrupt("read", what, "the server sent more than the requested range");
    if (!ranged) crc.update(d, n);
    return sink(d, n);
  };
  auto got = client_.pipeline().get_range(c, http::RangeSpec{range.offset, range.length}, guarded,
                                          &received);
  if (!got.ok()) {
    if (got.status().http_status == 416)
      return Status{Errc::invalid_argument,
                    what + ": read: range starts past the end of the object (InvalidRange 416)"};
    return got.status();
  }
  const HttpResponse& r = *got;
  if (range.info) *range.info = info_from_headers(r, ref.key);
  if (!ranged) return check_crc64(r, crc.value(), "read", what, /*required=*/false);
  return Status::OK();
}

Result<ObjectInfo> OssRemote::put(const ObjectRef& ref, const char* data, size_t len,
                                  const UploadOptions& opts) {
  const std::string what = client_.describe(ref.bucket, ref.key);
  if (len > kOssMaxPart)
    return Status{Errc::invalid_argument, what + ": put: larger than 5 GiB; use multipart"};
  OssCall c;
  c.method = "PUT";
  c.bucket = ref.bucket;
  c.key = ref.key;
  c.op = "put";
  const std::string md5 = put_body_md5(opts, data, len);
  c.headers.emplace_back("Content-MD5", base64_encode(md5));
  add_content_headers(c.headers, with_default_type(opts.content));
  add_metadata_headers(c.headers, opts);
  c.body = data;
  c.body_size = len;
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(c.with_verb("put")));
  if (Status crc = check_crc64(r, crc64_update(0, data, len), "put", what); !crc.ok()) {
    // The stored bytes are not ours: never leave them looking like a good copy.
    (void)remove(ref);
    return crc;
  }
  ObjectInfo info;
  info.key = ref.key;
  info.size = len;
  info.etag = unquote_etag(r.header_or("etag"));
  info.md5 = hex_lower(md5);
  if (std::string e = md5_from_etag(info.etag); !e.empty() && e != *info.md5)
    return corrupt("put", what, "the ETag " + info.etag + " is not the MD5 we sent");
  for (const auto& [k, v] : opts.metadata) info.metadata[to_lower(k)] = v;
  if (!info.metadata.count(kMetaMtime) && opts.mtime)
    info.metadata[kMetaMtime] = format_unix_seconds(*opts.mtime);
  info.content = with_default_type(opts.content);
  info.metadata_known = true;
  if (auto it = info.metadata.find(kMetaMtime); it != info.metadata.end()) {
    if (auto t = parse_unix_seconds(it->second)) {
      info.mtime = *t;
      info.mtime_from_metadata = true;
    }
  }
  if (!info.mtime_from_metadata) {
    if (auto t = parse_rfc1123(r.header_or("date")))
      info.mtime = *t;
    else
      info.mtime =
          std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  }
  return info;
}

}  // namespace cpsync::oss
