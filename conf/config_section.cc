// conf/config_section.cc — value access on one remote's config section, rclone-style size
// parsing, and the one-line "remote 'aws' (file:line): ..." form of config errors.
#include "conf/config_section.h"

#include "conf/config_file.h"
#include "core/encoding.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace cpsync {
std::optional<std::string> ConfigSection::get(std::string_view key) const {
  if (key == "type") return type;
  auto it = values.find(std::string(key));
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::string ConfigSection::get_or(std::string_view key, std::string fallback) const {
  auto v = get(key);
  return v && !v->empty() ? *v : std::move(fallback);
}

Result<bool> ConfigSection::get_bool(std::string_view key, bool fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  std::string s = ascii_lower(*v);
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return error(
      key, "invalid boolean '" + *v + "' for key '" + std::string(key) + "' (use true or false)");
}

Result<uint64_t> ConfigSection::get_size(std::string_view key, uint64_t fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  if (auto n = parse_size(*v)) return *n;
  return error(key, "invalid size '" + *v + "' for key '" + std::string(key) +
                        "' (use bytes or a suffix: 512k, 16M, 5Mi, 1G)");
}

Status ConfigSection::error(std::string_view key, std::string_view what) const {
  std::string where;
  auto it = lines.find(std::string(key));
  if (it != lines.end() && it->second == 0) {
    where = "env " + config_env_var(name, key);
  } else {
    where = origin.empty() ? std::string("unknown origin") : origin;
    if (it == lines.end()) it = lines.find("");  // the [section] header line
    if (it != lines.end() && it->second > 0) where += ":" + std::to_string(it->second);
  }
  return Status{Errc::invalid_argument,
                "remote '" + name + "' (" + where + "): " + std::string(what)};
}

std::optional<uint64_t> parse_size(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  size_t i = 0;
  uint64_t whole = 0;
  bool digits = false;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (whole > (kMax - d) / 10) return std::nullopt;
    whole = whole * 10 + d;
    digits = true;
  }
  // Optional fraction, e.g. 1.5G: kept as numerator/denominator to stay exact.
  uint64_t frac = 0, frac_den = 1;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      if (frac_den >= 1'000'000'000'000ULL) return std::nullopt;  // absurd precision
      frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
      frac_den *= 10;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  std::string suffix = ascii_lower(s.substr(i));
  int shift = 0;
  if (!suffix.empty() && suffix != "b") {
    switch (suffix[0]) {
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      case 'p':
        shift = 50;
        break;
      default:
        return std::nullopt;
    }
    std::string_view rest = std::string_view(suffix).substr(1);
    if (rest != "" && rest != "i" && rest != "b" && rest != "ib") return std::nullopt;
  }
  const uint64_t unit = uint64_t{1} << shift;
  if (whole > kMax / unit) return std::nullopt;
  uint64_t total = whole * unit;
  if (frac != 0) {
    if (unit == 1) return std::nullopt;  // fractional bytes
    // frac / frac_den * unit, computed without overflow for units up to 2^50.
    unsigned __int128 part = static_cast<unsigned __int128>(frac) * unit / frac_den;
    if (part > kMax - total) return std::nullopt;
    total += static_cast<uint64_t>(part);
  }
  return total;
}

}  // namespace cpsync
