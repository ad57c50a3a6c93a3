// sync/planner.cc — the Planner: verdicts per key and the checker and transfer pools that
// carry them out (see planner.h).
#include "sync/planner.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <vector>

#include "core/crypto.h"
#include "core/log.h"
#include "sync/backup_dir.h"
#include "sync/filter.h"
#include "sync/sync_state.h"
#include "sync/transfer_pool.h"
#include "sync/work_pool.h"

namespace cpsync {
namespace {

std::string join_key(const std::string& prefix, const std::string& rel) {
  return prefix + rel;
}

}  // namespace

TransferPoolOptions run_transfer_pool_options(int transfers, int max_transfers, SyncStats& stats) {
  TransferPoolOptions p;
  p.start = p.large = std::max(1, transfers);
  p.max = std::max(p.start, max_transfers);
  p.queue_capacity = static_cast<size_t>(p.max) * 2;
  p.throttles = endpoint_throttles_seen;
  stats.transfer_width = stats.transfer_width_peak = p.start;
  if (p.max > p.start)
    p.on_change = [&stats](int width, bool cut) {
      stats.transfer_width = width;
      if (width > stats.transfer_width_peak) stats.transfer_width_peak = width;
      log_debug("transfers in parallel: " + std::to_string(width) +
                (cut ? " (cut: a request was throttled)" : ""));
    };
  return p;
}

class Planner::Impl {
 public:
  Impl(const SyncEndpoint& src, const SyncEndpoint& dst, const SyncOptions& o, SyncStats& stats)
      : src_(src),
        dst_(dst),
        o_(o),
        stats_(stats),
        checkers_(o.checkers, static_cast<size_t>(o.checkers) * 4),
        transfers_(run_transfer_pool_options(o.transfers, o.max_transfers, stats)) {
    topts_ = o.transfer;
    topts_.bytes_done = &stats_.bytes;
    topts_.server_side_bytes = &stats_.server_side_bytes;
  }

  Status src_only(const ObjectInfo& s) {
    ++stats_.listed_src;
    if (age_needs_stat(s)) {
      checkers_.submit([this, s] {
        if (auto full = with_metadata(src_, s)) new_object(*full);
      });
      return Status::OK();
    }
    new_object(s);
    return Status::OK();
  }

  Status dst_only(const ObjectInfo& d) {
    ++stats_.listed_dst;
    if (age_needs_stat(d)) {
      checkers_.submit([this, d] {
        if (auto full = with_metadata(dst_, d)) extra_object(*full);
      });
      return Status::OK();
    }
    extra_object(d);
    return Status::OK();
  }

  Status both(const ObjectInfo& s, const ObjectInfo& d) {
    ++stats_.listed_src;
    if (age_needs_stat(s)) {
      checkers_.submit([this, s, d] {
        auto full = with_metadata(src_, s);
        if (!full) return;
        if (in_scope(*full)) return pair(*full, d, /*in_merge_order=*/false);
        ++stats_.listed_dst;
        if (!age_needs_stat(d)) return extra_object(d);
        if (auto dst = with_metadata(dst_, d)) extra_object(*dst);
      });
      return Status::OK();
    }
    if (!in_scope(s)) {
      // As in rclone, each side is filtered on its own: an excluded source object leaves
      // the destination's one to be judged as if it were the only one.
      return dst_only(d);
    }
    pair(s, d, /*in_merge_order=*/true);
    return Status::OK();
  }

  // Waits for all work; returns the first transfer error (ok if none).
  Status finish() {
    checkers_.finish();
    transfers_.finish();
    std::lock_guard lock(mu_);
    if (first_error_.ok() && stats_.transfer_limit_reached)
      return Status{Errc::cancelled, "--max-transfer " + std::to_string(o_.max_transfer) +
                                         " bytes reached: stopped before the next copy"};
    return first_error_;
  }

