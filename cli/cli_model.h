// cli/cli_model.h — a plain description of the command line (commands, their flags and
// positional arguments), read by walking the CLI11 app after every command registered
// itself. The shell completion scripts and the man page are generated from it, so a new
// command or flag shows up in both without an edit here. Hidden commands and options (CLI11
// group "") are left out. Single-threaded; the app must outlive the call only.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace cpsync {

struct FlagSpec {
  std::vector<std::string> names;    // every form with its dashes: "-v", "--verbose"
  bool takes_value = false;          // false for a switch (-v, --json)
  std::string value_name;            // e.g. "FILE", "SIZE"; "" for a switch
  std::vector<std::string> choices;  // the accepted values when the option lists them
  std::string help;
  std::string default_value;  // as --help shows it; "" when none
  bool is_help = false;       // the command's -h/--help
};

struct PositionalSpec {
  std::string name;  // as CLI11 names it: "source", "remote"
  std::string help;
  std::vector<std::string> choices;  // empty: a location (remote spec or local path)
  bool required = false;
  bool repeated = false;  // takes more than one word
};

struct CommandSpec {
  std::vector<std::string> path;  // {"cpsync", "config", "show"}
  std::string help;
  std::vector<FlagSpec> flags;      // its own flags, -h/--help included
  std::vector<FlagSpec> inherited;  // the parents' flags it also accepts (CLI11 fallthrough)
  std::vector<PositionalSpec> positionals;
  std::vector<CommandSpec> subcommands;  // in definition order
  bool needs_subcommand = false;

  std::string joined() const;  // "cpsync config show"
};

// Walks app (the root) and its visible subcommands, depth first.
CommandSpec describe_cli(const CLI::App& app);

}  // namespace cpsync
