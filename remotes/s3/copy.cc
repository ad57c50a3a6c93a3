// remotes/s3/copy.cc — server-side copy: CopyObject (metadata directive COPY) up to
// copy_cutoff (at most 5 GiB), UploadPartCopy in parallel parts above it, keeping the
// metadata; the requests are the shared S3-compatible ones (s3compat/).
#include <algorithm>
#include <vector>

#include "core/crypto.h"
#include "core/parallel_parts.h"
#include "core/part_size.h"
#include "remotes/content_headers.h"
#include "remotes/s3/remote_impl.h"
#include "remotes/s3compat/multipart.h"
#include "remotes/s3compat/objects.h"

namespace cpsync::s3 {
namespace {

// UploadPartCopy: parts of at most this size (smaller when copy_cutoff is), this many in
// flight (measured: 4, 8, 16 on RGW, docs/benchmarks.md; the endpoint's AIMD limiter still
// cuts them when throttled). The server does the copying, so parallel parts make it fast.
constexpr uint64_t kCopyPartSize = 512 * kS3MiB;
constexpr uint32_t kCopyStreams = 8;

}  // namespace

Result<ObjectInfo> S3Remote::copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                              const ObjectInfo& src_info) {
  if (src_info.size > client_.options().copy_cutoff) return copy_multipart(src, dst, src_info);
  s3compat::CopyOptions copy;
  copy.if_match = src_info.etag;  // tied to the listed ETag: a changed source is refused
  // RGW (through 16.2 at least) reads the condition from x-amz-copy-if-match, not AWS's name.
  if (!src_info.etag.empty() && client_.options().ceph)
    copy.headers.emplace_back("x-amz-copy-if-match", "\"" + src_info.etag + "\"");
  CPSYNC_ASSIGN_OR_RETURN(s3compat::Copied c, s3compat::copy_object(endpoint(), src, dst, copy));
  ObjectInfo o = src_info;
  o.key = dst.key;
  if (!c.etag.empty()) o.etag = c.etag;
  if (!o.mtime_from_metadata && c.last_modified) o.mtime = *c.last_modified;
  return o;
}

Result<ObjectInfo> S3Remote::copy_multipart(const ObjectRef& src, const ObjectRef& dst,
                                            const ObjectInfo& src_info) {
  // The source must still be the listed object: each part is conditional on its ETag, and
  // RGW, which ignores that condition on UploadPartCopy, is asked again before the commit.
  auto still_listed = [&]() -> Result<ObjectInfo> {
    CPSYNC_ASSIGN_OR_RETURN(ObjectInfo now, stat(src));
    if (!src_info.etag.empty() && now.etag != src_info.etag)
      return Status{Errc::conflict, "s3 '" + name() + "': " + src.bucket + "/" + src.key +
                                        ": copy: the source changed since it was listed"};
    return now;
  };
  ObjectInfo info = src_info;
  CPSYNC_ASSIGN_OR_RETURN(ObjectInfo now, still_listed());
  if (!info.metadata_known) info = std::move(now);  // a listing entry: carry its metadata
  CPSYNC_ASSIGN_OR_RETURN(
      uint64_t part,
      choose_part_size(info.size, std::min(client_.options().copy_cutoff, kCopyPartSize),
                       features_.parts));
  // The copy is multipart, so its ETag is no MD5: keep the content MD5 as md5chksum.
  if (info.md5 && !info.metadata.count(kMetaMd5)) {
    std::string raw;
    if (hex_decode(*info.md5, raw)) info.metadata[kMetaMd5] = base64_encode(raw);
  }
  Headers headers;
  add_content_headers(headers, info.content);
  for (auto& h : metadata_headers(info.metadata, std::nullopt)) headers.push_back(h);
  const s3compat::Endpoint ep = endpoint();
  CPSYNC_ASSIGN_OR_RETURN(std::string id, s3compat::initiate_upload(ep, dst, std::move(headers)));
  const uint32_t nparts = info.size == 0 ? 1 : static_cast<uint32_t>((info.size + part - 1) / part);
  std::vector<s3compat::PartEtag> etags(nparts);
  Status parts = run_parts_in_parallel(nparts, kCopyStreams, [&](uint32_t i) -> Status {
    const uint64_t off = uint64_t{i} * part;
    const uint64_t len = std::min(info.size, off + part) - off;
    CPSYNC_ASSIGN_OR_RETURN(
        s3compat::CopiedPart p,
        s3compat::upload_part_copy(ep, dst, id, i + 1, src, off, len, src_info.etag));
    etags[i] = {i + 1, p.etag};
    return Status{};
  });
  if (parts.ok() && client_.options().ceph) parts = still_listed().status();
  if (!parts.ok()) {
    (void)s3compat::abort_upload(ep, dst, id);
    return parts;
  }
  Result<s3compat::Completed> done = s3compat::complete_upload(ep, dst, id, etags);
  if (!done.ok()) {
    (void)s3compat::abort_upload(ep, dst, id);
    return done.status();
  }
  ObjectInfo o = info;
  o.key = dst.key;
  o.etag = done->etag;
  if (o.etag.empty()) {  // RGW: read it back
    CPSYNC_ASSIGN_OR_RETURN(ObjectInfo head, stat(dst));
    o.etag = head.etag;
  }
  return o;
}

}  // namespace cpsync::s3
