// sync/queue.cc — task batches as JSON, the Lua scripts that change streams and counters
// together, the planner's writer, status, replay and clear.
#include "sync/queue.h"

#include <nlohmann/json.hpp>

namespace cpsync {
namespace {

// KEYS: tasks, stats. ARGV: payload, task count.
constexpr const char* kAddScript = R"(
redis.call('XADD', KEYS[1], '*', 'n', ARGV[2], 'tasks', ARGV[1])
redis.call('HINCRBY', KEYS[2], 'planned', ARGV[2])
return 1)";

// KEYS: tasks, dead, stats. ARGV: group, id, retry payload, retry count, dead payload, dead
// count, then counter name/delta pairs.
constexpr const char* kCompleteScript = R"(
if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('XDEL', KEYS[1], ARGV[2])
if ARGV[3] ~= '' then redis.call('XADD', KEYS[1], '*', 'n', ARGV[4], 'tasks', ARGV[3]) end
if ARGV[5] ~= '' then redis.call('XADD', KEYS[2], '*', 'n', ARGV[6], 'tasks', ARGV[5]) end
for i = 7, #ARGV, 2 do redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1]) end
return 1)";

// KEYS: tasks, dead, stats. ARGV: dead-letter id, payload (attempts reset), task count.
constexpr const char* kReplayScript = R"(
if redis.call('XDEL', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('XADD', KEYS[1], '*', 'n', ARGV[3], 'tasks', ARGV[2])
redis.call('HINCRBY', KEYS[3], 'dead', -tonumber(ARGV[3]))
redis.call('HINCRBY', KEYS[3], 'replayed', ARGV[3])
return 1)";

// KEYS: stats. ARGV: mode, src, dst. Returns the state of a planner already registered,
// else registers this one and returns ''.
constexpr const char* kRegisterScript = R"(
local p = redis.call('HGET', KEYS[1], 'planner')
if p then return p end
redis.call('HSET', KEYS[1], 'planner', 'planning', 'mode', ARGV[1], 'src', ARGV[2], 'dst', ARGV[3])
return '')";

int64_t to_int(const std::string& s) {
  try {
    return std::stoll(s);
  } catch (...) {
    return 0;
  }
}

// Field/value pairs of a flat array reply (HGETALL, XINFO).
std::vector<std::pair<std::string, const RedisReply*>> pairs_of(const RedisReply& r) {
  std::vector<std::pair<std::string, const RedisReply*>> out;
  for (size_t i = 0; i + 1 < r.elements.size(); i += 2)
    out.emplace_back(r.elements[i].str, &r.elements[i + 1]);
  return out;
}

}  // namespace

Result<std::string> encode_batch(const std::vector<QueueTask>& tasks) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : tasks) {
    nlohmann::json j;
    j["op"] = t.op == QueueTask::Op::copy   ? "copy"
              : t.op == QueueTask::Op::part ? "part"
                                            : "delete";
    if (t.op == QueueTask::Op::part) {
      j["upload"] = t.part.upload;
      j["handle"] = t.part.handle;
      j["part_size"] = t.part.part_size;
      j["part"] = t.part.number;
      j["parts"] = t.part.count;
    }
    j["key"] = t.info.key;
    j["size"] = t.info.size;
    j["mtime"] = t.info.mtime.time_since_epoch().count();
    if (t.info.mtime_from_metadata) j["mtime_meta"] = true;
    if (!t.info.etag.empty()) j["etag"] = t.info.etag;
    if (t.info.md5) j["md5"] = *t.info.md5;
    if (t.attempts) j["attempts"] = t.attempts;
    if (!t.error.empty()) j["error"] = t.error;
    a.push_back(std::move(j));
  }
  try {
    return a.dump();
  } catch (const nlohmann::json::exception&) {
    return Status{Errc::invalid_argument,
                  "a key or message is not valid UTF-8: the work queue cannot carry it"};
  }
}

Result<std::vector<QueueTask>> decode_batch(const std::string& text) {
  std::vector<QueueTask> out;
  try {
    auto a = nlohmann::json::parse(text);
    for (const auto& j : a) {
      QueueTask t;
      const std::string op = j.at("op");
      t.op = op == "copy"   ? QueueTask::Op::copy
             : op == "part" ? QueueTask::Op::part
                            : QueueTask::Op::remove;
      if (t.op == QueueTask::Op::part) {
        t.part.upload = j.at("upload");
        t.part.handle = j.at("handle");
        t.part.part_size = j.at("part_size");
        t.part.number = j.at("part");
        t.part.count = j.at("parts");
        if (t.part.part_size == 0 || t.part.number < 1 || t.part.number > t.part.count)
          return Status{Errc::corrupt, "work queue: a part task out of range"};
      }
      t.info.key = j.at("key");
      t.info.size = j.at("size");
      t.info.mtime = TimePoint(std::chrono::nanoseconds(j.at("mtime").get<int64_t>()));
      t.info.mtime_from_metadata = j.value("mtime_meta", false);
      t.info.etag = j.value("etag", "");
      if (j.contains("md5")) t.info.md5 = j["md5"].get<std::string>();
      t.attempts = j.value("attempts", 0);
      t.error = j.value("error", "");
      out.push_back(std::move(t));
    }
  } catch (const nlohmann::json::exception& e) {
    return Status{Errc::corrupt, std::string("work queue: a batch is not cpsync's: ") + e.what()};
  }
  return out;
}

