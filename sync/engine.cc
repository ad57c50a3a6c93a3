// sync/engine.cc — run_sync: the checks before a run, the two listings (or stat streams)
// merged into the Planner (sync/planner.h), then the state commit and the deletes.
#include "sync/engine.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <vector>

#include "core/log.h"
#include "sync/entry_stream.h"
#include "sync/filter.h"
#include "sync/merge.h"
#include "sync/planner.h"
#include "sync/preflight.h"
#include "sync/sync_state.h"

namespace cpsync {
namespace {

std::string common_prefix(const std::string& a, const std::string& b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return a.substr(0, n);
}

// Without a listing of the destination, learns whether its bucket exists from a one-key,
// non-recursive listing, and makes the bucket when it does not.
Status ensure_bucket(const SyncEndpoint& dst, const std::string& rel_key) {
  ListRequest req;
  req.bucket = dst.bucket;
  req.prefix = dst.prefix + rel_key;
  req.recursive = false;
  Status st = dst.remote->list(req, [](std::vector<ObjectInfo>&) {
    return Status{Errc::cancelled, "first page is enough"};
  });
  if (st.code != Errc::not_found) return Status::OK();
  Status mk = dst.remote->make_bucket(dst.bucket);
  if (!mk.ok() && mk.code != Errc::conflict) return mk.with_context(dst.display);
  return Status::OK();
}

}  // namespace

void SyncStats::add(const SyncStats& o) {
  for (auto [to, from] : {std::pair{&listed_src, &o.listed_src},
                          {&listed_dst, &o.listed_dst},
                          {&checked, &o.checked},
                          {&matched, &o.matched},
                          {&transferred, &o.transferred},
                          {&server_side, &o.server_side},
                          {&bytes, &o.bytes},
                          {&server_side_bytes, &o.server_side_bytes},
                          {&deleted, &o.deleted},
                          {&src_deleted, &o.src_deleted},
                          {&backed_up, &o.backed_up},
                          {&resumed_bytes, &o.resumed_bytes},
                          {&missing_on_dst, &o.missing_on_dst},
                          {&missing_on_src, &o.missing_on_src},
                          {&differ, &o.differ}})
    *to += from->load();
  if (o.transfer_width_peak > transfer_width_peak)
    transfer_width_peak = o.transfer_width_peak.load();
}

Status run_sync(const SyncEndpoint& src, const SyncEndpoint& dst, const SyncOptions& o,
                SyncStats& stats) {
  if (!src.remote || !dst.remote || !o.transfer.pool)
    return Status{Errc::invalid_argument, "run_sync: remote or buffer pool missing"};
  if (o.mode != SyncMode::check) CPSYNC_RETURN_IF_ERROR(check_overlap(src, dst, o.filter));
  if (!o.only_keys && !o.source_stream) CPSYNC_RETURN_IF_ERROR(check_source_root(src));
  // Named keys (a single-file source or --files-from) are stat'ed, never listed.
  const std::vector<std::string>* named = o.only_keys ? o.only_keys
                                          : o.filter  ? o.filter->files_from()
                                                      : nullptr;
  std::vector<std::string> named_in_range;  // --shard: the named keys of this shard only
  if (named && o.range.bounded()) {
    std::copy_if(named->begin(), named->end(), std::back_inserter(named_in_range),
                 [&](const std::string& k) { return o.range.contains(k); });
    named = &named_in_range;
  }
  // Filters that admit only keys under one prefix: list only there (rclone does the same).
  std::string under;
  if (o.only_keys && !o.only_keys->empty())
    under = common_prefix(o.only_keys->front(), o.only_keys->back());
  else if (o.filter)
    under = o.filter->required_prefix();
  // --delete-excluded deletes what the filters exclude: the whole destination is listed.
  const bool whole_dst = o.mode == SyncMode::sync && o.filter && o.filter->delete_excluded();
  const bool stat_dst = named && !whole_dst && named->size() <= kStatDstMaxKeys &&
                        !dst.remote->features().metadata_in_listing;
  const bool make_dst = o.mode != SyncMode::check && !o.dry_run && !dst.bucket.empty();

  // The destination may not exist yet: a missing bucket or directory lists as empty and
  // the first upload creates it.
  Status merged;
  Planner planner(src, dst, o, stats);
  {
    std::unique_ptr<EntryStream> src_list, dst_list;
    if (o.source_stream) {
      auto stream = o.source_stream();
      if (!stream.ok()) return stream.status();
      src_list = std::move(stream).value();
    } else if (named) {
      src_list =
          std::make_unique<StatStream>(*src.remote, src.bucket, src.prefix, *named, o.checkers);
    } else {
      // Nothing happens at the destination until the source is known to list: a missing
      // source bucket stops the run here.
      auto listing = std::make_unique<RemoteListing>(*src.remote, src.bucket, src.prefix, 4, false,
                                                     under, o.range, o.list_parallel);
      listing->wait_first();
      if (Status st = listing->status(); !st.ok()) {
        if (st.code != Errc::not_found) return st;
        // A listing finds no bucket only: a missing prefix lists as empty.
        Status missing{Errc::not_found,
                       "listing source " + src.display + ": bucket '" + src.bucket + "' not found"};
        missing.provider_code = st.provider_code;
        missing.missing = Missing::bucket;
        return missing;
      }
      src_list = std::move(listing);
    }
    if (stat_dst) {
      if (make_dst && !named->empty()) {
        Status mk = ensure_bucket(dst, named->front());
        if (!mk.ok()) return mk;
      }
      dst_list =
          std::make_unique<StatStream>(*dst.remote, dst.bucket, dst.prefix, *named, o.checkers);
    } else {
      auto listing = std::make_unique<RemoteListing>(
          *dst.remote, dst.bucket, dst.prefix, 4,
          /*missing_is_empty=*/true, whole_dst ? std::string() : under, o.range, o.list_parallel);
      // Make the bucket before transfers start if the destination lacks it.
      if (make_dst && listing->wait_first() && listing->missing()) {
        Status mk = dst.remote->make_bucket(dst.bucket);
        if (!mk.ok() && mk.code != Errc::conflict) return mk.with_context(dst.display);
      }
      dst_list = std::move(listing);
    }
    merged = merge_sorted(*src_list, *dst_list, planner);
  }
  Status transfers = planner.finish();
  if (!merged.ok()) {
    if (planner.pending_deletes())
      log_error("not deleting " + std::to_string(planner.pending_deletes()) +
                " extra objects: listing failed");
    return merged;
  }
  if (o.state && !o.dry_run) {
    Status st = o.state->commit();
    if (!st.ok()) log_error("could not save sync state: " + st.to_string());
  }
  if (!transfers.ok()) {
    if (planner.pending_deletes())
      log_error("not deleting " + std::to_string(planner.pending_deletes()) +
                " extra objects: there were transfer errors");
    return transfers;
  }
  return planner.run_deletes();
}

}  // namespace cpsync
