// cli/man_page.h — the cpsync(1) man page, generated from the command line's description
// (cli/cli_model.h) and docs/usage.md, so it cannot drift from either: NAME, SYNOPSIS,
// DESCRIPTION, the global OPTIONS and every command with its arguments and flags, then
// docs/usage.md's sections. Built by `cpsync man` (a hidden command) at build time.
// Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "cli/cli_model.h"

namespace cpsync {

// usage_markdown may be empty (the page then has only the generated sections).
std::string man_page(const CommandSpec& root, std::string_view usage_markdown,
                     std::string_view version);

}  // namespace cpsync
