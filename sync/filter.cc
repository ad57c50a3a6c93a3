// sync/filter.cc — building a Filter from FilterOptions (rules, rule files, files-from,
// limits) and deciding per object; plus the age values (core/units.h's durations and dates).
#include "sync/filter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "core/units.h"

namespace cpsync {
namespace {

using std::chrono::nanoseconds;

const char* flag_name(FilterSource s) {
  switch (s) {
    case FilterSource::filter:
      return "--filter";
    case FilterSource::include:
      return "--include";
    case FilterSource::exclude:
      return "--exclude";
    case FilterSource::filter_from:
      return "--filter-from";
    case FilterSource::include_from:
      return "--include-from";
    case FilterSource::exclude_from:
      return "--exclude-from";
  }
  return "--filter";
}

Status invalid(std::string msg) {
  return Status(Errc::invalid_argument, std::move(msg));
}

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\v\f";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

struct Line {
  int number;
  std::string text;
};

// Reads path ("-" = stdin): trimmed lines, without blank lines and # or ; comments; raw
// keeps lines as they are (but for a final '\r') and drops only empty ones.
Result<std::vector<Line>> read_lines(const std::string& flag, const std::string& path,
                                     bool raw = false) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return invalid(flag + " " + path + ": cannot read: " + std::strerror(errno));
    in = &file;
  }
  std::vector<Line> out;
  std::string line;
  for (int n = 1; std::getline(*in, line); ++n) {
    if (raw) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty()) out.push_back({n, line});
      continue;
    }
    std::string_view t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';') continue;
    out.push_back({n, std::string(t)});
  }
  if (in->bad()) return invalid(flag + " " + path + ": read error");
  return out;
}

}  // namespace

Result<AgeLimit> parse_filter_age(std::string_view s) {
  if (s.size() >= 10 && s[4] == '-') {
    if (auto t = parse_date_time(s)) return AgeLimit(*t);
    return invalid("bad age \"" + std::string(s) +
                   "\": want a date (2006-01-02, 2006-01-02T15:04:05[Z|+07:00]) or a duration (" +
                   kDurationHint + ")");
  }
  auto d = parse_duration(s);
  if (!d.ok())
    return invalid("bad age \"" + std::string(s) + "\": want a duration (" + kDurationHint +
                   ") or a date (2006-01-02, 2006-01-02T15:04:05)");
  return AgeLimit(*d);
}

Result<Filter> Filter::build(const FilterOptions& o, TimePoint now) {
  Filter f;
  bool implicit_exclude = false;
  const bool ignore_case = o.ignore_case;
  auto add = [&f, ignore_case](bool include, std::string_view pattern,
                               const std::string& where) -> Status {
    auto g = Glob::compile(pattern, ignore_case);
    if (!g.ok()) return invalid(where + ": " + g.status().message);
    f.rules_.push_back({include, std::move(g).value()});
    return Status::OK();
  };
  // "+ p", "- p" or "!" (as --filter and in --filter-from files).
  auto add_rule = [&](std::string_view rule, const std::string& where) -> Status {
    if (rule == "!") {
      f.rules_.clear();
      return Status::OK();
    }
    if (rule.size() > 2 && (rule[0] == '+' || rule[0] == '-') && rule[1] == ' ')
      return add(rule[0] == '+', rule.substr(2), where);
    return invalid(where + ": malformed rule \"" + std::string(rule) +
                   "\": want \"+ pattern\", \"- pattern\" or \"!\"");
  };
  for (const FilterRule& r : o.rules) {
    const std::string flag = flag_name(r.source);
    switch (r.source) {
      case FilterSource::filter:
        CPSYNC_RETURN_IF_ERROR(add_rule(r.value, flag));
        break;
      case FilterSource::include:
      case FilterSource::exclude:
        implicit_exclude |= r.source == FilterSource::include;
        CPSYNC_RETURN_IF_ERROR(add(r.source == FilterSource::include, r.value, flag));
        break;
      case FilterSource::filter_from:
      case FilterSource::include_from:
      case FilterSource::exclude_from: {
        CPSYNC_ASSIGN_OR_RETURN(auto lines, read_lines(flag, r.value));
        implicit_exclude |= r.source == FilterSource::include_from;
        for (const Line& l : lines) {
          const std::string where = flag + " " + r.value + ":" + std::to_string(l.number);
          if (r.source == FilterSource::filter_from) {
            CPSYNC_RETURN_IF_ERROR(add_rule(l.text, where));
          } else {
            CPSYNC_RETURN_IF_ERROR(add(r.source == FilterSource::include_from, l.text, where));
          }
        }
        break;
      }
    }
  }
  if (implicit_exclude) CPSYNC_RETURN_IF_ERROR(add(false, "/**", "--include"));

  if (o.files_from) {
    CPSYNC_ASSIGN_OR_RETURN(auto lines,
                            read_lines(o.files_from_raw ? "--files-from-raw" : "--files-from",
                                       *o.files_from, o.files_from_raw));
    std::vector<std::string> keys;
    keys.reserve(lines.size());
    for (Line& l : lines) {
      const size_t b = l.text.find_first_not_of('/');
      if (b == std::string::npos) continue;
      l.text.erase(0, b);
      l.text.erase(l.text.find_last_not_of('/') + 1);
      keys.push_back(std::move(l.text));
    }
    std::sort(keys.begin(), keys.end());  // std::string compares bytes as unsigned char
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    f.files_from_ = std::move(keys);
  }

  if (o.min_size && o.max_size && *o.min_size > *o.max_size)
    return invalid("--min-size can't be larger than --max-size");
  f.min_size_ = o.min_size;
  f.max_size_ = o.max_size;
  auto cutoff = [now](const AgeLimit& a) {
    if (const auto* d = std::get_if<nanoseconds>(&a)) return now - *d;
    return std::get<TimePoint>(a);
  };
  if (o.min_age) f.newest_ = cutoff(*o.min_age);
  if (o.max_age) f.oldest_ = cutoff(*o.max_age);
  if (f.newest_ && f.oldest_ && *f.oldest_ > *f.newest_)
    return invalid("--min-age can't be larger than --max-age");
  f.max_depth_ = o.max_depth < 0 ? -1 : o.max_depth;
  f.delete_excluded_ = o.delete_excluded;
  return f;
}

