// sync/events/sequencer_state.h — the small state of event replication: per object (bucket
// and key), the sequencer of the newest event applied, so that a duplicate or an older
// event arriving later is dropped. Bounded: past `capacity` keys the least recently applied
// are forgotten (an event for a forgotten key is applied from the source's current state,
// which is safe, only not free). Kept in a JSON file rewritten through a temp file and
// rename after each batch. Not thread-safe: the replicator calls it from one thread.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>

#include "core/status.h"

namespace cpsync {

class SequencerState {
 public:
  explicit SequencerState(size_t capacity = 100000) : capacity_(capacity) {}

  // Reads path (a missing file is an empty state; a corrupt one is Errc::corrupt naming it).
  // Later save() calls write there. An empty path keeps the state in memory only.
  Status open(const std::string& path);

  // True when the key already saw an event at or after this sequencer (drop it). An empty
  // sequencer is never stale.
  bool stale(const std::string& id, const std::string& sequencer) const;
  // Records the sequencer applied for the key (no-op for an empty one or an older one).
  void applied(const std::string& id, const std::string& sequencer);

  Status save();
  size_t size() const { return map_.size(); }

 private:
  struct Entry {
    std::string sequencer;
    std::list<std::string>::iterator at;  // position in order_
  };
  size_t capacity_;
  std::string path_;
  std::unordered_map<std::string, Entry> map_;
  std::list<std::string> order_;  // least recently applied first
  bool dirty_ = false;
};

}  // namespace cpsync
