// sync/compare.cc — rclone's comparison rules, adapted to listings without metadata.
#include "sync/compare.h"

#include "core/crypto.h"
#include "core/time_format.h"

namespace cpsync {

std::optional<TimePoint> stored_mtime(const ObjectInfo& o) {
  if (o.mtime_from_metadata) return o.mtime;
  if (o.metadata_known) {
    auto it = o.metadata.find(kMetaMtime);
    if (it != o.metadata.end()) return parse_unix_seconds(it->second);
  }
  return std::nullopt;
}

std::optional<std::string> known_md5(const ObjectInfo& o) {
  if (o.md5 && !o.md5->empty()) return o.md5;
  if (o.metadata_known) {
    auto it = o.metadata.find(kMetaMd5);
    std::string raw;
    if (it != o.metadata.end() && base64_decode(it->second, raw) && raw.size() == 16)
      return hex_lower(raw);
  }
  return std::nullopt;
}

Verdict compare_objects(const ObjectInfo& src, const ObjectInfo& dst, const CompareOptions& o) {
  if (o.ignore_existing) return Verdict::same;
  const auto src_md5 = known_md5(src);
  const auto dst_md5 = known_md5(dst);
  const bool dst_complete = metadata_complete(dst);

  if (o.update) {
    // Skip when the destination is newer than the source (by stored or server time).
    auto dm = stored_mtime(dst);
    if (!dm && !dst_complete) return Verdict::need_dst_stat;
    TimePoint dt = dm ? *dm : dst.mtime;
    if (dt > source_mtime(src) + o.modify_window) return Verdict::same;
  }
  if (src.size != dst.size) return Verdict::differ;
  if (o.mode == CompareMode::size_only) return Verdict::same;

  if (o.etags_comparable && !src.etag.empty() && src.etag == dst.etag) return Verdict::same;

  if (o.mode == CompareMode::checksum) {
    if (!dst_md5 && !dst_complete) return Verdict::need_dst_stat;
    if (!src_md5 || !dst_md5) return Verdict::need_hash;
    return *src_md5 == *dst_md5 ? Verdict::same : Verdict::differ;
  }

  // size + mtime. Equal MD5s on both sides prove equal content whatever the mtimes.
  if (src_md5 && dst_md5) return *src_md5 == *dst_md5 ? Verdict::same : Verdict::differ;
  auto dm = stored_mtime(dst);
  const bool dst_stored = dm.has_value();
  if (!dm) {
    if (!dst_complete) return Verdict::need_dst_stat;
    dm = dst.mtime;  // no stored source mtime: the destination's own LastModified
  }
  const TimePoint sm = source_mtime(src);
  auto diff = sm > *dm ? sm - *dm : *dm - sm;
  if (diff <= o.modify_window) return Verdict::same;
  // An S3/OSS listing gives the source's LastModified only; a copy carries the source's
  // stored mtime (from its metadata), which only a stat of the source can show.
  if (dst_stored && !metadata_complete(src)) return Verdict::need_src_stat;
  return Verdict::differ;
}

}  // namespace cpsync