bool Filter::active() const {
  return !rules_.empty() || files_from_ || min_size_ || max_size_ || oldest_ || newest_ ||
         max_depth_ >= 0;
}

bool Filter::include(std::string_view rel_key, uint64_t size, TimePoint mtime) const {
  if (min_size_ && size < *min_size_) return false;
  if (max_size_ && size > *max_size_) return false;
  if (oldest_ && mtime < *oldest_) return false;
  if (newest_ && mtime > *newest_) return false;
  return include_path(rel_key);
}

bool Filter::include_path(std::string_view rel_key) const {
  if (max_depth_ >= 0 &&
      std::count(rel_key.begin(), rel_key.end(), '/') >= static_cast<std::ptrdiff_t>(max_depth_))
    return false;
  if (files_from_ && !std::binary_search(files_from_->begin(), files_from_->end(), rel_key))
    return false;
  for (const Rule& r : rules_)
    if (r.glob.match(rel_key)) return r.include;
  return true;
}

bool Filter::excludes_dir(std::string_view dir) const {
  if (max_depth_ >= 0 &&
      std::count(dir.begin(), dir.end(), '/') >= static_cast<std::ptrdiff_t>(max_depth_))
    return true;
  if (files_from_) {
    auto it = std::lower_bound(files_from_->begin(), files_from_->end(), dir);
    if (it == files_from_->end() || !std::string_view(*it).starts_with(dir)) return true;
  }
  for (const Rule& r : rules_) {
    if (r.include) return false;  // it might admit a key under dir
    if (r.glob.matches_all_under(dir)) return true;
  }
  return false;
}

const std::vector<std::string>* Filter::files_from() const {
  return files_from_ ? &*files_from_ : nullptr;
}

std::string Filter::required_prefix() const {
  // The rules admit only keys matching a "+" rule before a catch-all "-" rule.
  std::optional<std::string> from_rules;
  std::optional<std::string> heads;
  for (const Rule& r : rules_) {
    if (r.include) {
      const std::string p = r.glob.literal_prefix();
      heads = heads ? common_prefix(*heads, p) : p;
    } else if (r.glob.matches_everything()) {
      from_rules = heads.value_or("");
      break;
    }
  }
  std::optional<std::string> from_files;
  if (files_from_ && !files_from_->empty())
    from_files = common_prefix(files_from_->front(), files_from_->back());  // sorted
  if (!from_rules) return from_files.value_or("");
  if (!from_files) return *from_rules;
  // Both hold: keep the longer when one extends the other.
  if (from_files->starts_with(*from_rules)) return *from_files;
  return *from_rules;
}

std::vector<std::string> Filter::describe() const {
  std::vector<std::string> out;
  for (const Rule& r : rules_) out.push_back((r.include ? "+ " : "- ") + r.glob.pattern());
  return out;
}

}  // namespace cpsync
