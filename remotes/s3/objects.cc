// remotes/s3/objects.cc — single-object operations: HEAD (stat with x-amz-meta-*), ranged
// GET streamed into the sink (resumed after a broken connection), PUT with Content-MD5.
// Deletes are the shared S3-compatible ones (s3compat/compat_remote.h).
#include <algorithm>
#include <cstdlib>
#include <thread>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"
#include "remotes/s3compat/object_info.h"

namespace cpsync::s3 {
Headers metadata_headers(const Metadata& meta, const std::optional<TimePoint>& mtime) {
  Headers h;
  for (const auto& [k, v] : meta)
    if (!(mtime && ascii_lower(k) == kMetaMtime))
      h.emplace_back(std::string(kMetaPrefix) + ascii_lower(k), v);
  if (mtime) h.emplace_back(std::string(kMetaPrefix) + kMetaMtime, format_unix_seconds(*mtime));
  return h;
}

ObjectInfo info_from_headers(const std::string& key, const Headers& h) {
  return s3compat::info_from_headers(kDialect, key, h);
}

Result<ObjectInfo> S3Remote::stat(const ObjectRef& ref) {
  S3Call call;
  call.method = "HEAD";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "head";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call.with_verb("stat")));
  return info_from_headers(ref.key, r.headers);
}

Status S3Remote::read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) {
  if (range.length && *range.length == 0) return stat(ref).status();
  S3Call call;
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "get";
  call.verb = "read";
  if (!range.if_match.empty()) call.headers.emplace_back("if-match", "\"" + range.if_match + "\"");
  uint64_t delivered = 0;
  auto r = client_.pipeline().get_range(call, http::RangeSpec{range.offset, range.length}, sink,
                                        &delivered);
  if (!r.ok()) return r.status();
  // A length past the end is cut at the end, as HTTP ranges are: accept a short body when
  // Content-Range says it reached the last byte of the object.
  bool reached_end = false;
  if (const std::string* cr = r->header("content-range")) {
    auto slash = cr->rfind('/');
    if (slash != std::string::npos && slash + 1 < cr->size() && (*cr)[slash + 1] != '*')
      reached_end = range.offset + delivered == std::strtoull(cr->c_str() + slash + 1, nullptr, 10);
  }
  if (range.length && delivered != *range.length && !reached_end)
    return Status{Errc::corrupt, "s3 remote '" + name() + "': read '" + ref.bucket + "/" + ref.key +
                                     "': got " + std::to_string(delivered) + " bytes of " +
                                     std::to_string(*range.length)};
  if (range.info) *range.info = info_from_headers(ref.key, r->headers);
  return Status::OK();
}

Result<ObjectInfo> S3Remote::put(const ObjectRef& ref, const char* data, size_t len,
                                 const UploadOptions& opts) {
  if (len > kMaxPart)
    return Status{Errc::invalid_argument, "s3 remote '" + name() + "': put '" + ref.bucket + "/" +
                                              ref.key +
                                              "': a single PUT is limited to 5 GiB; use an upload"};
  S3Call call;
  call.method = "PUT";
  call.bucket = ref.bucket;
  call.key = ref.key;
  call.op = "put";
  call.body = data;
  call.body_size = len;
  const std::string md5raw = put_body_md5(opts, data, len);
  call.headers.emplace_back("content-md5", base64_encode(md5raw));
  add_content_headers(call.headers, opts.content);
  for (auto& h : metadata_headers(opts.metadata, opts.mtime)) call.headers.push_back(h);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, client_.call(call.with_verb("put")));
  ObjectInfo o;
  o.key = ref.key;
  o.size = len;
  o.etag = unquote_etag(r.header_or("etag"));
  o.md5 = hex_lower(md5raw);
  o.mtime = opts.mtime.value_or(now_utc());
  o.mtime_from_metadata = opts.mtime.has_value();
  for (const auto& [k, v] : metadata_headers(opts.metadata, opts.mtime))
    o.metadata[k.substr(kMetaPrefix.size())] = v;
  o.content = opts.content;
  o.metadata_known = true;
  return o;
}

}  // namespace cpsync::s3
