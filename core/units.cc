// core/units.cc — rclone's size and duration grammars, computed exactly (integers, no
// floating point), and the date forms of the age filters.
#include "core/units.h"

#include <cstring>
#include <limits>
#include <string>

namespace cpsync {
namespace {

using u128 = unsigned __int128;

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\v\f";
  const size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// An unsigned decimal with an optional fraction ("12", "1.5", ".5", "5."), kept exact as
// whole + num/den. Digits past 18 of the fraction are dropped (they round down anyway).
struct Decimal {
  u128 whole = 0;
  uint64_t num = 0, den = 1;
};

// Reads a decimal at the start of s; returns the characters used (0: none, or no digit).
size_t read_decimal(std::string_view s, Decimal& d) {
  size_t i = 0;
  bool digits = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    if (d.whole > (u128{1} << 100)) return 0;  // far past any value we accept
    d.whole = d.whole * 10 + static_cast<unsigned>(s[i] - '0');
    digits = true;
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && is_digit(s[i]); ++i) {
      digits = true;
      if (d.den >= 1'000'000'000'000'000'000ULL) continue;
      d.num = d.num * 10 + static_cast<uint64_t>(s[i] - '0');
      d.den *= 10;
    }
  }
  return digits ? i : 0;
}

// d x unit, rounded down; nullopt past `limit`.
std::optional<u128> scale(const Decimal& d, u128 unit, u128 limit) {
  if (d.whole != 0 && d.whole > limit / unit) return std::nullopt;
  const u128 v = d.whole * unit + u128{d.num} * unit / d.den;
  if (v > limit) return std::nullopt;
  return v;
}

// k/K = 2^10 ... e/E = 2^60; 0 for anything else.
uint64_t binary_unit(char c) {
  const char* units = "kmgtpe";
  const char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const char* at = std::strchr(units, lower);
  if (lower == '\0' || !at) return 0;
  return uint64_t{1} << (10 * (at - units + 1));
}

Status bad(std::string_view what, std::string_view text, const char* hint) {
  return Status{Errc::invalid_argument,
                "bad " + std::string(what) + " \"" + std::string(text) + "\" (" + hint + ")"};
}

std::optional<int> digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!is_digit(s[i])) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

Result<uint64_t> parse_size(std::string_view text) {
  const std::string_view s = trim(text);
  auto fail = [&] { return bad("size", text, kSizeHint); };
  if (s.empty()) return fail();
  // The unit: bare (KiB), b (bytes), X, Xi or XiB.
  size_t unit_len = 0;
  uint64_t unit = 0;
  const char last = s.back();
  if (is_digit(last) || last == '.') {
    unit = uint64_t{1} << 10;
  } else if (last == 'b' || last == 'B') {
    if (s.size() >= 3 && (s[s.size() - 2] == 'i' || s[s.size() - 2] == 'I')) {
      unit_len = 3;
      unit = binary_unit(s[s.size() - 3]);
    } else {
      unit_len = 1;
      unit = 1;
    }
  } else if (last == 'i' || last == 'I') {
    unit_len = 2;
    unit = s.size() >= 2 ? binary_unit(s[s.size() - 2]) : 0;
  } else {
    unit_len = 1;
    unit = binary_unit(last);
  }
  if (unit == 0 || unit_len >= s.size()) return fail();
  const std::string_view number = s.substr(0, s.size() - unit_len);
  Decimal d;
  if (read_decimal(number, d) != number.size()) return fail();
  auto bytes = scale(d, unit, std::numeric_limits<uint64_t>::max());
  if (!bytes)
    return Status{Errc::invalid_argument,
                  "bad size \"" + std::string(text) + "\" (too large: at most 16E less a byte)"};
  return static_cast<uint64_t>(*bytes);
}

Result<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  const std::string_view s = trim(text);
  auto fail = [&] { return bad("duration", text, kDurationHint); };
  constexpr u128 kLimit = static_cast<u128>(std::numeric_limits<int64_t>::max());
  constexpr uint64_t kSec = 1'000'000'000;
  struct Unit {
    const char* name;
    uint64_t ns;
  };
  // Longer names first where one is a prefix of another ("ms" before "m").
  static constexpr Unit kUnits[] = {
      {"ns", 1},
      {"us", 1'000},
      {"\xC2\xB5s", 1'000},
      {"ms", 1'000'000},
      {"s", kSec},
      {"m", 60 * kSec},
      {"h", 3600 * kSec},
      {"d", 86400 * kSec},
      {"w", 604800 * kSec},
      {"M", 2592000 * kSec},
      {"y", 31536000 * kSec},
  };
  if (s.empty()) return fail();
  u128 total = 0;
  size_t i = 0;
  while (i < s.size()) {
    Decimal d;
    const size_t used = read_decimal(s.substr(i), d);
    if (used == 0) return fail();
    i += used;
    uint64_t unit = 0;
    if (i == s.size() && i == used) {
      unit = kSec;  // the whole text is a number: seconds
    } else {
      for (const Unit& u : kUnits) {
        const size_t n = std::strlen(u.name);
        if (s.substr(i, n) == u.name) {
          unit = u.ns;
          i += n;
          break;
        }
      }
    }
    if (unit == 0) return fail();
    auto v = scale(d, unit, kLimit);
    if (!v || *v > kLimit - total)
      return Status{Errc::invalid_argument,
                    "bad duration \"" + std::string(text) + "\" (too large: at most 292y)"};
    total += *v;
  }
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

std::optional<std::chrono::sys_time<std::chrono::nanoseconds>> parse_date_time(std::string_view s) {
  using namespace std::chrono;
  auto y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !mo || !d || s[4] != '-' || s[7] != '-') return std::nullopt;
  const year_month_day ymd{year(*y), month(static_cast<unsigned>(*mo)),
                           day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  sys_time<nanoseconds> t = time_point_cast<nanoseconds>(sys_days(ymd));
  size_t i = 10;
  if (i == s.size()) return t;
  if (s[i] != 'T' && s[i] != ' ') return std::nullopt;
  auto hh = digits(s, i + 1, 2), mm = digits(s, i + 4, 2), ss = digits(s, i + 7, 2);
  if (!hh || !mm || !ss || s[i + 3] != ':' || s[i + 6] != ':' || *hh > 23 || *mm > 59 || *ss > 60)
    return std::nullopt;
  t += hours(*hh) + minutes(*mm) + seconds(*ss);
  i += 9;
  if (i < s.size() && s[i] == '.') {
    int64_t frac = 0, scale_ns = 1'000'000'000;
    size_t n = 0;
    for (++i; i < s.size() && is_digit(s[i]); ++i, ++n)
      if (n < 9) frac = frac * 10 + (s[i] - '0'), scale_ns /= 10;
    if (n == 0) return std::nullopt;
    t += nanoseconds(frac * scale_ns);
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

}  // namespace cpsync
