// conf/remote_spec.h — parsing what users type for a location: `name:bucket/path/prefix`,
// `name:` (the remote's root), `name:bucket`, and plain local paths (`/abs`, `./rel`,
// `rel/dir`). Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "conf/config_file.h"
#include "core/status.h"

namespace cpsync {

struct RemoteSpec {
  std::string text;       // as the user wrote it, for messages
  std::string remote;     // config name; "" for a plain local path
  std::string bucket;     // bucket/container; "" for the remote root and for local paths
  std::string path;       // key prefix without leading or trailing '/'; local: absolute path
  bool is_local = false;  // a filesystem path (plain, or on a remote of type local)
};

// A path without ':' is local, and so is one whose part before the first ':' contains '/'
// (./a:b). Otherwise the part before ':' names a configured remote. Errors
// (Errc::invalid_argument, one line): empty name (`:bucket`), unknown remote (lists the
// configured ones), empty bucket with a path (`aws:/x`), '.'/'..' or empty segments in a
// cloud path, control characters. Local paths are made absolute against the working
// directory and normalised lexically.
Result<RemoteSpec> parse_remote_spec(std::string_view text, const Config& config);

}  // namespace cpsync
