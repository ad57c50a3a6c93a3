// cli/version_command.cc — `cpsync version`.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <ostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace cpsync {

void add_version_command(CLI::App& app, AppContext& ctx) {
  auto* cmd = app.add_subcommand("version", "Show the version number");
  on_run(cmd, ctx, [&ctx] {
    if (ctx.flags.json) {
      ctx.out << nlohmann::json{{"version", CPSYNC_VERSION}}.dump() << "\n";
    } else {
      ctx.out << "cpsync " CPSYNC_VERSION "\n";
    }
    return kExitOk;
  });
}

}  // namespace cpsync
