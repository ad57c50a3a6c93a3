// remotes/resolve.h — from a location the user typed (or a parsed RemoteSpec) and the loaded
// config to a constructed Remote (through the backend registry) plus bucket and prefix.
// Pure apart from constructing the Remote; safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "conf/config_file.h"
#include "conf/remote_spec.h"
#include "core/status.h"
#include "remotes/registry.h"
#include "remotes/remote.h"

namespace cpsync {

struct ResolvedRemote {
  std::unique_ptr<Remote> remote;
  RemoteSpec spec;
  std::string bucket;  // "" for the remote root and for local paths
  std::string prefix;  // key prefix (no leading '/'); local: the absolute path
};

// Plain local paths use the built-in "local" type with no options (remote name "local").
// A backend that rejects the remote's options (a bad value in the config file) fails with
// provider_code kBadConfig, so the CLI can tell a bad config (exit 7) from a bad spec (1).
inline constexpr const char* kBadConfig = "BadConfig";
Result<ResolvedRemote> resolve_remote(const RemoteSpec& spec, const Config& config,
                                      const RemoteRegistry& registry);
Result<ResolvedRemote> resolve_remote(std::string_view text, const Config& config,
                                      const RemoteRegistry& registry);

}  // namespace cpsync
