// conf/config_file.h — the config file of named remotes (INI, read with inih), its location
// (--config, $CPSYNC_CONFIG, XDG default), CPSYNC_CONFIG_<REMOTE>_<KEY> environment
// overrides, validation against each backend's option schema, and secret redaction.
// Loading is a pure function of its inputs; a loaded Config is read-only and thread-safe.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conf/backend_schema.h"
#include "conf/config_section.h"
#include "core/status.h"

namespace cpsync {

// Environment variables as name -> value (a snapshot, so tests can pass their own).
using Environment = std::map<std::string, std::string>;
Environment current_environment();

// Where the config file is and why.
struct ConfigLocation {
  std::string path;
  // "--config", "CPSYNC_CONFIG" or "default". A missing file is an error unless "default".
  std::string source;
};

// --config (flag, "" when not given), else $CPSYNC_CONFIG, else
// $XDG_CONFIG_HOME/cpsync/cpsync.conf, else ~/.config/cpsync/cpsync.conf.
ConfigLocation locate_config(std::string_view flag, const Environment& env);

struct Config {
  ConfigLocation location;
  bool file_found = false;
  // Remotes in file order, then those defined only by the environment (by name).
  // ConfigSection::lines holds key -> line ("" -> the [section] header line; 0 = from env).
  std::vector<ConfigSection> remotes;
  // One line each (e.g. a config file readable by others); the CLI prints them to stderr.
  std::vector<std::string> warnings;

  const ConfigSection* find(std::string_view name) const;
  std::vector<std::string> names() const;
};

// Reads, parses, applies environment overrides and validates against the backends' schemas
// (remotes/registry.h's schemas()). Every failure is one line naming the file, line and key:
// Errc::not_found (missing file given explicitly) or Errc::invalid_argument (everything else). A
// missing default file gives an empty Config.
Result<Config> load_config(const ConfigLocation& loc, const Environment& env,
                           BackendSchemas schemas);

// The same from text; origin names the text in messages (a path).
Result<Config> parse_config(std::string_view text, std::string_view origin, const Environment& env,
                            BackendSchemas schemas);

// Applies CPSYNC_CONFIG_<REMOTE>_<KEY> variables (remote upper-cased, '-' as '_'; key
// upper-cased). They override or add keys (lines[key] = 0); CPSYNC_CONFIG_<NAME>_TYPE
// for an unknown name defines a new remote (lower-cased name, origin "environment").
// The longest matching remote name wins: CPSYNC_CONFIG_AWS_PROD_REGION sets aws_prod.
Status apply_env_overrides(std::vector<ConfigSection>& remotes, const Environment& env);

// The variable that sets key of remote: ("my-s3", "region") -> CPSYNC_CONFIG_MY_S3_REGION.
std::string config_env_var(std::string_view remote, std::string_view key);

// True when key's value must never be shown: the schema says Secret::yes, or the key is
// not in the schema and its name looks like a credential (key, secret, token, password, sas).
bool is_secret_key(std::span<const OptionSpec> schema, std::string_view key);

// The value to show for key: "***" for secrets, else the value itself.
std::string display_value(std::span<const OptionSpec> schema, std::string_view key,
                          const std::string& value);

// The closest of candidates to word (edit distance at most 2, or a shared prefix of 3+);
// "" when none is close.
std::string nearest_word(std::string_view word, const std::vector<std::string>& candidates);

// Remote names: letters, digits, '_', '-', '.', '+', '@'; not starting with '-'.
bool valid_remote_name(std::string_view name);

}  // namespace cpsync
