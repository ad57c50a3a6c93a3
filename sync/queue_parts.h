// sync/queue_parts.h — large objects in the work queue as part tasks that any worker takes,
// so one 100 GB object is copied by many workers at once. The planner begins the upload at
// the destination (Remote::begin_upload; its metadata and whole-object MD5 fixed from a
// stat of the source) and writes one task per part carrying the upload's handle; a worker
// reads its part's byte range from the source (conditional on the listed ETag), writes it
// with its part check (Remote::continue_upload) and records it in Redis
// (sync/queue_uploads.h); the task that stores the last part commits the upload, after a
// stat shows the source still has the listed ETag. Only objects whose MD5 the source knows
// are split, so every copy still carries a whole-object MD5 (md5chksum / the blob's
// Content-MD5) with each part's bytes checked on the way; others go as one task, hashed as a
// single-process copy hashes them. A source changed mid-way abandons the upload (aborted
// where the service can) and the object is planned again as one copy task.
#pragma once

#include <cstdint>

#include "sync/engine.h"
#include "sync/queue.h"
#include "sync/queue_uploads.h"
#include "sync/transfer.h"

namespace cpsync {

// Adds listed's copy to the queue as part tasks, `per_batch` to a batch, when it is worth
// splitting (more parts than o.streams, a streamed copy to a destination with
// shared_uploads, a source MD5 known); false when it was not added (queue it as one task).
// Errors are the begin_upload's or Redis's.
Result<bool> enqueue_in_parts(const SyncEndpoint& src, const SyncEndpoint& dst,
                              const ObjectInfo& listed, const TransferOptions& o, QueueWriter& w,
                              size_t per_batch);

struct PartTaskResult {
  enum class Kind {
    stored,     // the part is stored; other parts are still to come
    committed,  // the part completed the object, which this task committed
    skipped,    // the object was committed or abandoned already
    replan,     // the source changed: copy the object again as one task (refreshed)
  };
  Kind kind = Kind::stored;
  uint64_t bytes = 0;  // bytes of the part this task sent
};

// Does part task t (Op::part). Errors are retried by the queue like any task's.
Result<PartTaskResult> run_part_task(const SyncEndpoint& src, const SyncEndpoint& dst,
                                     const TransferOptions& o, const QueueTask& t,
                                     SharedUploads& uploads);

}  // namespace cpsync
