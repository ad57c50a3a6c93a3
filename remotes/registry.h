// remotes/registry.h — the list of built-in backends: type name, option schema, factory.
// One explicit list (register_builtin_remotes) instead of scattered type tests.
// Read-only after start-up; safe from any thread.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "conf/config_section.h"
#include "remotes/remote.h"

namespace cpsync {

using RemoteFactory = std::function<Result<std::unique_ptr<Remote>>(const ConfigSection&)>;

struct BackendEntry {
  std::string type;                   // "s3"
  std::string description;            // "Amazon S3 and S3-compatible stores"
  std::span<const OptionSpec> options;
  RemoteFactory make;
};

class RemoteRegistry {
 public:
  void add(BackendEntry e) { entries_.push_back(std::move(e)); }
  const BackendEntry* find(std::string_view type) const;
  const std::vector<BackendEntry>& entries() const { return entries_; }

 private:
  std::vector<BackendEntry> entries_;
};

// The registry with every built-in backend.
const RemoteRegistry& builtin_remotes();

}  // namespace cpsync
