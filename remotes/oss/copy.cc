// remotes/oss/copy.cc — server-side copy within one OSS endpoint: CopyObject (metadata
// COPY) up to the copy cutoff (OSS allows 1 GiB), UploadPartCopy in parallel parts above it,
// with the result's CRC-64 compared with the source's.
#include <algorithm>

#include "core/crc64.h"
#include "core/crypto.h"
#include "core/encoding.h"
#include "core/parallel_parts.h"
#include "remotes/content_headers.h"
#include "remotes/oss/errors.h"
#include "remotes/oss/multipart.h"
#include "remotes/oss/remote_impl.h"
#include "remotes/s3compat/objects.h"

namespace cpsync::oss {
namespace {

// UploadPartCopy requests in flight for one copy.
constexpr uint32_t kCopyStreams = 4;

}  // namespace

Result<ObjectInfo> OssRemote::copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                               const ObjectInfo& src_info) {
  const std::string what = client_.describe(dst.bucket, dst.key);
  if (src_info.size > client_.options().copy_cutoff) return copy_multipart(src, dst, src_info);
  s3compat::CopyOptions copy;
  copy.verb = "copy from " + client_.describe(src.bucket, src.key);
  copy.if_match = src_info.etag;  // tied to the listed ETag: a changed source is refused
  Result<s3compat::Copied> copied = s3compat::copy_object(endpoint(), src, dst, copy);
  if (!copied.ok()) {
    if (copied.status().provider_code == "EntityTooLarge")
      return copy_multipart(src, dst, src_info);
    return copied.status();
  }
  ObjectInfo info = src_info;
  info.key = dst.key;
  info.is_dir = false;
  if (!copied->etag.empty()) info.etag = copied->etag;
  if (info.etag != src_info.etag && !src_info.etag.empty() && src_info.md5 &&
      !md5_from_etag(info.etag).empty() && md5_from_etag(info.etag) != *src_info.md5)
    return corrupt("copy", what, "the copy's ETag differs from the source's MD5");
  return info;
}

Result<ObjectInfo> OssRemote::copy_multipart(const ObjectRef& src, const ObjectRef& dst,
                                             const ObjectInfo& src_info) {
  const std::string what = client_.describe(dst.bucket, dst.key);
  // The source's metadata (to carry over) and CRC-64 (to verify the result).
  OssCall h;
  h.method = "HEAD";
  h.bucket = src.bucket;
  h.key = src.key;
  h.op = "head";
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse head, client_.call(h.with_verb("copy: stat source")));
  ObjectInfo src_now = info_from_headers(head, src.key);
  if (!src_info.etag.empty() && src_now.etag != src_info.etag)
    return Status{Errc::conflict, client_.describe(src.bucket, src.key) +
                                      ": copy: the source changed since it was listed"};
  uint64_t src_crc = 0;
  const bool have_crc = head.header("x-oss-hash-crc64ecma") &&
                        crc64_parse(trim(head.header_or("x-oss-hash-crc64ecma")), src_crc);

  Headers oh;
  add_content_headers(oh, with_default_type(src_now.content));
  UploadOptions uo;
  uo.metadata = src_now.metadata;
  // The copy is multipart, so its ETag is no MD5: keep the content MD5 as md5chksum.
  const auto src_md5 = src_info.md5 ? src_info.md5 : src_now.md5;
  if (std::string raw; src_md5 && !uo.metadata.count(kMetaMd5) && hex_decode(*src_md5, raw))
    uo.metadata[kMetaMd5] = base64_encode(raw);
  add_metadata_headers(oh, uo);
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<OssUpload> up,
                          OssUpload::start(client_, dst, oh, uo.metadata));

  const uint64_t size = src_now.size;
  uint64_t part = std::max<uint64_t>(client_.options().copy_cutoff, kOssMinPart);
  part = std::max<uint64_t>(part, (size + kOssMaxParts - 1) / kOssMaxParts);
  part = std::min<uint64_t>(part, kOssMaxPart);
  const uint32_t nparts = size == 0 ? 0 : static_cast<uint32_t>((size + part - 1) / part);
  Status first = run_parts_in_parallel(nparts, kCopyStreams, [&](uint32_t i) {
    const uint64_t off = uint64_t{i} * part;
    return up->copy_part(i + 1, src, off, std::min(part, size - off), src_now.etag);
  });
  if (!first.ok()) {
    (void)up->abort();
    return first;
  }
  Result<ObjectInfo> done = up->commit();
  if (!done.ok()) {
    (void)up->abort();
    return done.status();
  }
  ObjectInfo info = std::move(done).value();
  if (have_crc) {
    // The object's CRC (checked against the parts' combined CRC in commit) must be the
    // source's.
    OssCall h2 = h;
    h2.bucket = dst.bucket;
    h2.key = dst.key;
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse dh, client_.call(h2.with_verb("copy: stat result")));
    CPSYNC_RETURN_IF_ERROR(check_crc64(dh, src_crc, "copy", what));
  }
  info.md5 = src_md5;
  info.size = size;
  return info;
}

}  // namespace cpsync::oss
