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

// One option a backend accepts. Flags, env overrides, docs and redaction read this.
struct OptionSpec {
  const char* key;            // as in the config file: "access_key_id"
  const char* help;           // one line
  const char* default_value;  // "" when none
  Secret secret = Secret::no;
  bool required = false;
};

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
  // "remote 'aws' (file:line): <what>" — the one-line form of every config error.
  Status error(std::string_view key, std::string_view what) const;
};

}  // namespace cpsync
