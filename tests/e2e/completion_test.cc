// tests/e2e/completion_test.cc — `cpsync completion bash|zsh|fish` ([completion], ctest
// cli_docs, label package): bash completes commands, subcommands, flags, flag values and
// remote names from the config in use (sourced in `bash --norc`, driven through COMP_LINE);
// fish completes them through `complete -C`; zsh loads the script under compinit. The
// expected commands and flags come from the binary's --help (cli_help_walk.h).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <sstream>

#include "tests/e2e/cli_help_walk.h"

namespace cpsync::testing {
namespace {

const std::string kBinDir = std::filesystem::path(CPSYNC_BINARY).parent_path().string();

std::set<std::string> words_of(const std::string& line) {
  std::set<std::string> out;
  std::stringstream in(line);
  for (std::string w; in >> w;) out.insert(w);
  return out;
}

// Runs script with cpsync on PATH, in dir, with CPSYNC_CONFIG=config; returns its stdout.
std::string run_shell(const std::vector<std::string>& shell, const TempDir& dir,
                      const std::string& script, const std::string& config) {
  write_file_text(dir / "script", script);
  std::vector<std::string> argv = {"/usr/bin/env",       "-C",
                                   dir.path(),           "PATH=" + kBinDir + ":/usr/bin:/bin",
                                   "HOME=" + dir.path(), "CPSYNC_CONFIG=" + config};
  argv.insert(argv.end(), shell.begin(), shell.end());
  argv.push_back(dir / "script");
  RunResult r = run_argv(argv);
  INFO(r.err);
  REQUIRE(r.code == 0);
  return r.out;
}

// One line per query "LINE|words...", from the completion function of the bash script.
std::map<std::string, std::set<std::string>> bash_complete(const TempDir& dir,
                                                           const std::string& config,
                                                           const std::vector<std::string>& lines) {
  std::string script = "source <(cpsync completion bash)\ncomplete -p cpsync\n";
  script +=
      "q() { COMP_LINE=$1; COMP_POINT=${#1}; COMPREPLY=(); _cpsync; "
      "printf '%s|%s\\n' \"$1\" \"${COMPREPLY[*]}\"; }\n";
  for (const auto& l : lines) script += "q '" + l + "'\n";
  std::string out = run_shell({"bash", "--norc", "--noprofile"}, dir, script, config);
  std::map<std::string, std::set<std::string>> replies;
  std::stringstream in(out);
  std::string line;
  std::getline(in, line);
  CHECK(line == "complete -o bashdefault -o default -F _cpsync cpsync");
  while (std::getline(in, line)) {
    auto bar = line.find('|');
    REQUIRE(bar != std::string::npos);
    replies[line.substr(0, bar)] = words_of(line.substr(bar + 1));
  }
  REQUIRE(replies.size() == lines.size());
  return replies;
}

std::set<std::string> with_prefix(const std::vector<std::string>& words, const std::string& p) {
  std::set<std::string> out;
  for (const auto& w : words) {
    if (w.starts_with(p)) out.insert(w);
  }
  return out;
}

std::string test_config(const TempDir& dir) {
  return write_config(dir,
                      "[aws]\ntype = s3\naccess_key_id = AKIDEXAMPLE\n"
                      "secret_access_key = secret\n\n[azblob]\ntype = azureblob\n"
                      "account = acct\nkey = a2V5\n\n[disk]\ntype = local\n");
}

}  // namespace

TEST_CASE("bash completes commands, flags, flag values and remote names", "[completion]") {
  TempDir dir;
  const std::string config = test_config(dir);
  write_file_text(dir / "a-local.txt", "x");
  TempDir other;  // a second config, named on the command line
  const std::string other_config = write_config(other, "[archive]\ntype = local\n");
  const auto help = walk_help();
  REQUIRE(help.size() > 20);  // the walk found the command tree

  const auto r =
      bash_complete(dir, config,
                    {"cpsync ", "cpsync co", "cpsync config ", "cpsync sync -", "cpsync sync --d",
                     "cpsync sync a", "cpsync sync --transfers 4 aws:bucket/x a",
                     "cpsync --config " + other_config + " sync ", "cpsync sync aws:b",
                     "cpsync completion ", "cpsync --config a-", "cpsync -v ls --json a"});

  std::set<std::string> top(help.at("").subcommands.begin(), help.at("").subcommands.end());
  CHECK(r.at("cpsync ") == top);
  CHECK(r.at("cpsync co") == with_prefix(help.at("").subcommands, "co"));
  CHECK(r.at("cpsync co").count("copy") == 1);
  const auto& cfg = help.at("config").subcommands;
  CHECK(r.at("cpsync config ") == std::set<std::string>(cfg.begin(), cfg.end()));

  // A command's flags, and the global ones it also accepts.
  std::set<std::string> sync_flags = help.at("sync").flags;
  sync_flags.insert(help.at("").flags.begin(), help.at("").flags.end());
  CHECK(r.at("cpsync sync -") == sync_flags);
  CHECK(r.at("cpsync sync -").count("--dry-run") == 1);
  CHECK(r.at("cpsync sync -").count("-n") == 1);
  std::set<std::string> d;
  for (const auto& f : sync_flags) {
    if (f.starts_with("--d")) d.insert(f);
  }
  CHECK(r.at("cpsync sync --d") == d);

  // Locations: remote names from the config in use, then local files.
  CHECK(r.at("cpsync sync a") == std::set<std::string>{"aws:", "azblob:", "a-local.txt"});
  CHECK(r.at("cpsync sync --transfers 4 aws:bucket/x a") ==
        std::set<std::string>{"aws:", "azblob:", "a-local.txt"});
  CHECK(r.at("cpsync -v ls --json a") == std::set<std::string>{"aws:", "azblob:", "a-local.txt"});
  CHECK(r.at("cpsync --config " + other_config + " sync ").count("archive:") == 1);
  CHECK(r.at("cpsync --config " + other_config + " sync ").count("aws:") == 0);
  CHECK(r.at("cpsync sync aws:b").empty());
  // Values: the accepted ones, or file names for a FILE.
  CHECK(r.at("cpsync completion ") == std::set<std::string>{"bash", "zsh", "fish"});
  CHECK(r.at("cpsync --config a-") == std::set<std::string>{"a-local.txt"});
}

TEST_CASE("fish completes commands, flags and remote names", "[completion]") {
  TempDir dir;
  const std::string config = test_config(dir);
  const auto help = walk_help();
  std::string script = "cpsync completion fish | source\n";
  for (const char* q : {"cpsync co", "cpsync config ", "cpsync sync --dry", "cpsync copy a",
                        "cpsync completion "}) {
    script += std::string("echo '#") + q + "'\ncomplete -C '" + q + "'\n";
  }
  std::string out = run_shell({"fish", "--no-config"}, dir, script, config);
  std::map<std::string, std::set<std::string>> r;
  std::string current;
  std::stringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("#")) {
      current = line.substr(1);
      r[current];
    } else {
      r[current].insert(line.substr(0, line.find('\t')));
    }
  }
  CHECK(r.at("cpsync co") == with_prefix(help.at("").subcommands, "co"));
  const auto& cfg = help.at("config").subcommands;
  CHECK(r.at("cpsync config ") == std::set<std::string>(cfg.begin(), cfg.end()));
  CHECK(r.at("cpsync sync --dry") == std::set<std::string>{"--dry-run"});
  CHECK(r.at("cpsync copy a") == std::set<std::string>{"aws:", "azblob:"});
  CHECK(r.at("cpsync completion ") == std::set<std::string>{"bash", "zsh", "fish"});
}

