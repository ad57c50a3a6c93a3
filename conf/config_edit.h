// conf/config_edit.h — the non-interactive edits of the config file (rclone's `config create`,
// `config update`, `config delete`): arguments checked against the backend's option schema,
// the text edited in place (other sections, comments and blank lines kept as they were) and
// written atomically with mode 0600. The text functions are pure; write_config_file is not
// safe against another process editing the same file at the same time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "conf/backend_schema.h"
#include "core/status.h"

namespace cpsync {

struct KeyValue {
  std::string key, value;
};

// "key=value" words (the key lower-cased; the value as given, may be empty) checked against
// schema: a known key ("type" is not one: it is the TYPE argument), a value of the key's
// type, no control characters. Errc::invalid_argument, one line naming the key (never a
// secret's value) and, for a misspelt key, the nearest one. remote names the remote in them.
Result<std::vector<KeyValue>> parse_key_values(const std::vector<std::string>& words,
                                               const BackendSchema& schema,
                                               std::string_view remote);

// The config text with a new section [name] (type and values) appended. The caller checks
// that name is free and valid.
std::string config_text_create(std::string_view text, std::string_view name, std::string_view type,
                               const std::vector<KeyValue>& values);

// The text with each value set in section [name]: an existing key's line is rewritten in
// place, a new key goes after the section's last key line. Errc::not_found without [name].
Result<std::string> config_text_update(std::string_view text, std::string_view name,
                                       const std::vector<KeyValue>& values);

// The text without section [name] (header to its last key line, and one blank line after).
// Comments above the header stay. Errc::not_found without [name].
Result<std::string> config_text_delete(std::string_view text, std::string_view name);

// Writes text to path atomically: a temporary file in the same directory (mode 0600),
// fsync, rename over path, fsync of the directory. A symlinked path writes its target.
// Creates the directory (0700) when missing. Errc::permanent naming the path on failure.
Status write_config_file(const std::string& path, std::string_view text);

}  // namespace cpsync