Status ensure_queue_group(RedisConn& r, const QueueKeys& k) {
  auto rep = r.command({"XGROUP", "CREATE", k.tasks, kQueueGroup, "0", "MKSTREAM"});
  if (!rep.ok() && rep.status().message.find("BUSYGROUP") == std::string::npos) return rep.status();
  return Status::OK();
}

Result<QueueCounts> read_queue_counts(RedisConn& r, const QueueUrl& url) {
  const QueueKeys k = QueueKeys::of(url.name);
  QueueCounts c;
  CPSYNC_ASSIGN_OR_RETURN(RedisReply all, r.command({"HGETALL", k.stats}));
  CPSYNC_ASSIGN_OR_RETURN(RedisReply exists, r.command({"EXISTS", k.stats, k.tasks}));
  if (exists.integer == 0)
    return Status{Errc::not_found, url.display() + ": no such job (no planner has started one)"};
  for (const auto& [name, v] : pairs_of(all)) {
    const std::string& s = v->str;
    if (name == "planner")
      c.planner = s;
    else if (name == "planner_error")
      c.planner_error = s;
    else if (name == "mode")
      c.job.mode = s;
    else if (name == "src")
      c.job.src = s;
    else if (name == "dst")
      c.job.dst = s;
    else if (name == "planned")
      c.planned = to_int(s);
    else if (name == "done")
      c.done = to_int(s);
    else if (name == "copied")
      c.copied = to_int(s);
    else if (name == "skipped")
      c.skipped = to_int(s);
    else if (name == "deleted")
      c.deleted = to_int(s);
    else if (name == "bytes")
      c.bytes = to_int(s);
    else if (name == "failed")
      c.failed = to_int(s);
    else if (name == "dead")
      c.dead = to_int(s);
    else if (name == "replayed")
      c.replayed = to_int(s);
    else if (name == "reclaimed")
      c.reclaimed = to_int(s);
  }
  CPSYNC_ASSIGN_OR_RETURN(RedisReply len, r.command({"XLEN", k.tasks}));
  c.batches_left = len.integer;
  auto groups = r.command({"XINFO", "GROUPS", k.tasks});
  if (groups.ok()) {
    for (const auto& g : groups->elements) {
      for (const auto& [name, v] : pairs_of(g)) {
        if (name == "consumers") c.consumers = v->integer;
        if (name == "pending") c.batches_pending = v->integer;
      }
    }
  }
  return c;
}

Result<int64_t> replay_dead_letters(RedisConn& r, const QueueUrl& url) {
  const QueueKeys k = QueueKeys::of(url.name);
  CPSYNC_RETURN_IF_ERROR(ensure_queue_group(r, k));
  int64_t replayed = 0;
  std::string from = "-";
  for (;;) {
    CPSYNC_ASSIGN_OR_RETURN(RedisReply page,
                            r.command({"XRANGE", k.dead, from, "+", "COUNT", "100"}));
    if (page.elements.empty()) break;
    for (const auto& entry : page.elements) {
      if (entry.elements.size() < 2) continue;
      const std::string& id = entry.elements[0].str;
      from = "(" + id;
      std::string payload;
      for (const auto& [name, v] : pairs_of(entry.elements[1]))
        if (name == "tasks") payload = v->str;
      CPSYNC_ASSIGN_OR_RETURN(auto tasks, decode_batch(payload));
      for (auto& t : tasks) {
        t.attempts = 0;
        t.error.clear();
      }
      CPSYNC_ASSIGN_OR_RETURN(std::string fresh, encode_batch(tasks));
      const std::string n = std::to_string(tasks.size());
      CPSYNC_ASSIGN_OR_RETURN(RedisReply done, r.command({"EVAL", kReplayScript, "3", k.tasks,
                                                          k.dead, k.stats, id, fresh, n}));
      if (done.integer == 1) replayed += static_cast<int64_t>(tasks.size());
    }
  }
  return replayed;
}

Status clear_queue(RedisConn& r, const QueueUrl& url) {
  const QueueKeys k = QueueKeys::of(url.name);
  std::string cursor = "0";
  do {  // the uploads' states (sync/queue_uploads.h)
    CPSYNC_ASSIGN_OR_RETURN(RedisReply page,
                            r.command({"SCAN", cursor, "MATCH", k.upload("*"), "COUNT", "1000"}));
    if (page.elements.size() < 2) break;
    cursor = page.elements[0].str;
    std::vector<std::string> del = {"DEL"};
    for (const auto& e : page.elements[1].elements) del.push_back(e.str);
    if (del.size() > 1) CPSYNC_RETURN_IF_ERROR(r.command(del).status());
  } while (cursor != "0");
  auto rep = r.command({"DEL", k.tasks, k.dead, k.stats, k.uploads});
  return rep.ok() ? Status::OK() : rep.status();
}

