// cli/app.cc — builds the CLI11 app (global flags plus every command family from
// cli/commands.h), parses argv and turns the outcome into one exit code.
#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/http.h"
#include "core/log.h"
#include "core/redact.h"
#include "remotes/local/local_remote.h"

namespace cpsync {
namespace {

// Every command family, in `cpsync --help` order. Add yours here (one line).
using AddCommands = void (*)(CLI::App&, AppContext&);
constexpr AddCommands kCommandFamilies[] = {
    add_version_command, add_config_commands,   add_sync_commands,   add_listing_commands,
    add_lsf_command,     add_hash_commands,     add_tree_command,    add_object_commands,
    add_bucket_commands, add_about_command,     add_cleanup_command, add_shard_commands,
    add_queue_commands,  add_replicate_command,
    add_completion_commands,  // cli/completion_command.cc
};

void add_global_flags(CLI::App& app, GlobalFlags& f) {
  app.add_option("--config", f.config,
                 "Config file (default: $CPSYNC_CONFIG, else ~/.config/cpsync/cpsync.conf)")
      ->type_name("FILE");
  app.add_flag("-v,--verbose", f.verbose, "More logging (-vv for debug)");
  app.add_flag("-q,--quiet", f.quiet, "Only errors on stderr (wins over -v)");
  app.add_flag("--json", f.json, "Machine-readable JSON output");
  app.add_flag("--no-check-certificate", f.no_check_certificate,
               "Do not verify TLS certificates (insecure; for test endpoints)");
  auto* copy_links = app.add_flag("-L,--copy-links", f.copy_links,
                                  "Local paths: follow symlinks and copy what they point to");
  auto* links =
      app.add_flag("-l,--links", f.links,
                   "Local paths: store symlinks as NAME.rclonelink objects holding the target, "
                   "and restore such objects as symlinks");
  copy_links->excludes(links);
}

// Hands the global flags to the process-wide logger and transport, once parsing is done
// and before any command runs.
void apply_global_flags(const GlobalFlags& f) {
  LogOptions log;
  log.level = f.quiet          ? LogLevel::error
              : f.verbose >= 2 ? LogLevel::debug
              : f.verbose == 1 ? LogLevel::info
                               : LogLevel::notice;
  log.json = f.json;
  set_log_options(log);
  set_local_link_flags(f.copy_links, f.links);
  if (f.no_check_certificate) {
    TransportOptions t = transport_options();
    t.verify_tls = false;
    set_transport_options(t);
  }
}

}  // namespace

AppContext::AppContext(std::ostream& o, std::ostream& e, Environment env,
                       const RemoteRegistry& registry)
    : out(o), err(e), env_(std::move(env)), registry_(registry) {}

Result<const Config*> AppContext::config() {
  if (!config_) {
    config_ = load_config(config_location(), env_, registry_.schemas());
    if (config_->ok()) {
      for (const auto& w : config_->value().warnings) warn(w);
    }
  }
  if (!config_->ok()) return config_->status();
  return &config_->value();
}

int AppContext::fail(const Status& s, int code) {
  err << "cpsync: error: " << redact_secrets(s.to_string()) << "\n";
  return code >= 0 ? code : exit_code_for(s);
}

void AppContext::warn(std::string_view message) {
  if (!flags.quiet) err << "cpsync: warning: " << redact_secrets(message) << "\n";
}

void on_run(CLI::App* cmd, AppContext& ctx, std::function<int()> body) {
  cmd->callback([&ctx, body = std::move(body)] { ctx.exit_code = body(); });
}

int run_cli(int argc, const char* const* argv, AppContext& ctx) {
  CLI::App app{
      "cpsync copies and mirrors object storage between clouds: S3 and S3-compatible "
      "stores, Azure Blob Storage, Alibaba Cloud OSS and the local filesystem.",
      "cpsync"};
  app.set_version_flag("--version", "cpsync " CPSYNC_VERSION);
  add_global_flags(app, ctx.flags);
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the command: cpsync listremotes --json
  for (AddCommands add : kCommandFamilies) add(app, ctx);
  app.parse_complete_callback([&ctx] { apply_global_flags(ctx.flags); });

  if (argc <= 1) {
    ctx.err << app.help();
    return kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, ctx.out, ctx.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, ctx.out, ctx.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, ctx.out, ctx.err);
  } catch (const CLI::ParseError& e) {
    // "cpsync bogus" fails as a missing subcommand; name the word that was not one.
    std::vector<std::string> rest = app.remaining(true);
    if (dynamic_cast<const CLI::RequiredError*>(&e) && !rest.empty()) {
      ctx.err << "cpsync: error: unknown command '" << rest.front() << "' (see cpsync --help)\n";
    } else {
      ctx.err << "cpsync: error: " << e.what() << " (see cpsync --help)\n";
    }
    return kExitUsage;
  } catch (const std::exception& e) {
    ctx.err << "cpsync: error: internal error: " << e.what() << "\n";
    return kExitError;
  }
  return ctx.exit_code;
}

int cpsync_main(int argc, const char* const* argv) {
  AppContext ctx(std::cout, std::cerr, current_environment(), builtin_remotes());
  int rc = run_cli(argc, argv, ctx);
  std::cout.flush();
  return rc;
}

}  // namespace cpsync
