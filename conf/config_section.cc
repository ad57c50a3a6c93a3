// conf/config_section.cc — value access on one remote's config section (sizes in
// core/units.h's grammar) and the one-line "remote 'aws' (file:line): ..." form of config errors.
#include "conf/config_section.h"

#include <charconv>

#include "conf/config_file.h"
#include "core/encoding.h"
#include "core/units.h"

namespace cpsync {

const char* option_type_name(OptionType t) {
  switch (t) {
    case OptionType::text:
      return "text";
    case OptionType::boolean:
      return "boolean";
    case OptionType::size:
      return "size";
    case OptionType::integer:
      return "integer";
  }
  return "text";
}

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
  auto n = parse_size(*v);
  if (n.ok()) return *n;
  return error(key,
               "invalid size '" + *v + "' for key '" + std::string(key) + "' (" + kSizeHint + ")");
}

Result<int64_t> ConfigSection::get_integer(std::string_view key, int64_t fallback) const {
  auto v = get(key);
  if (!v || v->empty()) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec == std::errc{} && end == v->data() + v->size()) return n;
  return error(key, "invalid number '" + *v + "' for key '" + std::string(key) + "'");
}

Status ConfigSection::check_type(const OptionSpec& spec) const {
  switch (spec.type) {
    case OptionType::boolean:
      return get_bool(spec.key, false).status();
    case OptionType::size:
      return get_size(spec.key, 0).status();
    case OptionType::integer:
      return get_integer(spec.key, 0).status();
    case OptionType::text:
      return Status::OK();
  }
  return Status::OK();
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

}  // namespace cpsync
