// sync/events/replicator.h — event-driven replication: reads messages from an EventSource,
// parses their storage events, and makes the destination follow the source key by key.
// Per key, events apply in sequencer order; one older than (or equal to) the newest applied
// one, kept in a SequencerState, is dropped; of several events of one key in a batch only
// the newest is applied. Applying reads the source's current state: an object that exists
// is copied (unless the destination already holds it) with sync's transfer engine; one that
// is gone is deleted at the destination only with apply_deletes (removal events are skipped
// without it). Events for other buckets or outside the source prefix are counted and
// ignored. A message is acknowledged only when every event in it is applied and verified at
// the destination (a stat); a failed one is retried and, after max_attempts deliveries,
// goes to the source's dead-letter place, as does a message of no known format. While a
// batch is worked on its lease is renewed every third of the lease (queues). One run at a
// time; it starts its own transfer threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "sync/compare.h"
#include "sync/engine.h"
#include "sync/events/event_source.h"
#include "sync/transfer.h"

namespace cpsync {

struct ReplicateOptions {
  bool apply_deletes = false;            // --delete
  bool watch = false;                    // keep reading until stopped; else drain and return
  int max_attempts = 5;                  // deliveries of a failing message before its dead letter
  size_t batch = 32;                     // messages taken at once
  int transfers = 4;                     // keys applied in parallel
  std::chrono::milliseconds poll{1000};  // --watch: how long one read waits for messages
  CompareOptions compare;
  TransferOptions transfer;        // pool required
  std::string state_path;          // the sequencer state; "" keeps it in memory
  size_t state_capacity = 100000;  // keys remembered
  // Set (by SIGTERM) to stop: the batch in hand is finished and acknowledged, no new one
  // is read. May be null.
  const std::atomic<bool>* stop = nullptr;
};

struct ReplicateReport {
  uint64_t messages = 0, events = 0;
  uint64_t copied = 0, already_there = 0, deleted = 0;
  uint64_t stale = 0;            // duplicates and events older than one applied
  uint64_t coalesced = 0;        // older events of a key within one batch
  uint64_t out_of_scope = 0;     // other buckets, outside the source prefix
  uint64_t ignored = 0;          // not object events (test events, other types)
  uint64_t deletes_skipped = 0;  // removal events without --delete
  uint64_t source_gone = 0;      // created events whose object is gone (no --delete)
  uint64_t changed = 0;          // created events whose object has another ETag now
  uint64_t failed = 0;           // failed attempts at a message (retried or dead)
  uint64_t dead = 0;             // messages sent to the dead-letter place
  uint64_t acked = 0;
};

// Runs until the source is drained (not watch), finished (a file's end) or stop is set.
// Returns the first error of the source itself (unreachable, refused): applying errors are
// counted in the report (failed/dead) and do not stop the run.
Status run_replication(EventSource& source, const SyncEndpoint& src, const SyncEndpoint& dst,
                       const ReplicateOptions& o, SyncStats& stats, ReplicateReport& report);

}  // namespace cpsync