TEST_CASE("the zsh script parses, registers under compinit and lists every command",
          "[completion]") {
  TempDir dir;
  const std::string config = test_config(dir);
  RunResult script = run_argv({CPSYNC_BINARY, "completion", "zsh"});
  REQUIRE(script.code == 0);
  write_file_text(dir / "_cpsync", script.out);
  RunResult syntax = run_argv({"/usr/bin/env", "zsh", "-n", dir / "_cpsync"});
  INFO(syntax.err);
  CHECK(syntax.code == 0);
  std::string out =
      run_shell({"zsh", "-f"}, dir,
                "autoload -U compinit\ncompinit -u -d " + (dir / "zcompdump") + "\nsource " +
                    (dir / "_cpsync") + "\nprint -r -- $_comps[cpsync]\n",
                config);
  CHECK(out == "_cpsync\n");
  CHECK(script.out.starts_with("#compdef cpsync\n"));
  // Each command's arm, its subcommands and flags with their help.
  const auto help = walk_help();
  for (const auto& [path, h] : help) {
    INFO(path);
    CHECK(script.out.find("    'cpsync" + (path.empty() ? "" : " " + path) + "')\n") !=
          std::string::npos);
    for (const auto& s : h.subcommands) CHECK(script.out.find("'" + s + ":") != std::string::npos);
    for (const auto& f : h.flags) CHECK(script.out.find("'" + f + ":") != std::string::npos);
  }
}

TEST_CASE("completion refuses an unknown shell", "[completion]") {
  RunResult r = run_argv({CPSYNC_BINARY, "completion", "tcsh"});
  CHECK(r.code == 1);
  CHECK(r.err.find("tcsh") != std::string::npos);
  CHECK(r.out.empty());
}

}  // namespace cpsync::testing