  Status run_deletes() {
    if (pending_deletes_.empty()) return Status::OK();
    if (src_in_scope_ == 0 && !o_.allow_empty_source) {
      ++stats_.errors;
      const std::string where = o_.shard_label.empty()
                                    ? std::string()
                                    : " in " + o_.shard_label + " " + o_.range.describe();
      return Status{Errc::not_found,
                    src_.display + " lists no objects" + where + ": not deleting the " +
                        (pending_deletes_.size() == 1
                             ? std::string("1 object")
                             : std::to_string(pending_deletes_.size()) + " objects") +
                        " at " + dst_.display +
                        " (a mistyped or unmounted source?); pass --allow-empty-source to "
                        "empty the destination"};
    }
    size_t allowed = pending_deletes_.size();
    Status limit;
    if (o_.max_delete >= 0 && pending_deletes_.size() > static_cast<size_t>(o_.max_delete)) {
      allowed = static_cast<size_t>(o_.max_delete);
      limit = Status{Errc::permanent,
                     "--max-delete " + std::to_string(o_.max_delete) +
                         " reached: " + std::to_string(pending_deletes_.size() - allowed) +
                         " extra objects at " + dst_.display + " not deleted"};
    }
    std::vector<std::string> batch;
    Status first;
    auto flush = [&] {
      if (batch.empty()) return;
      Status st = dst_.remote->remove_many(dst_.bucket, batch);
      if (!st.ok()) {
        ++stats_.errors;
        if (first.ok()) first = st;
      } else {
        stats_.deleted += batch.size();
      }
      batch.clear();
    };
    for (size_t i = 0; i < allowed; ++i) {
      const std::string& rel = pending_deletes_[i].key;
      if (o_.dry_run) {
        log_object(LogLevel::notice, rel, "skipped delete as --dry-run is set");
        continue;
      }
      if (!confirmed("delete", rel)) continue;
      if (o_.enqueue) {  // done by the queue's workers
        if (Status st = o_.enqueue(true, pending_deletes_[i]); !st.ok() && first.ok()) first = st;
        continue;
      }
      if (o_.backup) {
        auto b = backup_object(dst_, *o_.backup, pending_deletes_[i], topts_);
        if (!b.ok()) {  // not kept, so not deleted
          ++stats_.errors;
          log_error(b.status().to_string());
          if (first.ok()) first = b.status();
          continue;
        }
        ++stats_.backed_up;
        log_object(LogLevel::info, rel, "moved to " + o_.backup->where.display);
      } else {
        log_object(LogLevel::info, rel, "deleted");
      }
      batch.push_back(join_key(dst_.prefix, rel));
      if (batch.size() == 1000) flush();
    }
    flush();
    return first.ok() ? limit : first;
  }

  size_t pending_deletes() const { return pending_deletes_.size(); }

 private:
  // Objects are filtered by the mtime stored with them (rclone's); an S3/OSS listing gives
  // only the upload time, which is never earlier.
  bool in_scope(const ObjectInfo& s) const {
    if (o_.only_keys && !std::binary_search(o_.only_keys->begin(), o_.only_keys->end(), s.key))
      return false;
    return !o_.filter || o_.filter->include(s.key, s.size, source_mtime(s));
  }

  // True when the age filters could judge o otherwise by its stored mtime than by its
  // listed upload time: then a stat (on a checker) comes first.
  bool age_needs_stat(const ObjectInfo& o) const {
    return o_.filter && !metadata_complete(o) && o_.filter->age_needs_stored_mtime(o.mtime);
  }

  // o with the metadata a stat gives (its listed mtime and ETag kept, as the sync state
  // matches on them); nullopt after a failure, which is counted.
  std::optional<ObjectInfo> with_metadata(const SyncEndpoint& ep, ObjectInfo o) {
    auto st = ep.remote->stat(ObjectRef{ep.bucket, join_key(ep.prefix, o.key)});
    if (!st.ok()) {
      fail(st.status().with_context("stat " + o.key));
      return std::nullopt;
    }
    o.metadata = std::move(st->metadata);
    o.content = std::move(st->content);
    o.metadata_known = true;
    return o;
  }

