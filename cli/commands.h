// cli/commands.h — every command family registers its subcommands on the root app with
// one function, in its own file (cli/<family>_commands.cc). app.cc calls each once, in the
// order they appear in `cpsync --help`. Single-threaded, at start-up.
#pragma once

namespace CLI {
class App;
}

namespace cpsync {

class AppContext;

void add_version_command(CLI::App& app, AppContext& ctx);   // cli/version_command.cc
void add_config_commands(CLI::App& app, AppContext& ctx);   // cli/config_commands.cc
void add_sync_commands(CLI::App& app, AppContext& ctx);     // cli/sync_commands.cc
void add_listing_commands(CLI::App& app, AppContext& ctx);  // cli/listing_commands.cc
void add_lsf_command(CLI::App& app, AppContext& ctx);       // cli/lsf_command.cc
void add_hash_commands(CLI::App& app, AppContext& ctx);     // cli/hash_commands.cc
void add_tree_command(CLI::App& app, AppContext& ctx);      // cli/tree_command.cc
void add_object_commands(CLI::App& app, AppContext& ctx);   // cli/object_commands.cc
void add_bucket_commands(CLI::App& app, AppContext& ctx);   // cli/bucket_commands.cc
void add_about_command(CLI::App& app, AppContext& ctx);     // cli/about_command.cc
void add_cleanup_command(CLI::App& app, AppContext& ctx);   // cli/cleanup_command.cc
void add_shard_commands(CLI::App& app, AppContext& ctx);    // cli/shard_commands.cc
void add_queue_commands(CLI::App& app, AppContext& ctx);    // cli/queue_commands.cc

void add_replicate_command(CLI::App& app, AppContext& ctx);  // cli/replicate_command.cc
// `completion` and the hidden `man`: keep last, they describe every command added before.
void add_completion_commands(CLI::App& app, AppContext& ctx);  // cli/completion_command.cc

}  // namespace cpsync
