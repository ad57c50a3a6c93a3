// sync/queue_uploads.h — the Redis state of the uploads a queue planner split into part
// tasks (sync/queue_parts.h), one hash per upload (cpsync:NAME:upload:ID, sync/queue.h):
// which parts are stored, which part's task commits, and whether it was committed or
// abandoned (its source changed). Each change is one Lua script, so two workers that finish
// the last parts at once, or a task done twice after its lease ran out, never both commit by
// the rules here (a commit that still happens twice finds the object there: queue_parts.cc).
// Thread-safe: one connection, used under a lock (calls are short).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "sync/queue.h"

namespace cpsync {

enum class PartRecorded {
  wait,       // parts of the object are still missing, or another part's task commits
  commit,     // every part is stored and this part's task commits the upload
  committed,  // the upload was committed already (this part was done twice)
};

struct SharedUploadState {
  bool committed = false;
  bool abandoned = false;
};

class SharedUploads {
 public:
  SharedUploads(QueueUrl url, QueueKeys keys) : url_(std::move(url)), keys_(std::move(keys)) {}

  Result<SharedUploadState> state(const std::string& upload);
  // Part `number` of upload is stored. The task of the part that completes the set claims
  // the commit; a later run of that same part (a retry, or a task taken over after its lease)
  // claims it again, any other part does not.
  Result<PartRecorded> record_part(const std::string& upload, uint32_t number);
  Status mark_committed(const std::string& upload);
  // Marks the upload abandoned; true for the first caller only (it plans the object again).
  Result<bool> abandon(const std::string& upload);

 private:
  Result<RedisReply> command(const std::vector<std::string>& args);

  QueueUrl url_;
  QueueKeys keys_;
  std::mutex mu_;
  std::unique_ptr<RedisConn> conn_;  // connected on first use, again after a failure
};

}  // namespace cpsync
