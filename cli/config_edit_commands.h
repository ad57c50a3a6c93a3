// cli/config_edit_commands.h — `cpsync config create|update|delete|dump`, rclone's
// non-interactive config forms, added under the `config` command of cli/config_commands.cc.
// Single-threaded, at start-up.
#pragma once

namespace CLI {
class App;
}

namespace cpsync {

class AppContext;

void add_config_edit_commands(CLI::App& config, AppContext& ctx);

}  // namespace cpsync
