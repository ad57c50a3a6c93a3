// sync/queue.h — the Redis Streams work queue of one job (`--queue redis://HOST:PORT/NAME`):
// its keys, the task batches a planner writes and workers take, the progress counters, and
// the operations `cpsync queue status|retry|clear` run. Layout in Redis:
//   cpsync:NAME:tasks  stream of batches (field "tasks": JSON), consumer group cpsync-workers;
//                      a batch is deleted from it when acknowledged, so its length is the
//                      work not yet done (undelivered or pending)
//   cpsync:NAME:dead   stream of batches whose tasks failed max-attempts times
//   cpsync:NAME:stats  hash: the job (mode, src, dst), the planner's state and the counters
//   cpsync:NAME:uploads    counter: the last id given to an upload split into part tasks
//   cpsync:NAME:upload:ID  hash: that upload's parts and who commits it (queue_uploads.h)
// Every change of a counter happens in one Lua script with the stream change it counts, so
// the counters stay exact when workers die or a batch is done twice. Functions here take a
// RedisConn each, used by one thread; QueueWriter is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "remotes/remote.h"
#include "sync/queue_redis.h"

namespace cpsync {

inline constexpr const char* kQueueGroup = "cpsync-workers";

struct QueueKeys {
  std::string tasks, dead, stats, uploads, upload_prefix;
  static QueueKeys of(const std::string& name) {
    const std::string p = "cpsync:" + name + ":";
    return {p + "tasks", p + "dead", p + "stats", p + "uploads", p + "upload:"};
  }
  // The state of upload `id` ("*" for a SCAN pattern).
  std::string upload(const std::string& id) const { return upload_prefix + id; }
};

// One part of a large object whose upload the planner began (sync/queue_parts.h): any
// worker writes it; the one that completes the set commits the upload.
struct QueuePart {
  std::string upload;  // the job's id of the upload (its state in Redis, sync/queue_uploads.h)
  std::string handle;  // Upload::handle(), for Remote::continue_upload
  uint64_t part_size = 0;
  uint32_t number = 0;  // 1-based; bytes [(number - 1) * part_size, + part_size) of the object
  uint32_t count = 0;   // parts of the object
};

struct QueueTask {
  enum class Op { copy, remove, part };
  Op op = Op::copy;
  ObjectInfo info;    // key relative to the roots; size, mtime, etag, md5 as planned
  QueuePart part;     // Op::part only
  int attempts = 0;   // failed attempts so far
  std::string error;  // the last failure (shown for dead letters)
};

// JSON: [{"op":"copy","key":...,"size":...,"mtime":ns,"etag":...,"md5":...,"attempts":n}];
// a part task adds "upload", "handle", "part_size", "part" and "parts".
// Errc::invalid_argument for a key that is not valid UTF-8 (JSON cannot carry it).
Result<std::string> encode_batch(const std::vector<QueueTask>& tasks);
Result<std::vector<QueueTask>> decode_batch(const std::string& text);

// What a planner registers, and workers check they were given the same.
struct QueueJob {
  std::string mode;  // "copy" or "sync"
  std::string src, dst;
};

struct QueueCounts {
  std::string planner;  // "" (no planner yet), "planning", "done" or "failed"
  std::string planner_error;
  QueueJob job;
  // Tasks: planned (by the planner), done (copied, found already there, or deleted), failed
  // attempts that were retried, in the dead-letter stream now, and replayed from it.
  int64_t planned = 0, done = 0, copied = 0, skipped = 0, deleted = 0, bytes = 0;
  int64_t failed = 0, dead = 0, replayed = 0;
  int64_t reclaimed = 0;        // batches taken over from a worker whose lease ran out
  int64_t batches_left = 0;     // batches in the stream (not yet acknowledged)
  int64_t batches_pending = 0;  // of them, delivered to a worker and not acknowledged
  int64_t consumers = 0;        // worker names the group has seen
  // Tasks neither done nor dead.
  int64_t pending() const { return planned - done - dead; }
  bool finished() const { return (planner == "done" || planner == "failed") && batches_left == 0; }
};

Result<QueueCounts> read_queue_counts(RedisConn& r, const QueueUrl& url);

// Creates the stream and the consumer group unless they exist.
Status ensure_queue_group(RedisConn& r, const QueueKeys& k);

// Moves every dead-letter batch back to the task stream with its attempts reset; returns
// the number of tasks replayed.
Result<int64_t> replay_dead_letters(RedisConn& r, const QueueUrl& url);

// Deletes the job's keys (its tasks, dead letters and counters).
Status clear_queue(RedisConn& r, const QueueUrl& url);

// Acknowledges batch `id` and, in the same script, adds `retry` (may be empty) to the task
// stream, `dead` (may be empty) to the dead-letter stream and increments the counters
// (name, delta). Returns false, changing nothing, when the batch was already acknowledged
// (another worker did it after this one's lease ran out).
Result<bool> complete_batch(RedisConn& r, const QueueKeys& k, const std::string& id,
                            const std::vector<QueueTask>& retry, const std::vector<QueueTask>& dead,
                            const std::vector<std::pair<std::string, int64_t>>& counters);

// The planner's side: batches of tasks written as the plan goes. Thread-safe.
class QueueWriter {
 public:
  // Registers the job. Errc::conflict when the queue already holds one (its planner's
  // state says which); clear it first or use another NAME.
  static Result<std::unique_ptr<QueueWriter>> open(const QueueUrl& url, const QueueJob& job,
                                                   size_t batch_size);
  Status add(QueueTask task);
  // Adds the part tasks of one object in batches of per_batch (so several workers share
  // the object), after the batch being filled.
  Status add_parts(std::vector<QueueTask> parts, size_t per_batch);
  // A new id for an upload of this job whose parts are `parts` tasks (sync/queue_uploads.h).
  Result<std::string> register_upload(uint32_t parts);
  // Writes the last batch and marks the planner done (or failed with planning's message):
  // workers exit once the stream is empty after this.
  Status finish(const Status& planning);
  uint64_t tasks() const { return tasks_; }

 private:
  QueueWriter(std::unique_ptr<RedisConn> r, QueueKeys k, size_t batch)
      : r_(std::move(r)), keys_(std::move(k)), batch_size_(batch) {}
  Status flush_locked();

  std::mutex mu_;
  std::unique_ptr<RedisConn> r_;
  QueueKeys keys_;
  size_t batch_size_;
  std::vector<QueueTask> batch_;
  uint64_t tasks_ = 0;
};

}  // namespace cpsync
