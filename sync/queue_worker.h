// sync/queue_worker.h — a worker of the Redis Streams work queue (sync/queue.h): takes
// batches as a member of the consumer group (XREADGROUP), takes over batches whose lease ran
// out (XAUTOCLAIM), extends its own lease while it works (XCLAIM ... JUSTID), does each task
// with the transfer code and acknowledges the batch. Every task is idempotent: a copy
// stats the destination first and skips an object that already matches, a delete of a
// missing object succeeds. Failed tasks go back to the stream until max_attempts, then to
// the dead-letter stream. One call per thread; it opens its own Redis connections.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sync/compare.h"
#include "sync/engine.h"
#include "sync/queue.h"
#include "sync/transfer.h"

namespace cpsync {

struct QueueWorkerOptions {
  QueueUrl url;
  QueueJob job;  // must equal the planner's (mode, source, destination)
  std::chrono::milliseconds lease{60000};
  int max_attempts = 3;   // per task; a batch taken over more often than this is dead too
  int transfers = 4;      // tasks in parallel at the start (and large ones at most)
  int max_transfers = 0;  // the adaptive cap (--max-transfers); <= transfers: a fixed width
  CompareOptions compare;
  TransferOptions transfer;  // pool required
  std::string consumer;      // this worker's name in the group; unique per process
};

struct QueueWorkerReport {
  uint64_t batches = 0;    // batches this worker acknowledged
  uint64_t reclaimed = 0;  // of them, taken over from another worker
  int64_t job_dead = 0;    // the job's dead-letter tasks when this worker stopped
};

// Works until the planner has finished and the stream is empty; waits for a planner that
// has not registered yet. Errc::invalid_argument when the queue's job differs from
// o.job; the planner's error when it failed; a Redis error as it comes (the batch in hand
// stays pending and another worker takes it over after the lease).
Status run_queue_worker(const SyncEndpoint& src, const SyncEndpoint& dst,
                        const QueueWorkerOptions& o, SyncStats& stats, QueueWorkerReport& report);

// "<hostname>-<pid>".
std::string default_consumer_name();

}  // namespace cpsync
