// cli/dir_synth.h — the directories of a recursive object listing, which object stores do
// not list as entries: DirSynth yields each parent directory of the listed keys once, in key
// order, holding only the directories on the current path. One per walk; single-threaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace cpsync {

// Keys sharing a prefix are contiguous in byte order, so a stack of open dirs suffices.
class DirSynth {
 public:
  // Calls emit(dir_rel) for every ancestor directory of rel not yet emitted. A directory
  // entry (is_dir) counts as emitted itself.
  template <class Emit>
  Status on_entry(std::string_view rel, bool is_dir, Emit&& emit) {
    size_t depth = 0;
    size_t pos = 0;
    for (;;) {
      size_t slash = rel.find('/', pos);
      if (slash == std::string_view::npos) break;
      std::string_view dir = rel.substr(0, slash);
      if (depth < open_.size() && open_[depth] != dir) open_.resize(depth);
      if (depth >= open_.size()) {
        open_.emplace_back(dir);
        CPSYNC_RETURN_IF_ERROR(emit(dir));
      }
      ++depth;
      pos = slash + 1;
    }
    if (depth < open_.size()) open_.resize(depth);
    if (is_dir) open_.emplace_back(rel);
    return Status::OK();
  }

 private:
  std::vector<std::string> open_;
};

}  // namespace cpsync
