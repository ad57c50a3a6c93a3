// sync/events/replicator.cc — the replication loop: receive a batch, parse, drop what is out
// of scope or stale, apply the newest event of each key on a pool (source stat, then copy or
// delete through ObjectApplier, then a destination stat), save the sequencer state, then
// acknowledge, retry or dead-letter each message by the outcome of its keys.
#include "sync/events/replicator.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "sync/events/sequencer_state.h"
#include "sync/events/storage_event.h"
#include "sync/object_apply.h"
#include "sync/work_pool.h"

namespace cpsync {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Renews the lease of a batch on its own thread every third of the source's lease while
// the batch is worked on (the source is not used otherwise meanwhile). Stops on destruction.
class LeaseRenewer {
 public:
  LeaseRenewer(EventSource& source, std::vector<EventMessage>& batch) {
    const auto lease = source.lease();
    if (lease.count() <= 0) return;
    const auto every =
        std::max<std::chrono::milliseconds>(lease / 3, std::chrono::milliseconds(50));
    thread_ = std::thread([this, &source, &batch, every] {
      std::unique_lock lock(mu_);
      while (!cv_.wait_for(lock, every, [this] { return stop_; })) {
        Status st = source.extend(batch);
        if (!st.ok()) log_error("replicate: renewing the lease of a batch: " + st.to_string());
      }
    });
  }
  ~LeaseRenewer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  LeaseRenewer(const LeaseRenewer&) = delete;
  LeaseRenewer& operator=(const LeaseRenewer&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// One key's work in a batch: its newest event, the messages that carry its events, and
// the sequencer to record once it is applied.
struct KeyWork {
  StorageEvent newest;
  size_t newest_at = 0;  // arrival index, to order events without sequencers
  std::string max_sequencer;
  std::vector<size_t> messages;
  Status result;
};

class Replicator {
 public:
  Replicator(EventSource& source, const SyncEndpoint& src, const SyncEndpoint& dst,
             const ReplicateOptions& o, SyncStats& stats, ReplicateReport& report)
      : source_(source),
        src_(src),
        o_(o),
        stats_(stats),
        report_(report),
        applier_(src, dst, o.compare, o.transfer, stats),
        state_(o.state_capacity) {}

  Status run() {
    CPSYNC_RETURN_IF_ERROR(state_.open(o_.state_path));
    for (;;) {
      if (stopping()) {
        log_notice("replicate: stopping (signal); the batch in hand was finished");
        return Status::OK();
      }
      if (source_.finished()) return Status::OK();
      const auto wait = o_.watch ? o_.poll : std::chrono::milliseconds(0);
      CPSYNC_ASSIGN_OR_RETURN(auto batch, source_.receive(o_.batch, wait));
      if (batch.empty()) {
        if (!o_.watch && !source_.finished()) return Status::OK();  // drained
        continue;
      }
      CPSYNC_RETURN_IF_ERROR(process(batch));
    }
  }

 private:
  bool stopping() const { return o_.stop && o_.stop->load(); }

  Status process(std::vector<EventMessage>& batch) {
    report_.messages += batch.size();
    std::vector<std::string> poison(batch.size());  // a reason: dead-letter at once
    std::map<std::string, KeyWork> keys;            // relative key -> work, in key order
    size_t arrival = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      auto parsed = parse_event_message(batch[i].body);
      if (!parsed.ok()) {
        poison[i] = parsed.status().message;
        continue;
      }
      report_.ignored += parsed->ignored;
      for (StorageEvent& e : parsed->events) {
        ++report_.events;
        ++arrival;
        if (e.bucket != src_.bucket || e.key.compare(0, src_.prefix.size(), src_.prefix) != 0 ||
            e.key.size() == src_.prefix.size()) {
          ++report_.out_of_scope;
          log_debug("replicate: " + e.bucket + "/" + e.key + ": outside " + src_.display);
          continue;
        }
        if (state_.stale(state_id(e.key), e.sequencer)) {
          ++report_.stale;
          log_info("replicate: " + e.key + ": " + e.name + " " + e.sequencer +
                   " is not newer than the event applied last; dropped");
          continue;
        }
        const std::string rel = e.key.substr(src_.prefix.size());
        auto [it, fresh] = keys.try_emplace(rel);
        KeyWork& w = it->second;
        if (w.messages.empty() || w.messages.back() != i) w.messages.push_back(i);
        if (!fresh) ++report_.coalesced;
        if (fresh || newer(e, arrival, w)) {
          w.newest = e;
          w.newest_at = arrival;
        }
        if (!e.sequencer.empty() &&
            (w.max_sequencer.empty() || sequencer_less(w.max_sequencer, e.sequencer)))
          w.max_sequencer = e.sequencer;
      }
    }

    {
      LeaseRenewer renewer(source_, batch);
      WorkPool pool(o_.transfers, keys.size() + 1);
      for (auto& [rel, w] : keys)
        pool.submit([this, &rel, &w] { w.result = apply(rel, w.newest); });
      pool.finish();
    }

    std::vector<std::string> failure(batch.size());
    for (auto& [rel, w] : keys) {
      if (w.result.ok()) {
        state_.applied(state_id(src_.prefix + rel), w.max_sequencer);
        continue;
      }
      log_error("replicate: " + w.result.to_string());
      for (size_t i : w.messages)
        if (failure[i].empty()) failure[i] = w.result.to_string();
    }
    // The state first: a message acknowledged is never replayed, but one replayed after a
    // crash between these two steps is dropped as stale or applied again (idempotent).
    Status saved = state_.save();
    if (!saved.ok()) log_error("replicate: " + saved.message);

    for (size_t i = 0; i < batch.size(); ++i) {
      const EventMessage& m = batch[i];
      if (!poison[i].empty() ||
          (!failure[i].empty() && m.deliveries >= static_cast<int64_t>(o_.max_attempts))) {
        const std::string reason = !poison[i].empty() ? poison[i]
                                                      : "failed " + std::to_string(m.deliveries) +
                                                            " times, last: " + failure[i];
        if (poison[i].empty()) ++report_.failed;
        CPSYNC_RETURN_IF_ERROR(source_.dead_letter(m, reason));
        ++report_.dead;
        ++stats_.errors;
        const std::string place = source_.dead_letter_place();
        log_error("replicate: message " + m.id + " of " + source_.describe() +
                  (place.empty() ? " dropped as a dead letter" : " moved to " + place) + ": " +
                  reason);
        continue;
      }
      if (!failure[i].empty()) {
        ++report_.failed;
        log_notice("replicate: message " + m.id + " failed (delivery " +
                   std::to_string(m.deliveries) + "/" + std::to_string(o_.max_attempts) +
                   "); it will be tried again");
        CPSYNC_RETURN_IF_ERROR(source_.retry_later(m));
        continue;
      }
      // A refused acknowledgement (the lease ran out and another reader holds the message)
      // only means the message is replayed: applying it again changes nothing.
      Status acked = source_.ack(m);
      if (!acked.ok()) {
        log_error("replicate: acknowledging message " + m.id + ": " + acked.to_string());
        continue;
      }
      ++report_.acked;
    }
    return Status::OK();
  }

  std::string state_id(const std::string& full_key) const { return src_.bucket + "/" + full_key; }

  // Is e (arrived at index at) newer than the key's newest so far? By sequencer when both
  // have one, else by arrival.
  static bool newer(const StorageEvent& e, size_t at, const KeyWork& w) {
    if (!e.sequencer.empty() && !w.newest.sequencer.empty())
      return sequencer_less(w.newest.sequencer, e.sequencer);
    return at > w.newest_at;
  }

  // Makes the destination's key follow the source's current state, then verifies it.
  Status apply(const std::string& rel, const StorageEvent& e) {
    if (e.kind == StorageEvent::Kind::removed && !o_.apply_deletes) {
      count(report_.deletes_skipped);
      log_info("replicate: " + rel + ": " + e.name + " not applied (no --delete)");
      return Status::OK();
    }
    auto now = applier_.stat_src(rel);
    if (!now.ok() && now.status().code != Errc::not_found)
      return now.status().with_context("stat source " + rel);
    if (now.ok() && !now->is_dir) {
      if (e.kind == StorageEvent::Kind::created && !e.etag.empty() &&
          lower(e.etag) != lower(now->etag)) {
        count(report_.changed);
        log_info("replicate: " + rel + ": the source changed since " + e.name +
                 "; copying what it holds now");
      }
      now->metadata = {};
      now->content = {};
      now->metadata_known = false;
      const ObjectInfo s = *now;
      CPSYNC_ASSIGN_OR_RETURN(Applied a, applier_.copy(*now));
      if (a == Applied::already_there) {
        count(report_.already_there);
        return Status::OK();
      }
      auto d = applier_.stat_dst(rel);
      if (!d.ok()) return d.status().with_context("verify " + rel);
      if (d->size != s.size)
        return Status{Errc::corrupt, "verify " + rel + ": the destination holds " +
                                         std::to_string(d->size) + " bytes, the source " +
                                         std::to_string(s.size)};
      count(report_.copied);
      log_object(LogLevel::info, rel, "copied (verified)");  // as sync's -v lines
      return Status::OK();
    }
    // The source object is gone.
    if (!o_.apply_deletes) {
      count(report_.source_gone);
      log_info("replicate: " + rel + ": gone from the source since " + e.name +
               "; nothing to copy (deletes need --delete)");
      return Status::OK();
    }
    CPSYNC_ASSIGN_OR_RETURN(Applied a, applier_.remove(rel));
    (void)a;
    auto d = applier_.stat_dst(rel);
    if (d.ok() && !d->is_dir)
      return Status{Errc::conflict, "verify " + rel + ": still at the destination after delete"};
    if (!d.ok() && d.status().code != Errc::not_found)
      return d.status().with_context("verify " + rel);
    count(report_.deleted);
    log_object(LogLevel::info, rel, "deleted");
    return Status::OK();
  }

  void count(uint64_t& field) {
    std::lock_guard lock(mu_);
    ++field;
  }

  EventSource& source_;
  const SyncEndpoint& src_;
  const ReplicateOptions& o_;
  SyncStats& stats_;
  ReplicateReport& report_;
  ObjectApplier applier_;
  SequencerState state_;
  std::mutex mu_;  // report counters written by the pool
};

}  // namespace

Status run_replication(EventSource& source, const SyncEndpoint& src, const SyncEndpoint& dst,
                       const ReplicateOptions& o, SyncStats& stats, ReplicateReport& report) {
  if (!src.remote || !dst.remote || !o.transfer.pool)
    return Status{Errc::invalid_argument, "replicate: remote or buffer pool missing"};
  if (o.max_attempts < 1 || o.batch < 1 || o.transfers < 1)
    return Status{Errc::invalid_argument, "replicate: attempts, batch and transfers must be >= 1"};
  Replicator r(source, src, dst, o, stats, report);
  return r.run();
}

}  // namespace cpsync
