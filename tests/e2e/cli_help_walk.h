// tests/e2e/cli_help_walk.h — every command path and its flags as the binary's own --help
// prints them (CLI11's help formatter), walked recursively: an account of the command line
// that does not come from cli/cli_model.h, for checking what is generated from it.
// Test-thread only.
#pragma once

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_harness.h"

namespace cpsync::testing {

struct HelpCommand {
  std::vector<std::string> subcommands;
  std::set<std::string> flags;  // every form: "-n", "--dry-run"
};

// Parses one --help text: option lines ("  -n,--dry-run  ...", "  --config FILE  ...") in any
// section, subcommand lines ("  show  ...") under "Subcommands:".
inline HelpCommand parse_help(const std::string& text) {
  HelpCommand h;
  std::istringstream in(text);
  std::string line;
  bool in_subs = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ') {
      in_subs = line == "Subcommands:";
      continue;
    }
    if (!line.starts_with("  ") || line.size() < 3 || line[2] == ' ') continue;
    std::string first = line.substr(2, line.find(' ', 2) - 2);
    if (first.starts_with("-")) {
      std::stringstream names(first);
      for (std::string n; std::getline(names, n, ',');) h.flags.insert(n);
    } else if (in_subs) {
      h.subcommands.push_back(first);
    }
  }
  return h;
}

// Command path ("" for the root, "config show") -> what its --help lists.
inline std::map<std::string, HelpCommand> walk_help() {
  std::map<std::string, HelpCommand> out;
  std::vector<std::string> todo = {""};
  while (!todo.empty()) {
    std::string path = todo.back();
    todo.pop_back();
    std::vector<std::string> argv = {CPSYNC_BINARY};
    std::stringstream words(path);
    for (std::string w; words >> w;) argv.push_back(w);
    argv.push_back("--help");
    RunResult r = run_argv(argv);
    REQUIRE(r.code == 0);
    HelpCommand h = parse_help(r.out);
    for (const auto& s : h.subcommands) todo.push_back(path.empty() ? s : path + " " + s);
    out[path] = std::move(h);
  }
  return out;
}

}  // namespace cpsync::testing