  // A source object without a destination twin. Any thread.
  void new_object(const ObjectInfo& s) {
    if (!in_scope(s)) return;
    ++src_in_scope_;
    if (o_.mode == SyncMode::check) {
      ++stats_.missing_on_dst;
      log_object(LogLevel::error, s.key, "file not in " + dst_.display);
      return;
    }
    schedule_copy(s, "new");
  }

  // A destination object without a source twin in scope. Any thread.
  void extra_object(const ObjectInfo& d) {
    if (!in_scope(d)) {  // the destination's own size and age
      if (delete_excluded()) keep_for_delete(d);
      return;
    }
    if (o_.mode == SyncMode::check) {
      if (!o_.one_way) {
        ++stats_.missing_on_src;
        log_object(LogLevel::error, d.key, "file not in " + src_.display);
      }
      return;
    }
    if (o_.mode == SyncMode::sync) keep_for_delete(d);
  }

  // Both sides hold the key and the source object is in scope. The sync state is read only
  // in merge order (from the merge thread); otherwise any thread.
  void pair(const ObjectInfo& s, const ObjectInfo& d, bool in_merge_order) {
    ++src_in_scope_;
    ++stats_.listed_dst;
    ++stats_.checked;
    if (o_.mode == SyncMode::check && o_.download) {
      if (in_merge_order) return checkers_.submit([this, s, d] { check_download(s, d); });
      return check_download(s, d);
    }
    if (in_merge_order && o_.state && o_.compare.mode == CompareMode::size_mtime &&
        !o_.compare.update && !o_.compare.ignore_existing && o_.state->unchanged(s, d)) {
      o_.state->record_in_order(s, d);
      (void)matched(s);
      return;
    }
    if (!in_merge_order) return check_slow(s, d);  // decides every verdict
    switch (compare_objects(s, d, o_.compare)) {
      case Verdict::same:
        if (o_.state) o_.state->record_in_order(s, d);
        (void)matched(s);
        return;
      case Verdict::differ:
        (void)differs(s, "changed", &d);
        return;
      case Verdict::need_dst_stat:
      case Verdict::need_src_stat:
      case Verdict::need_hash:
        checkers_.submit([this, s, d] { check_slow(s, d); });
        return;
    }
  }

  // Deletes wait for the end of the run: keep what a delete (and a backup copy) needs.
  void keep_for_delete(const ObjectInfo& d) {
    std::lock_guard lock(mu_);
    ObjectInfo& kept = pending_deletes_.emplace_back();
    kept.key = d.key;
    if (!o_.backup) return;
    kept.size = d.size;
    kept.mtime = d.mtime;
    kept.etag = d.etag;
    kept.md5 = d.md5;
  }

  bool delete_excluded() const {
    return o_.mode == SyncMode::sync && o_.filter && o_.filter->delete_excluded();
  }

  Status matched(const ObjectInfo& s) {
    ++stats_.matched;
    log_object(LogLevel::debug, s.key, "unchanged, skipping");
    if (o_.mode == SyncMode::move) schedule_src_delete(s);
    return Status::OK();
  }

  // d: the destination object that the copy replaces (kept first with --backup-dir).
  Status differs(const ObjectInfo& s, const char* why, const ObjectInfo* d) {
    if (o_.mode == SyncMode::check) {
      ++stats_.differ;
      log_object(LogLevel::error, s.key, "files differ");
      return Status::OK();
    }
    schedule_copy(s, why, d);
    return Status::OK();
  }

  void fail(const Status& st) {
    ++stats_.errors;
    log_error(st.to_string());
    std::lock_guard lock(mu_);
    if (first_error_.ok()) first_error_ = st;
  }

  void schedule_src_delete(const ObjectInfo& s) {
    if (o_.dry_run) {
      log_object(LogLevel::notice, s.key, "skipped source delete as --dry-run is set");
      return;
    }
    if (!confirmed("delete source", s.key)) return;
    transfers_.submit([this, key = s.key] {
      Status st = src_.remote->remove(ObjectRef{src_.bucket, join_key(src_.prefix, key)});
      if (!st.ok()) return fail(st.with_context("delete source " + key));
      ++stats_.src_deleted;
    });
  }

