// conf/option_reader.cc — typed, schema-checked reads of a config section (see option_reader.h).
#include "conf/option_reader.h"

#include <cstdio>
#include <cstdlib>

namespace cpsync {
namespace {

[[noreturn]] void backend_bug(std::string_view key, const char* what) {
  std::fprintf(stderr, "cpsync: internal error: option '%.*s' %s\n", static_cast<int>(key.size()),
               key.data(), what);
  std::abort();
}

bool is_set(const ConfigSection& s, std::string_view key) {
  auto v = s.get(key);
  return v && !v->empty();
}

}  // namespace

Result<OptionReader> OptionReader::open(const ConfigSection& section,
                                        std::span<const OptionSpec> schema, std::string_view type) {
  for (const auto& [key, value] : section.values) {
    bool known = false;
    for (const auto& o : schema) known = known || key == o.key;
    if (!known)
      return section.error(key, "unknown key '" + key + "' for type " + std::string(type));
  }
  return OptionReader(section, schema);
}

const OptionSpec& OptionReader::spec(std::string_view key, OptionType type) const {
  for (const auto& o : schema_) {
    if (key != o.key) continue;
    if (o.type != type) backend_bug(key, "is read with another type than its schema's");
    return o;
  }
  backend_bug(key, "is not in the backend's schema");
}

ConfigSection OptionReader::with_default(const OptionSpec& o) const {
  if (!*o.default_value) backend_bug(o.key, "has no default_value: read it with a fallback");
  ConfigSection d;
  d.name = section_->name;
  d.type = section_->type;
  d.origin = "the option schema's default";
  d.values[o.key] = o.default_value;
  return d;
}

std::string OptionReader::text(std::string_view key) const {
  const OptionSpec& o = spec(key, OptionType::text);
  return section_->get_or(key, o.default_value);
}

Result<bool> OptionReader::boolean(std::string_view key) const {
  const OptionSpec& o = spec(key, OptionType::boolean);
  if (is_set(*section_, key)) return section_->get_bool(key, false);
  return with_default(o).get_bool(key, false);
}

Result<bool> OptionReader::boolean(std::string_view key, bool fallback) const {
  spec(key, OptionType::boolean);
  return section_->get_bool(key, fallback);
}

Result<uint64_t> OptionReader::size(std::string_view key) const {
  const OptionSpec& o = spec(key, OptionType::size);
  if (is_set(*section_, key)) return section_->get_size(key, 0);
  return with_default(o).get_size(key, 0);
}

Result<int64_t> OptionReader::integer(std::string_view key) const {
  const OptionSpec& o = spec(key, OptionType::integer);
  if (is_set(*section_, key)) return section_->get_integer(key, 0);
  return with_default(o).get_integer(key, 0);
}

}  // namespace cpsync
