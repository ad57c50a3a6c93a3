// remotes/resolve.cc — spec + config -> Remote via the registry (see resolve.h).
#include "remotes/resolve.h"

namespace cpsync {

Result<ResolvedRemote> resolve_remote(const RemoteSpec& spec, const Config& config,
                                      const RemoteRegistry& registry) {
  ConfigSection builtin_local;
  const ConfigSection* section = nullptr;
  if (spec.remote.empty()) {
    builtin_local.name = "local";
    builtin_local.type = "local";
    builtin_local.origin = "built-in";
    section = &builtin_local;
  } else {
    section = config.find(spec.remote);
    if (!section) {
      return Status{Errc::invalid_argument,
                    "remote spec '" + spec.text + "': unknown remote '" + spec.remote + "'"};
    }
  }
  const BackendEntry* backend = registry.find(section->type);
  if (!backend) {
    return Status{Errc::not_supported, "remote '" + section->name + "': type '" + section->type +
                                           "' is not built into this cpsync"};
  }
  auto made = backend->make(*section);
  if (!made.ok()) {
    Status st = made.status();
    if (st.code == Errc::invalid_argument) st.provider_code = kBadConfig;
    return st;
  }
  ResolvedRemote r;
  r.remote = std::move(made).value();
  r.spec = spec;
  r.bucket = spec.bucket;
  r.prefix = spec.path;
  return r;
}

Result<ResolvedRemote> resolve_remote(std::string_view text, const Config& config,
                                      const RemoteRegistry& registry) {
  CPSYNC_ASSIGN_OR_RETURN(RemoteSpec spec, parse_remote_spec(text, config));
  return resolve_remote(spec, config, registry);
}

}  // namespace cpsync