  void schedule_copy(const ObjectInfo& s, const char* why, const ObjectInfo* d = nullptr) {
    if (o_.dry_run) {
      log_object(LogLevel::notice, s.key,
                 std::string("skipped copy (") + why + ") as --dry-run is set");
      return;
    }
    if (!confirmed(o_.mode == SyncMode::move ? "move" : "copy", s.key)) return;
    if (!reserve_transfer(s.size)) {
      if (!stats_.transfer_limit_reached.exchange(true))
        log_error("--max-transfer " + std::to_string(o_.max_transfer) +
                  " bytes reached: no more copies start");
      return;
    }
    if (o_.enqueue) {  // done by the queue's workers
      if (Status st = o_.enqueue(false, s); !st.ok()) fail(st.with_context("queue " + s.key));
      return;
    }
    std::optional<ObjectInfo> replaced;
    if (d && o_.backup) replaced = *d;
    transfers_.submit([this, s, replaced] { copy_one(s, replaced); }, large(s));
  }

  // -i: the user's answer; a change refused is logged and skipped.
  bool confirmed(std::string_view action, const std::string& key) {
    if (!o_.confirm || o_.confirm(action, key)) return true;
    log_object(LogLevel::notice, key, "skipped " + std::string(action) + " (not confirmed)");
    return false;
  }

  // Larger than one part: such copies (parts in flight, buffers of chunk x streams) stay
  // within --transfers at once; the pool's growth is for small objects.
  bool large(const ObjectInfo& s) const { return large_transfer(s.size, topts_); }

  // Adds size to the planned bytes unless that passes --max-transfer (from any thread).
  bool reserve_transfer(uint64_t size) {
    uint64_t planned = stats_.planned_bytes.load();
    do {
      if (o_.max_transfer >= 0 && planned + size > static_cast<uint64_t>(o_.max_transfer))
        return false;
    } while (!stats_.planned_bytes.compare_exchange_weak(planned, planned + size));
    return true;
  }

  void copy_one(const ObjectInfo& s, const std::optional<ObjectInfo>& replaced) {
    if (replaced) {
      auto b = backup_object(dst_, *o_.backup, *replaced, topts_);
      if (!b.ok()) return fail(b.status());  // not kept, so not overwritten
      ++stats_.backed_up;
      log_object(LogLevel::info, s.key, "old version moved to " + o_.backup->where.display);
    }
    ++stats_.in_flight;
    ObjectRef from{src_.bucket, join_key(src_.prefix, s.key)};
    ObjectRef to{dst_.bucket, join_key(dst_.prefix, s.key)};
    auto r = transfer_object(*src_.remote, from, s, *dst_.remote, to, topts_);
    --stats_.in_flight;
    if (!r.ok()) return fail(r.status().with_context("copy " + s.key));
    ++stats_.transferred;
    if (r->server_side) ++stats_.server_side;
    stats_.resumed_bytes += r->reused_bytes;
    log_object(LogLevel::info, s.key, r->server_side ? "copied (server-side)" : "copied");
    if (o_.state) o_.state->record_async(s, r->dst);
    if (o_.mode == SyncMode::move) {
      Status st = src_.remote->remove(from);
      if (!st.ok()) return fail(st.with_context("delete source after move " + s.key));
      ++stats_.src_deleted;
    }
  }

