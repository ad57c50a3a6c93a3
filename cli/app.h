// cli/app.h — the cpsync command line: global flags, the context every command reads
// (flags, output streams, lazily loaded config, registry) and the entry point that parses
// argv and returns the process exit code. Single-threaded: commands run on the main thread.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "conf/config_file.h"
#include "core/status.h"
#include "remotes/registry.h"

namespace CLI {
class App;
}

namespace cpsync {

struct GlobalFlags {
  std::string config;  // --config; "" = $CPSYNC_CONFIG or the default location
  int verbose = 0;     // -v, -vv
  bool quiet = false;  // -q
  bool json = false;   // --json: machine-readable output
  bool no_check_certificate = false;
  bool copy_links = false;  // -L: local remotes follow symlinks
  bool links = false;       // -l/--links: local symlinks as .rclonelink objects
};

class AppContext {
 public:
  AppContext(std::ostream& out, std::ostream& err, Environment env, const RemoteRegistry& registry);

  GlobalFlags flags;
  std::ostream& out;  // command output (stdout)
  std::ostream& err;  // errors, warnings, logs (stderr)

  const Environment& env() const { return env_; }
  const RemoteRegistry& registry() const { return registry_; }
  ConfigLocation config_location() const { return locate_config(flags.config, env_); }
  // Loads the config on first use and prints its warnings once. On failure the command
  // should return fail(status, kExitFatal).
  Result<const Config*> config();

  // Prints "cpsync: error: <message>" as one line; returns exit_code, or the code mapped
  // from s.code when exit_code < 0.
  int fail(const Status& s, int exit_code = -1);
  // Prints "cpsync: warning: <message>" unless -q.
  void warn(std::string_view message);

  int exit_code = 0;  // set by the command that ran

 private:
  Environment env_;
  const RemoteRegistry& registry_;
  std::optional<Result<Config>> config_;
};

// Makes body the action of cmd: its return value becomes the process exit code.
void on_run(CLI::App* cmd, AppContext& ctx, std::function<int()> body);

// Parses argv and runs the chosen command. Usage errors print one line and return 1.
int run_cli(int argc, const char* const* argv, AppContext& ctx);

// main(): the real streams, environment and built-in registry.
int cpsync_main(int argc, const char* const* argv);

}  // namespace cpsync
