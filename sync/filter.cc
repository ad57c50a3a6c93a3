// sync/filter.cc — building a Filter from FilterOptions (rules, rule files, files-from,
// limits) and deciding per object; plus rclone's size and age value syntax.
#include "sync/filter.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>

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

// Parses an unsigned decimal with an optional fraction ("12", "1.5", ".5").
std::optional<double> parse_decimal(std::string_view s) {
  if (s.empty() || s == "." || s.find_first_not_of("0123456789.") != std::string_view::npos ||
      std::count(s.begin(), s.end(), '.') > 1)
    return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// "2006-01-02", "2006-01-02T15:04:05[.frac][Z|+07:00]", "2006-01-02 15:04:05".
std::optional<TimePoint> parse_date(std::string_view s) {
  using namespace std::chrono;
  auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !mo || !d || s[4] != '-' || s[7] != '-') return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)),
                           day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  TimePoint t = time_point_cast<nanoseconds>(sys_days(ymd));
  size_t i = 10;
  if (i == s.size()) return t;
  if (s[i] != 'T' && s[i] != ' ') return std::nullopt;
  auto hh = digits(s, i + 1, 2), mm = digits(s, i + 4, 2), ss = digits(s, i + 7, 2);
  if (!hh || !mm || !ss || s[i + 3] != ':' || s[i + 6] != ':' || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  t += hours(*hh) + minutes(*mm) + seconds(*ss);
  i += 9;
  if (i < s.size() && s[i] == '.') {
    int64_t frac = 0, scale = 1'000'000'000;
    size_t n = 0;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++n)
      if (n < 9) frac = frac * 10 + (s[i] - '0'), scale /= 10;
    if (n == 0) return std::nullopt;
    t += nanoseconds(frac * scale);
  }
  if (i == s.size()) return t;
  if (s[i] == 'Z' && i + 1 == s.size()) return t;
  if ((s[i] == '+' || s[i] == '-') && i + 6 == s.size() && s[i + 3] == ':') {
    auto oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    const auto offset = hours(*oh) + minutes(*om);
    return s[i] == '+' ? t - offset : t + offset;  // local = UTC + offset
  }
  return std::nullopt;
}

}  // namespace

Result<uint64_t> parse_filter_size(std::string_view s) {
  const std::string bad = "bad size \"" + std::string(s) +
                          "\": want a number with an optional suffix b, k, M, G, T or P";
  if (s.empty()) return invalid(bad);
  auto symbol = [](char c) -> double {
    switch (c) {
      case 'k':
      case 'K':
        return 0x1p10;
      case 'm':
      case 'M':
        return 0x1p20;
      case 'g':
      case 'G':
        return 0x1p30;
      case 't':
      case 'T':
        return 0x1p40;
      case 'p':
      case 'P':
        return 0x1p50;
      case 'e':
      case 'E':
        return 0x1p60;
      default:
        return 0;
    }
  };
  const char last = s.back();
  size_t suffix = 1;
  double mult = 0;
  if ((last >= '0' && last <= '9') || last == '.') {
    suffix = 0;
    mult = 1024;  // rclone: no suffix means KiB
  } else if (last == 'b' || last == 'B') {
    if (s.size() > 2 && s[s.size() - 2] == 'i') {
      suffix = 3;
      mult = symbol(s[s.size() - 3]);
    } else {
      mult = 1;
    }
  } else if (last == 'i' || last == 'I') {
    suffix = 2;
    mult = s.size() > 1 ? symbol(s[s.size() - 2]) : 0;
  } else {
    mult = symbol(last);
  }
  if (mult == 0 || suffix > s.size()) return invalid(bad);
  auto v = parse_decimal(s.substr(0, s.size() - suffix));
  if (!v) return invalid(bad);
  const double bytes = std::floor(*v * mult);
  if (bytes >= 0x1p64) return invalid("size \"" + std::string(s) + "\" is too large");
  return static_cast<uint64_t>(bytes);
}

Result<AgeLimit> parse_filter_age(std::string_view s) {
  const std::string bad = "bad age \"" + std::string(s) +
                          "\": want a duration (90s, 30m, 1d2h; units ms s m h d w M y) or "
                          "a date (2006-01-02, 2006-01-02T15:04:05)";
  if (s.size() >= 10 && s[4] == '-') {
    if (auto t = parse_date(s)) return AgeLimit(*t);
    return invalid(bad);
  }
  if (auto secs = parse_decimal(s)) {  // a bare number is seconds
    if (*secs * 1e9 >= 0x1p63) return invalid("age \"" + std::string(s) + "\" is too large");
    return AgeLimit(nanoseconds(static_cast<int64_t>(*secs * 1e9)));
  }
  static const std::pair<const char*, double> kUnits[] = {
      {"ns", 1},          {"us", 1e3},         {"\xC2\xB5s", 1e3},   {"ms", 1e6},
      {"s", 1e9},         {"m", 60e9},         {"h", 3600e9},        {"d", 86400e9},
      {"w", 7 * 86400e9}, {"M", 30 * 86400e9}, {"y", 365 * 86400e9},
  };
  double total = 0;
  size_t i = 0;
  if (s.empty()) return invalid(bad);
  while (i < s.size()) {
    const size_t start = i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.')) ++i;
    auto v = parse_decimal(s.substr(start, i - start));
    if (!v) return invalid(bad);
    double unit = 0;
    for (const auto& [name, ns] : kUnits) {
      const size_t n = std::strlen(name);
      if (s.substr(i, n) == name) {
        unit = ns;
        i += n;
        break;
      }
    }
    if (unit == 0) return invalid(bad);
    total += *v * unit;
  }
  if (total >= 0x1p63) return invalid("age \"" + std::string(s) + "\" is too large");
  return AgeLimit(nanoseconds(static_cast<int64_t>(total)));
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
