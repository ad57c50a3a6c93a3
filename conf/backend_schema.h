// conf/backend_schema.h — what the config layer knows of a backend: its type name, a one-line
// description and its option schema. The registry of backends (remotes/registry.h) hands
// these down; conf validates against them and never constructs a remote.
// Read-only data; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "conf/config_section.h"

namespace cpsync {

struct BackendSchema {
  std::string type;         // "s3"
  std::string description;  // "Amazon S3 and S3-compatible stores"
  std::span<const OptionSpec> options;
};

using BackendSchemas = std::span<const BackendSchema>;

// The schema of type, or nullptr.
inline const BackendSchema* find_schema(BackendSchemas schemas, std::string_view type) {
  for (const auto& s : schemas) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

}  // namespace cpsync
