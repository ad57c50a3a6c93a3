// sync/queue_uploads.cc — the part-task uploads' Redis hashes: fields parts (count), done
// (parts stored), p<N> (part N stored), commit (the part whose task commits), committed,
// abandoned.
#include "sync/queue_uploads.h"

namespace cpsync {
namespace {

// KEYS: the upload's hash. ARGV: part number. Returns 2 committed, 1 commit, 0 wait.
constexpr const char* kRecordPartScript = R"(
if redis.call('HEXISTS', KEYS[1], 'committed') == 1 then return 2 end
if redis.call('HSETNX', KEYS[1], 'p' .. ARGV[1], 1) == 1 then
  redis.call('HINCRBY', KEYS[1], 'done', 1)
end
local done = tonumber(redis.call('HGET', KEYS[1], 'done'))
local parts = tonumber(redis.call('HGET', KEYS[1], 'parts'))
if not parts or done < parts then return 0 end
if redis.call('HSETNX', KEYS[1], 'commit', ARGV[1]) == 1 then return 1 end
if redis.call('HGET', KEYS[1], 'commit') == ARGV[1] then return 1 end
return 0)";

}  // namespace

Result<RedisReply> SharedUploads::command(const std::vector<std::string>& args) {
  std::lock_guard lock(mu_);
  if (!conn_) {
    CPSYNC_ASSIGN_OR_RETURN(conn_, RedisConn::connect(url_, std::chrono::seconds(10)));
  }
  auto r = conn_->command(args);
  if (!r.ok() && r.status().code == Errc::transient) conn_.reset();  // reconnect next time
  return r;
}

Result<SharedUploadState> SharedUploads::state(const std::string& upload) {
  CPSYNC_ASSIGN_OR_RETURN(RedisReply r,
                          command({"HMGET", keys_.upload(upload), "committed", "abandoned"}));
  SharedUploadState s;
  if (r.elements.size() == 2) {
    s.committed = !r.elements[0].is_nil();
    s.abandoned = !r.elements[1].is_nil();
  }
  return s;
}

Result<PartRecorded> SharedUploads::record_part(const std::string& upload, uint32_t number) {
  CPSYNC_ASSIGN_OR_RETURN(RedisReply r, command({"EVAL", kRecordPartScript, "1",
                                                 keys_.upload(upload), std::to_string(number)}));
  return r.integer == 2   ? PartRecorded::committed
         : r.integer == 1 ? PartRecorded::commit
                          : PartRecorded::wait;
}

Status SharedUploads::mark_committed(const std::string& upload) {
  return command({"HSET", keys_.upload(upload), "committed", "1"}).status();
}

Result<bool> SharedUploads::abandon(const std::string& upload) {
  CPSYNC_ASSIGN_OR_RETURN(RedisReply r,
                          command({"HSETNX", keys_.upload(upload), "abandoned", "1"}));
  return r.integer == 1;
}

}  // namespace cpsync
