// cli/completion_command.cc — `cpsync completion bash|zsh|fish` (prints the completion
// script) and the hidden `cpsync man` (prints the man page; the build runs it). Both walk
// the finished app when they run, so every command registered by then is in their output.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/app.h"
#include "cli/cli_model.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/exit_codes.h"
#include "cli/man_page.h"

namespace cpsync {

void add_completion_commands(CLI::App& app, AppContext& ctx) {
  auto shell = std::make_shared<std::string>();
  auto* completion = app.add_subcommand(
      "completion",
      "Print the shell completion script for bash, zsh or fish (e.g. source <(cpsync "
      "completion bash))");
  completion->add_option("shell", *shell, "The shell")
      ->required()
      ->check(CLI::IsMember({std::string("bash"), std::string("zsh"), std::string("fish")}));
  on_run(completion, ctx, [&app, &ctx, shell] {
    const CommandSpec root = describe_cli(app);
    if (*shell == "bash") ctx.out << bash_completion(root);
    if (*shell == "zsh") ctx.out << zsh_completion(root);
    if (*shell == "fish") ctx.out << fish_completion(root);
    return kExitOk;
  });

  auto usage = std::make_shared<std::string>();
  auto* man = app.add_subcommand("man", "Print the man page (the build installs it)");
  man->group("");  // hidden: not in --help, the completions or the man page itself
  man->add_option("--usage", *usage, "docs/usage.md, whose sections the page includes")
      ->type_name("FILE");
  on_run(man, ctx, [&app, &ctx, usage]() -> int {
    std::string markdown;
    if (!usage->empty()) {
      std::ifstream in(*usage, std::ios::binary);
      if (!in) return ctx.fail(Status{Errc::not_found, "cannot read " + *usage}, kExitUsage);
      std::ostringstream text;
      text << in.rdbuf();
      markdown = text.str();
    }
    ctx.out << man_page(describe_cli(app), markdown, CPSYNC_VERSION);
    return kExitOk;
  });
}

}  // namespace cpsync
