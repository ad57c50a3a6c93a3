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
};

enum class Verdict {
  same,           // skip
  differ,         // copy
  need_dst_stat,  // the destination listing lacks what decides (mtime/md5 metadata)
  need_hash,      // --checksum and a side has no MD5: hash that side's bytes
};

// src and dst carry what their listing (or a stat) gave. need_dst_stat is returned only
// while dst.metadata_known is false, so after a stat it is never returned again.
Verdict compare_objects(const ObjectInfo& src, const ObjectInfo& dst, const CompareOptions& o);

// The destination's source-mtime, if it knows one: its listing/stat metadata "mtime",
// or its own mtime when that is authoritative (mtime_from_metadata).
std::optional<TimePoint> stored_mtime(const ObjectInfo& dst);
// The destination's MD5: ObjectInfo.md5, else the md5chksum metadata (base64).
std::optional<std::string> known_md5(const ObjectInfo& o);

}  // namespace cpsync
