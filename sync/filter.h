// sync/filter.h — rclone-compatible object filtering for copy/sync/check/move: include and
// exclude rules (rclone glob syntax, first match wins), --files-from, size, age and depth
// limits. Keys are relative to the sync root ("dir/sub/file.txt", no leading '/').
// A built Filter is immutable: its const methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "remotes/remote.h"
#include "sync/glob.h"

namespace cpsync {

// Which flag a rule came from: decides how value is read and names the flag in errors.
enum class FilterSource {
  filter,        // value is "+ pattern", "- pattern" or "!" (clears the rules so far)
  include,       // value is a pattern; any include adds an implicit "- **" after all rules
  exclude,       // value is a pattern
  filter_from,   // value is a file of --filter lines ("-" = stdin), # and ; comments
  include_from,  // value is a file of include patterns
  exclude_from,  // value is a file of exclude patterns
};

struct FilterRule {
  FilterSource source = FilterSource::filter;
  std::string value;

  FilterRule(std::string rule) : value(std::move(rule)) {}  // NOLINT: "+ p" / "- p" / "!"
  FilterRule(const char* rule) : value(rule) {}             // NOLINT
  FilterRule(FilterSource s, std::string v) : source(s), value(std::move(v)) {}
};

// An age limit: a duration before `now`, or an absolute time (rclone accepts both).
using AgeLimit = std::variant<std::chrono::nanoseconds, TimePoint>;

struct FilterOptions {
  // In command-line order. Unlike rclone (which applies --include, then --exclude, then
  // --filter whatever their order), cpsync keeps the order the user wrote.
  std::vector<FilterRule> rules;
  // A file listing keys, one a line (# and ; comments, blank lines, surrounding spaces and
  // '/' ignored). Only these keys are in scope; the engine may stat them instead of listing.
  std::optional<std::string> files_from;
  bool files_from_raw = false;  // --files-from-raw: lines are keys as written (no trimming,
                                // no comments; only '/' at either end is dropped)
  bool ignore_case = false;     // --ignore-case: patterns ignore ASCII letter case
  // --delete-excluded: for the engine, not the filter. sync then also deletes destination
  // objects the filter excludes (otherwise excluded objects are never deleted).
  bool delete_excluded = false;
  std::optional<uint64_t> min_size, max_size;  // bytes, inclusive
  std::optional<AgeLimit> min_age;  // only objects at least this old (mtime <= now - min_age)
  std::optional<AgeLimit> max_age;  // only objects at most this old (mtime >= now - max_age)
  int max_depth = -1;               // 1 = only keys without '/'; negative = unlimited
};

class Filter {
 public:
  Filter() = default;  // inactive: includes everything

  // Compiles the rules and reads the files. Bad pattern, unreadable file, malformed rule or
  // contradictory limits -> Errc::invalid_argument, one line naming the flag.
  static Result<Filter> build(const FilterOptions& o, TimePoint now);

  bool active() const;  // any rule or limit set
  // --delete-excluded: sync should also delete destination objects include() rejects.
  bool delete_excluded() const { return delete_excluded_; }
  // The object is in scope: files-from, size, age, depth and rules all admit it.
  bool include(std::string_view rel_key, uint64_t size, TimePoint mtime) const;
  // The age limits could judge an object otherwise by an mtime at or before server_time
  // (its upload time; the mtime stored with it is never later): only then is a stat of
  // an S3/OSS object worth sending. False without --min-age/--max-age.
  bool age_needs_stored_mtime(TimePoint server_time) const {
    return (oldest_ && server_time >= *oldest_) || (newest_ && server_time > *newest_);
  }
  // Files-from, depth and rules only: for keys whose size and mtime are unknown. For
  // destination-only objects during sync call include() with the destination's own size
  // and mtime, as rclone does: objects the filter excludes are neither copied nor deleted.
  bool include_path(std::string_view rel_key) const;
  // Every key under dir (relative, ending in '/') is out of scope by its path: the first
  // rule that could admit one is a "-" rule matching them all, or --files-from names none,
  // or --max-depth stops above it. False when that cannot be shown.
  bool excludes_dir(std::string_view dir) const;
  // --files-from: the sorted (by bytes), de-duplicated keys; nullptr when not given.
  const std::vector<std::string>* files_from() const;
  // Every key include_path() admits starts with this (often ""): the engine may list only
  // keys with this prefix. "/logs/2024/**" gives "logs/2024/"; "*.jpg" gives "".
  std::string required_prefix() const;
  // The effective rules in order, "+ pattern" / "- pattern" (for -vv logs and tests).
  std::vector<std::string> describe() const;

 private:
  struct Rule {
    bool include;
    Glob glob;
  };
  std::vector<Rule> rules_;
  std::optional<std::vector<std::string>> files_from_;
  std::optional<uint64_t> min_size_, max_size_;
  std::optional<TimePoint> oldest_, newest_;  // mtime bounds, inclusive
  int max_depth_ = -1;
  bool delete_excluded_ = false;
};

// rclone ages: a duration in core/units.h's grammar ("90", "30m", "1d2h", "1.5w"; a bare
// number is seconds) or a date/time ("2006-01-02",
// "2006-01-02T15:04:05", "2006-01-02 15:04:05", optional fraction, Z or +07:00; UTC when no
// zone is given).
Result<AgeLimit> parse_filter_age(std::string_view s);

}  // namespace cpsync
