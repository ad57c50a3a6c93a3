// sync/transfer_pool.h — the pool that carries out a run's copies and deletes, with a width
// (tasks running at once) that adapts as TCP's congestion window does (AIMD): while tasks
// wait for a slot and no request has been throttled since the last change, each finished
// task adds 1/width (about +1 per round of width tasks), up to the cap; when the throttle
// counter has moved (a 429 or 503 SlowDown/ServerBusy seen by the endpoint limiters,
// core/concurrency_limiter.h), the width is cut to half, at most once per round (the tasks
// running at the cut belong to the old round), never below 1. A pool whose cap equals its
// start has a fixed width. Large tasks (multipart copies, whose buffers are chunk x streams)
// never run more than `large` at once, whatever the width. submit() blocks while the queue
// is full, so a fast producer cannot run ahead. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cpsync {

// The cap of a run with the default flags (--max-transfers).
inline constexpr int kDefaultMaxTransfers = 64;

struct TransferPoolOptions {
  int start = 4;              // width at the start (--transfers)
  int max = 4;                // the cap (--max-transfers); <= start: a fixed width
  int large = 4;              // large tasks at once (--transfers)
  size_t queue_capacity = 8;  // tasks waiting at most
  // A count that moves when a request is throttled; empty: the width never shrinks.
  std::function<uint64_t()> throttles;
  // Called with the new width after each change (from a worker thread); may be empty.
  std::function<void(int width, bool cut)> on_change;
};

struct TransferPoolStats {
  int width = 0;   // now
  int peak = 0;    // the widest it was
  int lowest = 0;  // the narrowest a cut left it (0: never cut)
  uint64_t grows = 0, cuts = 0;
};

// The throttling answers every endpoint limiter of this process has seen: the default
// TransferPoolOptions::throttles of a run.
uint64_t endpoint_throttles_seen();

class TransferPool {
 public:
  explicit TransferPool(TransferPoolOptions o);
  ~TransferPool();  // finish() if not yet
  TransferPool(const TransferPool&) = delete;
  TransferPool& operator=(const TransferPool&) = delete;

  void submit(std::function<void()> task, bool large = false);
  // Waits until every submitted task has run, then stops the workers.
  void finish();
  TransferPoolStats stats() const;

 private:
  struct Task {
    std::function<void()> run;
    bool large = false;
  };
  void worker();
  // The first queued task that may start now (the width and the large limit allow it).
  bool take(Task& out);
  void finished(bool large);

  const TransferPoolOptions o_;
  mutable std::mutex mu_;
  std::condition_variable wake_, not_full_;
  std::deque<Task> queue_;
  bool closing_ = false;
  int width_;
  double growth_ = 0;  // fractional part of the next +1
  int running_ = 0, running_large_ = 0;
  uint64_t completed_ = 0;
  uint64_t next_cut_after_ = 0;  // completions before another cut may come
  uint64_t seen_throttles_ = 0;
  TransferPoolStats st_;
  std::vector<std::thread> threads_;
};

}  // namespace cpsync
