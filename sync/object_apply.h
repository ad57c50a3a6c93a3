// sync/object_apply.h — one idempotent change at the destination, as the work-queue workers
// and event replication do it: copy a source object unless the destination already holds
// it (a stat, and a source stat when the comparison needs its stored mtime), or delete an
// object (a missing one counts as deleted). Both go through the transfer engine of sync
// (sync/transfer.h). Thread-safe: many calls may run at once on one ObjectApplier.
#pragma once

#include "sync/compare.h"
#include "sync/engine.h"
#include "sync/transfer.h"

namespace cpsync {

enum class Applied { copied, already_there, deleted };

class ObjectApplier {
 public:
  // src, dst, stats and the transfer pool outlive the applier; transfer.bytes_done and
  // server_side_bytes are set to stats' counters here.
  ObjectApplier(const SyncEndpoint& src, const SyncEndpoint& dst, CompareOptions compare,
                TransferOptions transfer, SyncStats& stats);

  // Copies s (key relative to the roots; listed, planned or stat'ed) to the destination
  // unless the destination object already matches it. Errors carry "copy KEY" context.
  Result<Applied> copy(ObjectInfo s);
  // Deletes the destination object (relative key); absent already counts as deleted.
  Result<Applied> remove(const std::string& key);

  // The destination object of a relative key (stat), for callers that verify.
  Result<ObjectInfo> stat_dst(const std::string& key) const;
  // The source object of a relative key (stat), key made relative.
  Result<ObjectInfo> stat_src(const std::string& key) const;

 private:
  bool already_there(ObjectInfo& s, ObjectInfo d, const ObjectRef& from);

  const SyncEndpoint& src_;
  const SyncEndpoint& dst_;
  CompareOptions compare_;
  TransferOptions topts_;
  SyncStats& stats_;
};

}  // namespace cpsync
