// cli/remote_args.h — what the object, listing and bucket commands share: resolving a
// REMOTE argument to a Location, the refs and listing prefixes of a location, the one
// streamed walk with keys relative to the location (rclone's ls semantics), not-found
// classification (object -> exit 4, bucket -> exit 3) and rclone's size/count text.
// Used on the main thread by one command at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/resolve.h"

namespace cpsync {

class AppContext;

struct Location {
  ResolvedRemote r;

  Remote& remote() const { return *r.remote; }
  bool local() const { return r.spec.is_local; }
  // A cloud remote's root ("aws:"): no bucket chosen.
  bool root() const { return !local() && r.bucket.empty(); }
  const std::string& text() const { return r.spec.text; }
  // The location as one object: cloud {bucket, prefix}; local {"", path}.
  ObjectRef object() const;
  // The listing prefix of the location as a directory: "" (bucket root), "dir/", "/abs/".
  std::string dir_prefix() const;
  // The location names an object (cloud: bucket and a non-empty path; local: not "/").
  bool names_object() const;
};

// The exit code for a failed resolve_remote: a bad option value in the config 7, a bad
// spec or unknown remote 1, others mapped from the error class.
int resolve_exit_code(const Status& s);

// Loads the config and resolves text. On failure prints the error line and returns the
// exit code in *exit_code (config problems: 7; bad spec: 1).
std::optional<Location> resolve_location(AppContext& ctx, const std::string& text, int* exit_code);

// Prints the error for a failed object operation with the right exit code: a missing
// object gives 4, a missing bucket 3 (found out with one listing request), others mapped.
int fail_object(AppContext& ctx, const Location& loc, const Status& s);

// Stat of the location as one object, not_found with a message naming the location.
Result<ObjectInfo> stat_object(const Location& loc);

// One entry of a walk: rel is the path relative to the location ("sub/file.txt"; for
// directories without the trailing '/'); for a single-object location its base name.
using WalkSink = std::function<Status(const ObjectInfo& info, std::string_view rel)>;
// Called after each page has been handed to the sink (to flush output as pages arrive).
using PageDone = std::function<void()>;

struct WalkOptions {
  bool recursive = true;        // false: one level, directories come as is_dir entries
  bool buckets_at_root = true;  // a cloud root walks its buckets (else invalid_argument)
  bool bucket_dirs = false;     // recursive at a root: also yield each bucket as is_dir
  // Objects whose listing lacks the stored mtime (S3, OSS) and that this selects are
  // stat'ed first, so sinks see the mtime rclone and cpsync store (cli/stored_mtime.h).
  std::function<bool(const ObjectInfo&)> stored_mtime_if;
  // Recursive listings of a cloud bucket with this many requests at once
  // (sync/parallel_listing.h); 1: one request after another.
  int list_parallel = 1;
};

// Lists the location page by page without collecting it. Directory markers (keys ending
// in '/') are skipped. A location naming one object (or local file) yields that object.
// At a cloud root: non-recursive yields the buckets as is_dir entries; recursive walks
// every bucket with rel keys "bucket/key". Errors: missing bucket or local directory ->
// not_found.
Status walk(const Location& loc, const WalkOptions& o, const WalkSink& sink,
            const PageDone& page_done = nullptr);

// rclone's SizeSuffix text: "512 B", "4.892 KiB", "1.500 GiB".
std::string human_size(uint64_t bytes);
// rclone's CountSuffix text: "999", "1.500k", "2.000M".
std::string human_count(uint64_t n);
// "2006-01-02 15:04:05.000000000" (lsl) or without the fraction (lsd), local time.
std::string format_list_time(TimePoint t, bool fraction);
// RFC 3339 with nanoseconds in UTC: "2006-01-02T15:04:05.000000000Z" (lsjson).
std::string format_rfc3339_nano(TimePoint t);

}  // namespace cpsync
