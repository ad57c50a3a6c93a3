// sync/planner.h — the Planner decides, key by key as the merge join of both listings
// visits them (sync/merge.h), what a copy, sync, move or check run does: copy new and
// changed objects, keep extra ones for the deletes at the end, count differences (check),
// and carries the copies and slow comparisons (stats, hashes) out on bounded checker and
// transfer pools while the listing goes on. Deletes wait for run_deletes(), which the
// caller runs only after complete listings and no transfer error.
// The visitor calls come from the merge thread; the pools run on their own threads.
#pragma once

#include <cstddef>
#include <memory>

#include "sync/engine.h"
#include "sync/merge.h"
#include "sync/transfer_pool.h"

namespace cpsync {

// The transfer pool of a run (and of a queue worker): `transfers` wide at the start, adaptive
// up to max_transfers when that is larger, throttling from the endpoint limiters; its width
// goes to stats.transfer_width(_peak). stats must outlive the pool.
TransferPoolOptions run_transfer_pool_options(int transfers, int max_transfers, SyncStats& stats);
// Whether copying an object of `size` bytes is a large task of that pool: more than one
// chunk, so it stays within the starting width (TransferPool::submit's `large`).
inline bool large_transfer(uint64_t size, const TransferOptions& o) {
  return size > o.chunk_size;
}

class Planner : public MergeVisitor {
 public:
  // src, dst, o and stats must outlive the Planner; o.transfer.pool must be set.
  Planner(const SyncEndpoint& src, const SyncEndpoint& dst, const SyncOptions& o, SyncStats& stats);
  ~Planner() override;

  Status src_only(const ObjectInfo& s) override;
  Status dst_only(const ObjectInfo& d) override;
  Status both(const ObjectInfo& s, const ObjectInfo& d) override;

  // Waits for every check and copy; the first of their errors (ok if none), or
  // Errc::cancelled when --max-transfer stopped a copy.
  Status finish();
  // After finish(): deletes the kept extra objects in batches (or queues them, or moves
  // them to --backup-dir), within --max-delete; refuses all when no source object was in
  // scope unless allow_empty_source. Returns the first error.
  Status run_deletes();
  // Extra objects kept for run_deletes().
  size_t pending_deletes() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cpsync
