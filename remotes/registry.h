// remotes/registry.h — the list of built-in backends: type name, option schema, factory.
// One explicit list (register_builtin_remotes) instead of scattered type tests.
// Read-only after start-up; safe from any thread.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "conf/backend_schema.h"
#include "conf/config_section.h"
#include "remotes/remote.h"

namespace cpsync {

using RemoteFactory = std::function<Result<std::unique_ptr<Remote>>(const ConfigSection&)>;
// Where a remote of this type would get its credentials ("static keys", "env_auth chain:
// web identity arn:...", "managed identity (...)"), from the config, variables and files
// only: no request, no secret. An error is the section's own (a bad key, a missing
// account), as the factory would report it.
using CredentialSourceFn = std::function<Result<std::string>(const ConfigSection&)>;

struct BackendEntry {
  std::string type;         // "s3"
  std::string description;  // "Amazon S3 and S3-compatible stores"
  std::span<const OptionSpec> options;
  RemoteFactory make;
  CredentialSourceFn credential_source;  // empty: the type needs no credentials
};

class RemoteRegistry {
 public:
  void add(BackendEntry e) {
    schemas_.push_back({e.type, e.description, e.options});
    entries_.push_back(std::move(e));
  }
  const BackendEntry* find(std::string_view type) const;
  const std::vector<BackendEntry>& entries() const { return entries_; }
  // What the config layer validates against (conf/config_file.h's load_config).
  BackendSchemas schemas() const { return schemas_; }

 private:
  std::vector<BackendEntry> entries_;
  std::vector<BackendSchema> schemas_;  // entries_ without the factories
};

// The registry with every built-in backend.
const RemoteRegistry& builtin_remotes();

}  // namespace cpsync
