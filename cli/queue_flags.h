// cli/queue_flags.h — the --queue flags of copy and sync (a Redis Streams work queue,
// sync/queue.h) and the queued run itself: the planner, the worker or both in one process.
// Single-threaded at start-up; run_queued starts its own threads.
#pragma once

#include <string>

#include "sync/engine.h"

namespace CLI {
class App;
}

namespace cpsync {

class AppContext;

struct QueueFlags {
  std::string url;   // redis://HOST:PORT/NAME; empty: no queue
  std::string role;  // planner, worker or both
  std::string lease = "60s";
  int max_attempts = 3;
  int batch = 100;
};

void add_queue_flags(CLI::App& cmd, QueueFlags& f);

// Runs the role(s) of q with the run's endpoints and options (o.enqueue is set here).
// Returns the exit code: usage errors 1 (also a queue holding another job), Redis
// unreachable 5, some tasks in the dead-letter stream when a worker ends 6.
int run_queued(AppContext& ctx, SyncMode mode, const SyncEndpoint& src, const SyncEndpoint& dst,
               SyncOptions o, const QueueFlags& q, bool progress);

}  // namespace cpsync
