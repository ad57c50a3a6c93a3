// conf/config_section.h — one named remote from the config file ([name] with type = ...),
// after environment overrides, and the option schema each backend declares once.
// Plain values; safe to share read-only between threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cpsync {

enum class Secret { no, yes };

// The kind of value a key takes. The config loader checks boolean, size and integer values
// (one line naming file, line and key) before any backend reads them; docs show the type.
enum class OptionType {
  text,     // any string (names, URLs, choices the backend checks)
  boolean,  // true/false, yes/no, 1/0
  size,     // core/units.h's size grammar: 16Mi, 5M, 1G; a bare number is KiB
  integer,  // a decimal number
};

// One option a backend accepts: the single source for validation, the defaults the backend
// reads (conf/option_reader.h), `config show` redaction, `config keys` and the key tables in
// docs/remotes/*.md (generated from it). Written with designated initializers:
// {.key = ..., .type = ..., .default_value = ..., .help = ...}.
struct OptionSpec {
  const char* key;                     // as in the config file: "access_key_id"
  OptionType type = OptionType::text;  //
  const char* default_value = "";      // the value an absent key takes, in the key's type
  const char* default_note = "";       // docs text when the default depends on other keys
  const char* help = "";               // one paragraph; markdown code spans allowed
  Secret secret = Secret::no;          // never shown, logged or echoed
  bool required = false;               // the loader refuses a remote without it
};

// The name of t as the docs show it: "text", "boolean", "size", "integer".
const char* option_type_name(OptionType t);

struct ConfigSection {
  std::string name;    // the remote's name: "aws"
  std::string type;    // "s3", "azureblob", "oss", "local"
  std::string origin;  // where it came from, for messages: "/home/u/.config/cpsync/cpsync.conf"
  std::map<std::string, std::string> values;  // key -> value (type excluded)
  std::map<std::string, int> lines;           // key -> line number in origin (0: env)

  std::optional<std::string> get(std::string_view key) const;
  std::string get_or(std::string_view key, std::string fallback) const;
  // "true"/"false"/"1"/"0"/"yes"/"no"; invalid_argument naming file, line and key otherwise.
  Result<bool> get_bool(std::string_view key, bool fallback) const;
  // A size in core/units.h's grammar (rclone's): 16M, 5Mi, 1G, 512k, 100b; a bare number is
  // KiB. An empty or absent value is the fallback.
  Result<uint64_t> get_size(std::string_view key, uint64_t fallback) const;
  // A decimal integer; invalid_argument naming file, line and key otherwise.
  Result<int64_t> get_integer(std::string_view key, int64_t fallback) const;
  // OK when the value of spec.key (if set) is of spec.type; else get_bool's, get_size's or
  // get_integer's one-line error.
  Status check_type(const OptionSpec& spec) const;
  // "remote 'aws' (file:line): <what>" — the one-line form of every config error.
  Status error(std::string_view key, std::string_view what) const;
};

}  // namespace cpsync