  // Fills in what the listings lacked (metadata of either side, MD5s), then decides. Each
  // step answers one need; compare_objects never asks for the same one twice (compare.h).
  void check_slow(ObjectInfo s, ObjectInfo d) {
    CompareOptions opts = o_.compare;
    Verdict v = compare_objects(s, d, opts);
    for (int step = 0; step < 4 && v != Verdict::same && v != Verdict::differ; ++step) {
      if (v == Verdict::need_dst_stat) {
        auto st = dst_.remote->stat(ObjectRef{dst_.bucket, join_key(dst_.prefix, d.key)});
        if (!st.ok()) return fail(st.status().with_context("stat " + d.key));
        std::string key = d.key;
        d = std::move(st).value();
        d.key = key;
        d.metadata_known = true;
      } else if (v == Verdict::need_src_stat) {
        // Only the metadata is taken: s keeps its listed mtime and ETag, which the sync
        // state records and the next listing is matched against.
        auto st = src_.remote->stat(ObjectRef{src_.bucket, join_key(src_.prefix, s.key)});
        if (!st.ok()) return fail(st.status().with_context("stat " + s.key));
        s.metadata = std::move(st->metadata);
        s.content = std::move(st->content);
        s.metadata_known = true;
      } else if (v == Verdict::need_hash) {
        for (auto* side : {&s, &d}) {
          if (known_md5(*side)) continue;
          const SyncEndpoint& ep = side == &s ? src_ : dst_;
          if (opts.cheap_hashes_only && ep.remote->features().buckets) {
            opts.mode = CompareMode::size_mtime;  // only a download could tell
            break;
          }
          auto h = hash_object(ep, side->key);
          if (!h.ok()) return fail(h.status());
          side->md5 = *h;
        }
      }
      v = compare_objects(s, d, opts);
    }
    if (v == Verdict::same) {
      ++stats_.matched;
      if (o_.state) o_.state->record_async(s, d);
      if (o_.mode == SyncMode::move) schedule_src_delete(s);
      return;
    }
    (void)differs(s, "changed", &d);
  }

  Result<std::string> hash_object(const SyncEndpoint& ep, const std::string& rel) {
    Digest md5(Digest::Algo::md5);
    Status st = ep.remote->read(ObjectRef{ep.bucket, join_key(ep.prefix, rel)}, ByteRange{},
                                [&](const char* data, size_t n) {
                                  md5.update(data, n);
                                  return Status::OK();
                                });
    if (!st.ok()) return st.with_context("hash " + rel);
    return hex_lower(md5.digest());
  }

  // check --download: compare the bytes of both sides, streamed through MD5.
  void check_download(const ObjectInfo& s, const ObjectInfo& d) {
    if (s.size != d.size) {
      (void)differs(s, "size", &d);
      return;
    }
    auto hs = hash_object(src_, s.key);
    auto hd = hash_object(dst_, d.key);
    if (!hs.ok()) return fail(hs.status());
    if (!hd.ok()) return fail(hd.status());
    if (*hs == *hd) {
      ++stats_.matched;
    } else {
      (void)differs(s, "content", &d);
    }
  }

  const SyncEndpoint& src_;
  const SyncEndpoint& dst_;
  const SyncOptions& o_;
  SyncStats& stats_;
  TransferOptions topts_;
  std::mutex mu_;
  Status first_error_;
  std::atomic<uint64_t> src_in_scope_{0};    // source objects the filters admit
  std::vector<ObjectInfo> pending_deletes_;  // relative keys; merge order but for checkers
  WorkPool checkers_;
  TransferPool transfers_;
};

Planner::Planner(const SyncEndpoint& src, const SyncEndpoint& dst, const SyncOptions& o,
                 SyncStats& stats)
    : impl_(std::make_unique<Impl>(src, dst, o, stats)) {}
Planner::~Planner() = default;
Status Planner::src_only(const ObjectInfo& s) {
  return impl_->src_only(s);
}
Status Planner::dst_only(const ObjectInfo& d) {
  return impl_->dst_only(d);
}
Status Planner::both(const ObjectInfo& s, const ObjectInfo& d) {
  return impl_->both(s, d);
}
Status Planner::finish() {
  return impl_->finish();
}
Status Planner::run_deletes() {
  return impl_->run_deletes();
}
size_t Planner::pending_deletes() const {
  return impl_->pending_deletes();
}

}  // namespace cpsync
