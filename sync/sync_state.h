// sync/sync_state.h — what the last run of one (source, destination) pair synced, so an
// incremental run skips unchanged objects without a per-object HEAD where a listing lacks
// metadata (an S3 or OSS destination, or source: its stored mtime). One sorted file per
// pair; read as a forward cursor in merge order (flat memory) and rewritten at the end of each run through a temp file and
// rename, so a crash never leaves it half-written. A lost or stale state costs only extra
// HEAD requests: an entry is trusted only if size, mtime and ETag on BOTH sides still match.
// unchanged()/record_in_order() are called from the merge thread in key order;
// record_async() from any thread.
#pragma once

#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "remotes/remote.h"

namespace cpsync {

struct StateEntry {
  std::string key;  // relative key
  uint64_t src_size = 0;
  int64_t src_mtime_ns = 0;
  std::string src_etag;
  uint64_t dst_size = 0;
  std::string dst_etag;  // "mtime:<ns>" for a destination without ETags (local files)
};

class SyncState {
 public:
  // path: the state file for this pair (missing = empty). Creates the directory.
  static Result<std::unique_ptr<SyncState>> open(const std::string& path);
  ~SyncState();

  // True when the last run recorded this pair and both sides still match it.
  bool unchanged(const ObjectInfo& src, const ObjectInfo& dst);
  // Records a pair known equal, in merge order.
  void record_in_order(const ObjectInfo& src, const ObjectInfo& dst);
  // Records a pair that became equal out of order (a copy, a HEAD-confirmed match).
  void record_async(const ObjectInfo& src, const ObjectInfo& dst);
  // Writes the new state (entries recorded this run) in place of the old.
  Status commit();

  // $XDG_STATE_HOME/cpsync (or ~/.local/state/cpsync) / <hash of the pair>.state
  static std::string default_path(const std::string& state_dir, const std::string& src_id,
                                  const std::string& dst_id);

 private:
  SyncState() = default;
  bool read_next();

  std::string path_;
  FILE* old_ = nullptr;  // cursor over the previous state
  bool old_done_ = false;
  StateEntry old_cur_;
  bool old_valid_ = false;
  FILE* in_order_ = nullptr;  // this run's in-order entries (temp file)
  std::string in_order_path_;
  std::mutex mu_;
  std::map<std::string, StateEntry> async_;  // this run's out-of-order entries
  bool write_failed_ = false;
};

}  // namespace cpsync
