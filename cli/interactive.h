// cli/interactive.h — the -i/--interactive prompt of copy, sync and move: before each change
// it asks on stderr and reads one answer line from stdin. Safe from many threads: one
// question at a time.
#pragma once

#include <istream>
#include <mutex>
#include <ostream>
#include <set>
#include <string>
#include <string_view>

namespace cpsync {

class InteractivePrompt {
 public:
  InteractivePrompt(std::istream& in, std::ostream& err) : in_(in), err_(err) {}
  // Answers, as rclone's: y (yes, also an empty line), n (no), ! (yes to every further
  // change of this kind), s (skip every further change of this kind), q (no to everything
  // from now on; also at end of input).
  bool operator()(std::string_view action, const std::string& key);

 private:
  std::mutex mu_;
  std::istream& in_;
  std::ostream& err_;
  std::set<std::string, std::less<>> always_, never_;
  bool quit_ = false;
};

}  // namespace cpsync