Result<bool> complete_batch(RedisConn& r, const QueueKeys& k, const std::string& id,
                            const std::vector<QueueTask>& retry, const std::vector<QueueTask>& dead,
                            const std::vector<std::pair<std::string, int64_t>>& counters) {
  std::string retry_payload, dead_payload;
  if (!retry.empty()) {
    CPSYNC_ASSIGN_OR_RETURN(retry_payload, encode_batch(retry));
  }
  if (!dead.empty()) {
    CPSYNC_ASSIGN_OR_RETURN(dead_payload, encode_batch(dead));
  }
  std::vector<std::string> args = {"EVAL",        kCompleteScript,
                                   "3",           k.tasks,
                                   k.dead,        k.stats,
                                   kQueueGroup,   id,
                                   retry_payload, std::to_string(retry.size()),
                                   dead_payload,  std::to_string(dead.size())};
  for (const auto& [name, delta] : counters) {
    if (delta == 0) continue;
    args.push_back(name);
    args.push_back(std::to_string(delta));
  }
  CPSYNC_ASSIGN_OR_RETURN(RedisReply rep, r.command(args));
  return rep.integer == 1;
}

Result<std::unique_ptr<QueueWriter>> QueueWriter::open(const QueueUrl& url, const QueueJob& job,
                                                       size_t batch_size) {
  CPSYNC_ASSIGN_OR_RETURN(auto conn, RedisConn::connect(url, std::chrono::seconds(10)));
  const QueueKeys k = QueueKeys::of(url.name);
  CPSYNC_RETURN_IF_ERROR(ensure_queue_group(*conn, k));
  CPSYNC_ASSIGN_OR_RETURN(RedisReply rep, conn->command({"EVAL", kRegisterScript, "1", k.stats,
                                                         job.mode, job.src, job.dst}));
  if (!rep.str.empty())
    return Status{Errc::conflict, url.display() + " already holds a job (its planner is " +
                                      rep.str + "): run `cpsync queue clear " + url.display() +
                                      "` first, or use another queue name"};
  return std::unique_ptr<QueueWriter>(
      new QueueWriter(std::move(conn), k, batch_size == 0 ? 1 : batch_size));
}

Status QueueWriter::add(QueueTask task) {
  // A key JSON cannot carry fails alone, not the batch it would join.
  if (auto one = encode_batch({task}); !one.ok()) return one.status().with_context(task.info.key);
  std::lock_guard lock(mu_);
  batch_.push_back(std::move(task));
  ++tasks_;
  if (batch_.size() >= batch_size_) return flush_locked();
  return Status::OK();
}

Status QueueWriter::add_parts(std::vector<QueueTask> parts, size_t per_batch) {
  std::lock_guard lock(mu_);
  CPSYNC_RETURN_IF_ERROR(flush_locked());
  for (auto& t : parts) {
    batch_.push_back(std::move(t));
    ++tasks_;
    if (batch_.size() >= std::max<size_t>(per_batch, 1)) CPSYNC_RETURN_IF_ERROR(flush_locked());
  }
  return flush_locked();
}

Result<std::string> QueueWriter::register_upload(uint32_t parts) {
  std::lock_guard lock(mu_);
  CPSYNC_ASSIGN_OR_RETURN(RedisReply id, r_->command({"INCR", keys_.uploads}));
  const std::string uid = std::to_string(id.integer);
  CPSYNC_ASSIGN_OR_RETURN(RedisReply set, r_->command({"HSET", keys_.upload(uid), "parts",
                                                       std::to_string(parts), "done", "0"}));
  (void)set;
  return uid;
}

Status QueueWriter::flush_locked() {
  if (batch_.empty()) return Status::OK();
  auto payload = encode_batch(batch_);
  const std::string n = std::to_string(batch_.size());
  batch_.clear();
  if (!payload.ok()) return payload.status();
  auto rep = r_->command({"EVAL", kAddScript, "2", keys_.tasks, keys_.stats, *payload, n});
  return rep.ok() ? Status::OK() : rep.status();
}

Status QueueWriter::finish(const Status& planning) {
  std::lock_guard lock(mu_);
  Status st = planning.ok() ? flush_locked() : Status::OK();
  const bool ok = planning.ok() && st.ok();
  const std::string why = planning.ok() ? st.message : planning.message;
  auto rep = ok ? r_->command({"HSET", keys_.stats, "planner", "done"})
                : r_->command({"HSET", keys_.stats, "planner", "failed", "planner_error", why});
  if (!st.ok()) return st;
  return rep.ok() ? Status::OK() : rep.status();
}

}  // namespace cpsync
