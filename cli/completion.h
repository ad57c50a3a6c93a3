// cli/completion.h — shell completion scripts generated from the command line's description
// (cli/cli_model.h): commands, subcommands, flags in all their forms, the values a flag or
// argument accepts, and for location arguments the remote names ("name:"), which the script
// asks `cpsync listremotes` for at completion time (so a changed config needs no new script).
// One file per shell: completion_bash.cc, completion_zsh.cc, completion_fish.cc.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/cli_model.h"

namespace cpsync {

std::string bash_completion(const CommandSpec& root);
std::string zsh_completion(const CommandSpec& root);
std::string fish_completion(const CommandSpec& root);

// Helpers shared by the generators (cli/completion_common.cc).
namespace completion {

// Every command of the tree, root first, depth first.
std::vector<const CommandSpec*> all_commands(const CommandSpec& root);
// The flags a command accepts: its own, then those it inherits.
std::vector<const FlagSpec*> accepted_flags(const CommandSpec& c);
// s in single quotes for sh, bash, zsh and fish ('it'\''s'; fish reads \' inside quotes).
std::string sh_quote(std::string_view s);
std::string fish_quote(std::string_view s);
// The first line of a help text, without a trailing period, for a one-line description.
std::string summary(std::string_view help);
// Joins words with a space.
std::string join(const std::vector<std::string>& words);
// True when the flag's value is a file system path (FILE..., DIR, PATH): complete file names.
bool file_valued(const FlagSpec& f);
// A script template with every FN replaced by fn and every ROOT by root.
std::string fill_template(std::string text, const std::string& fn, const std::string& root);

}  // namespace completion
}  // namespace cpsync
