// core/time_format.cc — date formatting and parsing without locale or time zone state.
#include "core/time_format.h"

#include <cstdio>
#include <cstring>
#include <ctime>

namespace cpsync {
namespace {

using namespace std::chrono;

std::tm to_tm(TimePoint t) {
  std::time_t secs = static_cast<std::time_t>(floor<seconds>(t).time_since_epoch().count());
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

std::string fmt(TimePoint t, const char* pattern) {
  std::tm tm = to_tm(t);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

// nullopt for fields out of range and for dates a TimePoint (int64 nanoseconds, years
// 1678-2262) cannot hold: parsed text comes from servers and metadata, and must not overflow.
std::optional<TimePoint> from_civil(int y, int mo, int d, int h, int mi, int s, int64_t nanos) {
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
      mi > 59 || s < 0 || s > 60)
    return std::nullopt;
  sys_days day = year_month_day{year{y}, month{static_cast<unsigned>(mo)},
                                std::chrono::day{static_cast<unsigned>(d)}};
  return TimePoint(duration_cast<nanoseconds>(day.time_since_epoch()) + hours(h) + minutes(mi) +
                   seconds(s) + nanoseconds(nanos));
}

}  // namespace

std::string format_iso8601_basic(TimePoint t) {
  return fmt(t, "%Y%m%dT%H%M%SZ");
}
std::string format_date_basic(TimePoint t) {
  return fmt(t, "%Y%m%d");
}
std::string format_iso8601(TimePoint t) {
  return fmt(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string format_rfc1123(TimePoint t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = to_tm(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::optional<TimePoint> parse_iso8601(std::string_view s) {
  int y, mo, d, h, mi, sec, used = 0;
  std::string str(s);
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &used) != 6)
    return std::nullopt;
  int64_t nanos = 0;
  size_t i = static_cast<size_t>(used);
  if (i < str.size() && str[i] == '.') {
    int64_t scale = 100000000;
    for (++i; i < str.size() && str[i] >= '0' && str[i] <= '9'; ++i) {
      nanos += (str[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i < str.size() && str[i] != 'Z' && str[i] != '+') return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  return from_civil(y, mo, d, h, mi, sec, nanos);
}

std::optional<TimePoint> parse_rfc1123(std::string_view s) {
  static const char* kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char wday[4] = {}, mon[4] = {};
  int d, y, h, mi, sec;
  std::string str(s);
  if (std::sscanf(str.c_str(), "%3s, %d %3s %d %d:%d:%d", wday, &d, mon, &y, &h, &mi, &sec) != 7)
    return std::nullopt;
  const char* p = std::strstr(kMonths, mon);
  if (!p || std::strlen(mon) != 3) return std::nullopt;
  return from_civil(y, static_cast<int>((p - kMonths) / 3) + 1, d, h, mi, sec, 0);
}

std::string format_unix_seconds(TimePoint t) {
  int64_t ns = t.time_since_epoch().count();
  int64_t secs = ns >= 0 ? ns / 1000000000 : -((-ns + 999999999) / 1000000000);
  int64_t frac = ns - secs * 1000000000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(secs),
                static_cast<long long>(frac));
  return buf;
}

std::optional<TimePoint> parse_unix_seconds(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool neg = false;
  size_t i = 0;
  if (s[0] == '-') neg = true, i = 1;
  int64_t secs = 0, nanos = 0;
  size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
    if (digits == 10) return std::nullopt;  // past 2262: not a TimePoint
    secs = secs * 10 + (s[i] - '0');
  }
  if (digits == 0 || secs > 9000000000) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    int64_t scale = 100000000;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      nanos += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i != s.size()) return std::nullopt;
  int64_t total = secs * 1000000000 + nanos;
  return TimePoint(std::chrono::nanoseconds(neg ? -total : total));
}

}  // namespace cpsync
