// remotes/local/local_remote.h — the local filesystem remote (type "local"): no buckets,
// keys are absolute paths, listings walk the tree in byte order, writes go to a temporary
// file that is fsynced and renamed into place. See docs/remotes/local.md.
// The Remote is safe to use from many threads at once.
#pragma once

#include <memory>
#include <span>

#include "conf/config_section.h"
#include "remotes/remote.h"

namespace cpsync {

// Options of [name] sections with type = local.
std::span<const OptionSpec> local_option_schema();

// Builds a local remote; unknown keys and bad values are Errc::invalid_argument naming the
// remote, the file and the line.
Result<std::unique_ptr<Remote>> make_local_remote(const ConfigSection& section);

// The -L/--copy-links and --links flags: the default of the copy_links and links keys of
// every local remote made after the call (plain paths included). Call once, before any
// remote is made.
void set_local_link_flags(bool copy_links, bool links);

}  // namespace cpsync
