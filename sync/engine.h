// sync/engine.h — copy, sync, move and check between any two remotes. Both listings are
// merged as sorted streams; each action (copy new, update changed, delete extra, skip)
// goes to bounded checker and transfer pools while listing goes on. Deletes happen only
// after every listing and transfer succeeded. One run at a time per SyncStats.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sync/compare.h"
#include "sync/shard.h"
#include "sync/transfer.h"

namespace cpsync {

class EntryStream;
class Filter;
class SyncState;
struct BackupTarget;

enum class SyncMode { copy, sync, move, check };

// One side of a run: a remote, a bucket and a "directory" prefix ("" or ending in "/").
struct SyncEndpoint {
  Remote* remote = nullptr;
  std::string bucket;
  std::string prefix;
  std::string display;  // "aws:bucket/dir" for messages
};

struct SyncOptions {
  SyncMode mode = SyncMode::copy;
  CompareOptions compare;
  const Filter* filter = nullptr;  // may be null: everything
  bool dry_run = false;
  int64_t max_delete = -1;  // -1: no limit
  int transfers = 4;
  // Above transfers: the pool's width adapts between 1 and this (sync/transfer_pool.h),
  // starting at transfers; objects copied in parts stay at most transfers at once. 0 or
  // <= transfers: a fixed width of transfers.
  int max_transfers = 0;
  int checkers = 8;
  int list_parallel = 1;       // requests per listing at once (sync/parallel_listing.h)
  TransferOptions transfer;    // pool must be set
  bool one_way = false;        // check: ignore objects only on the destination
  bool download = false;       // check: compare content byte for byte
  SyncState* state = nullptr;  // may be null (--no-state)
  // Only these keys (relative, sorted by bytes, unique), stat'ed instead of listed: a
  // single-file source. --files-from does the same through the filter. May be null.
  const std::vector<std::string>* only_keys = nullptr;
  const BackupTarget* backup = nullptr;  // --backup-dir; may be null
  // sync: delete at the destination even when the source lists no object in scope. Without
  // it such a run (a mistyped or unmounted source) deletes nothing and fails.
  bool allow_empty_source = false;
  // --max-transfer: copies start only while the bytes of all started copies stay within
  // this many (rclone's --cutoff-mode=cautious); -1: no limit. Reaching it ends the run
  // with Errc::cancelled, no deletes, and SyncStats::transfer_limit_reached.
  int64_t max_transfer = -1;
  // -i/--interactive: asked before each change ("copy", "move", "delete" of a relative key);
  // false skips that change. Called from the planner and checker threads, one at a time
  // only if the callee serialises. May be empty: everything is done.
  std::function<bool(std::string_view action, const std::string& key)> confirm;
  // --shard: only keys (relative) in this range exist for the run, on both sides; both are
  // listed over the range only. "No object in scope" for allow_empty_source means none in
  // the range. shard_label ("shard 2/8") names it in messages; empty when unbounded.
  KeyRange range;
  std::string shard_label;
  // --queue (the planner): each copy (remove = false) and each delete (true) of an object
  // (relative key) goes to this sink, a work queue, instead of being done here; deletes
  // still come only after complete listings. Called from the merge and checker threads.
  // Empty: everything is done here.
  std::function<Status(bool remove, const ObjectInfo& o)> enqueue;
  // --source-inventory: the source's entries come from this stream (keys relative to the
  // source root, in byte order) instead of a listing. Called once; may be empty.
  std::function<Result<std::unique_ptr<EntryStream>>()> source_stream;
};

// --files-from lists up to this many keys: the destination is stat'ed key by key when its
// listing lacks metadata (a HEAD each would follow a listing anyway); otherwise, and for
// longer lists, it is listed under the keys' common prefix.
inline constexpr size_t kStatDstMaxKeys = 100;

struct SyncStats {
  std::atomic<uint64_t> listed_src{0}, listed_dst{0};
  std::atomic<uint64_t> checked{0}, matched{0};
  std::atomic<uint64_t> transferred{0}, server_side{0};
  std::atomic<uint64_t> bytes{0};              // body bytes moved (progress)
  std::atomic<uint64_t> server_side_bytes{0};  // of those, copied server-side (not through here)
  std::atomic<uint64_t> deleted{0}, src_deleted{0};
  std::atomic<uint64_t> backed_up{0};      // --backup-dir copies
  std::atomic<uint64_t> resumed_bytes{0};  // parts a resumed upload already held (not re-sent)
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> in_flight{0};
  std::atomic<uint64_t> missing_on_dst{0}, missing_on_src{0}, differ{0};  // check
  std::atomic<uint64_t> planned_bytes{0};           // sum of sizes queued for transfer
  std::atomic<bool> transfer_limit_reached{false};  // --max-transfer stopped a copy
  // The transfer pool's width (gauge) and the widest it was (sync/transfer_pool.h).
  std::atomic<int> transfer_width{0}, transfer_width_peak{0};

  // Adds other's counts (listed, checked, matched, transferred, server-side, bytes, resumed
  // bytes, deleted, backed up, check differences) to these, and keeps the widest transfer
  // pool: the totals of several attempts.
  // Gauges (in_flight, planned_bytes), errors and the transfer-limit flag are left alone.
  void add(const SyncStats& other);
};

// Runs the operation. Before the destination is listed or touched: copy, sync and move
// refuse overlapping roots, every mode refuses a local source directory that does not
// exist, and the source listing's first page (or its error: a missing bucket) is awaited.
// The returned Status is the first error (listing errors stop the
// run at once; transfer errors are counted and the run goes on, but no delete follows).
// A sync whose source lists no object in scope deletes nothing and fails (Errc::not_found)
// unless allow_empty_source.
// For check, differences are not errors: read them from stats.
Status run_sync(const SyncEndpoint& src, const SyncEndpoint& dst, const SyncOptions& o,
                SyncStats& stats);

}  // namespace cpsync
