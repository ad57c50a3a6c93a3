// sync/compare.h — decides whether a destination object already matches its source, from
// listing entries alone where it can. Pure; safe from any thread.
#pragma once

#include <chrono>

#include "remotes/remote.h"

namespace cpsync {

enum class CompareMode { size_mtime, checksum, size_only };

struct CompareOptions {
  CompareMode mode = CompareMode::size_mtime;
  std::chrono::nanoseconds modify_window{std::chrono::milliseconds(1)};  // --modify-window
  bool update = false;            // --update: skip when the destination is newer
  bool ignore_existing = false;   // --ignore-existing: never touch what exists
  bool etags_comparable = false;  // both sides one endpoint: equal ETags mean equal content
  // With checksum: hash local files, but never download a cloud object (Features::buckets)
  // for its MD5; a pair where one lacks a stored MD5 is compared by size and mtime instead
  // (check's default, as rclone's check).
  bool cheap_hashes_only = false;
};

enum class Verdict {
  same,           // skip
  differ,         // copy
  need_dst_stat,  // the destination listing lacks what decides (mtime/md5 metadata)
  need_src_stat,  // the source listing gives only its server time, and the destination
                  // holds a stored mtime it does not match: the source may store that one
  need_hash,      // --checksum and a side has no MD5: hash that side's bytes
};

// src and dst carry what their listing (or a stat) gave. need_dst_stat is returned only
// while dst.metadata_known is false, need_src_stat only while src.metadata_known is false,
// so after a stat of that side they are never returned again.
Verdict compare_objects(const ObjectInfo& src, const ObjectInfo& dst, const CompareOptions& o);

// The object's source-mtime, if it knows one: its listing/stat metadata "mtime", or its
// own mtime when that is authoritative (mtime_from_metadata).
std::optional<TimePoint> stored_mtime(const ObjectInfo& o);
// True when o's listing (or stat) gave all a stat could: its user metadata, or an mtime
// that is the source mtime itself (local files). S3 and OSS listings are not complete.
inline bool metadata_complete(const ObjectInfo& o) {
  return o.metadata_known || o.mtime_from_metadata;
}
// The mtime a copy of o carries: the stored one, else the object's own (LastModified).
inline TimePoint source_mtime(const ObjectInfo& o) {
  return stored_mtime(o).value_or(o.mtime);
}
// The destination's MD5: ObjectInfo.md5, else the md5chksum metadata (base64).
std::optional<std::string> known_md5(const ObjectInfo& o);

}  // namespace cpsync
