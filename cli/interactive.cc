// cli/interactive.cc — the -i/--interactive prompt (see interactive.h).
#include "cli/interactive.h"

namespace cpsync {

bool InteractivePrompt::operator()(std::string_view action, const std::string& key) {
  std::lock_guard lock(mu_);
  if (quit_ || never_.count(action)) return false;
  if (always_.count(action)) return true;
  for (;;) {
    err_ << "cpsync: " << action << " \"" << key << "\"?\n"
         << "y) Yes, this is OK (default)\nn) No, skip this\n"
         << "s) Skip all " << action << " operations with no more questions\n"
         << "!) Do all " << action << " operations with no more questions\n"
         << "q) Exit cpsync now (no further changes)\ny/n/s/!/q> " << std::flush;
    std::string answer;
    if (!std::getline(in_, answer) || answer == "q") {
      quit_ = true;
      return false;
    }
    if (answer.empty() || answer == "y") return true;
    if (answer == "n") return false;
    if (answer == "s") {
      never_.emplace(action);
      return false;
    }
    if (answer == "!") {
      always_.emplace(action);
      return true;
    }
    err_ << "cpsync: answer y, n, s, ! or q\n";
  }
}

}  // namespace cpsync
