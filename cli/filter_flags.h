// cli/filter_flags.h — the rclone filter flags (--include, --exclude, --filter,
// --filter-from, --include-from, --exclude-from, --files-from, --files-from-raw,
// --min-size, --max-size, --min-age, --max-age, --max-depth, --ignore-case,
// --delete-excluded) for any command that walks two trees.
// Call while building the command line, on the main thread; `out` must outlive parsing.
#pragma once

#include "sync/filter.h"

namespace CLI {
class App;
}

namespace cpsync {

// Adds the filter flags to cmd. Rules are appended to out.rules in command-line order, file
// flags as references (read by Filter::build). A bad size or age value fails the parse
// with a CLI::ValidationError naming the flag.
void add_filter_flags(CLI::App& cmd, FilterOptions& out);

}  // namespace cpsync
