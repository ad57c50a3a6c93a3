// conf/option_reader.h — a remote's config section read through its backend's option schema:
// the one way a backend reads its keys. Opening refuses a key the schema does not declare; a
// typed read of an absent (or empty) key returns the schema's default_value parsed with the
// key's type, so the default the docs show (generated from the same schema) is the default
// that applies. Keys whose default depends on other keys (default_note, no default_value) are
// read with an explicit fallback.
// Reading a key that is not in the schema is a bug in the backend, not a user error: it
// aborts with the key's name (every backend's unit tests read every key).
// Borrowed views of the section and schema; cheap to copy; read-only, any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "conf/config_section.h"
#include "core/status.h"

namespace cpsync {

class OptionReader {
 public:
  // invalid_argument "remote 'x' (file:line): unknown key 'k' for type T" for an undeclared key.
  static Result<OptionReader> open(const ConfigSection& section, std::span<const OptionSpec> schema,
                                   std::string_view type);

  // The value as written, else default_value ("" when the schema has none).
  std::string text(std::string_view key) const;
  // Parsed with ConfigSection's grammars (core/units.h for sizes); an absent key parses the
  // schema's default_value. For keys without a default_value, the fallback forms apply.
  Result<bool> boolean(std::string_view key) const;
  Result<bool> boolean(std::string_view key, bool fallback) const;
  Result<uint64_t> size(std::string_view key) const;
  Result<int64_t> integer(std::string_view key) const;

  const ConfigSection& section() const { return *section_; }
  // The section's one-line error form: "remote 'x' (file:line): what".
  Status error(std::string_view key, std::string_view what) const {
    return section_->error(key, what);
  }

 private:
  OptionReader(const ConfigSection& s, std::span<const OptionSpec> schema)
      : section_(&s), schema_(schema) {}
  const OptionSpec& spec(std::string_view key, OptionType type) const;
  // A section holding only the schema's default of key, so defaults parse like values.
  ConfigSection with_default(const OptionSpec& spec) const;

  const ConfigSection* section_;
  std::span<const OptionSpec> schema_;
};

}  // namespace cpsync
