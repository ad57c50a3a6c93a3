// sync/events/sequencer_state.cc — an LRU map of key -> sequencer, saved as
// {"version":1,"keys":[[id, sequencer], ...]} in least-recently-applied order.
#include "sync/events/sequencer_state.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sync/events/storage_event.h"

namespace cpsync {

Status SequencerState::open(const std::string& path) {
  path_ = path;
  map_.clear();
  order_.clear();
  if (path.empty()) return Status::OK();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::OK();
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("keys") || !j["keys"].is_array())
    return Status{Errc::corrupt,
                  "event state " + path + " is not a cpsync event state (remove it to start over)"};
  for (const auto& e : j["keys"]) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_string())
      return Status{Errc::corrupt, "event state " + path + ": bad entry (remove it to start over)"};
    applied(e[0].get<std::string>(), e[1].get<std::string>());
  }
  dirty_ = false;
  return Status::OK();
}

bool SequencerState::stale(const std::string& id, const std::string& sequencer) const {
  if (sequencer.empty()) return false;
  auto it = map_.find(id);
  return it != map_.end() && !sequencer_less(it->second.sequencer, sequencer);
}

void SequencerState::applied(const std::string& id, const std::string& sequencer) {
  if (sequencer.empty()) return;
  auto it = map_.find(id);
  if (it != map_.end()) {
    if (!sequencer_less(it->second.sequencer, sequencer)) return;
    it->second.sequencer = sequencer;
    order_.splice(order_.end(), order_, it->second.at);
  } else {
    order_.push_back(id);
    map_.emplace(id, Entry{sequencer, std::prev(order_.end())});
    while (map_.size() > capacity_) {
      map_.erase(order_.front());
      order_.pop_front();
    }
  }
  dirty_ = true;
}

Status SequencerState::save() {
  if (path_.empty() || !dirty_) return Status::OK();
  nlohmann::json keys = nlohmann::json::array();
  for (const std::string& id : order_) keys.push_back({id, map_.at(id).sequencer});
  const nlohmann::json j = {{"version", 1}, {"keys", std::move(keys)}};
  std::error_code ec;
  const auto parent = std::filesystem::path(path_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out.flush();
    if (!out) return Status{Errc::permanent, "event state " + tmp + ": cannot write"};
  }
  if (std::rename(tmp.c_str(), path_.c_str()) != 0)
    return Status{Errc::permanent, "event state " + path_ + ": cannot replace"};
  dirty_ = false;
  return Status::OK();
}

}  // namespace cpsync
