// sync/queue_worker.cc — the worker loop: claim or read a batch, keep its lease, do its
// tasks on a pool, acknowledge with retries and dead letters in one script.
#include "sync/queue_worker.h"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/log.h"
#include "sync/object_apply.h"
#include "sync/planner.h"
#include "sync/queue_parts.h"
#include "sync/transfer_pool.h"

namespace cpsync {
namespace {

struct Batch {
  std::string id;
  std::string payload;
};

// Entries of an XREADGROUP / XAUTOCLAIM reply's entry list: [[id, [field, value, ...]], ...].
std::vector<Batch> batches_of(const RedisReply& entries) {
  std::vector<Batch> out;
  for (const auto& e : entries.elements) {
    if (e.elements.size() < 2 || e.elements[1].type != RedisReply::Type::array) continue;
    Batch b;
    b.id = e.elements[0].str;
    const auto& f = e.elements[1].elements;
    for (size_t i = 0; i + 1 < f.size(); i += 2)
      if (f[i].str == "tasks") b.payload = f[i + 1].str;
    out.push_back(std::move(b));
  }
  return out;
}

// Extends the lease of one batch while it is worked on: XCLAIM with min-idle 0 resets the
// entry's idle time (JUSTID: without counting a delivery). Its own connection and thread.
class LeaseKeeper {
 public:
  LeaseKeeper(const QueueWorkerOptions& o, const QueueKeys& k, const std::string& id) {
    auto interval = std::max<std::chrono::milliseconds>(o.lease / 3, std::chrono::milliseconds(50));
    thread_ = std::thread([this, &o, k, id, interval] {
      auto conn = RedisConn::connect(o.url, std::chrono::seconds(5));
      std::unique_lock lock(mu_);
      while (!cv_.wait_for(lock, interval, [this] { return stop_; })) {
        if (!conn.ok()) {
          conn = RedisConn::connect(o.url, std::chrono::seconds(5));
          if (!conn.ok()) continue;
        }
        auto r = (*conn)->command({"XCLAIM", k.tasks, kQueueGroup, o.consumer, "0", id, "JUSTID"});
        if (!r.ok()) {
          log_error("work queue: extending the lease of batch " + id + ": " + r.status().message);
          if (r.status().code == Errc::transient) conn = r.status();
        }
      }
    });
  }
  ~LeaseKeeper() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// What a task did: copied an object, found it there, deleted it, stored a part of it, or
// found its part upload abandoned (a changed source) so the object is copied again.
enum class TaskKind { none, copied, already_there, deleted, part, replan };

class Worker {
 public:
  Worker(const SyncEndpoint& src, const SyncEndpoint& dst, const QueueWorkerOptions& o,
         SyncStats& stats, QueueWorkerReport& report)
      : src_(src),
        dst_(dst),
        o_(o),
        stats_(stats),
        report_(report),
        keys_(QueueKeys::of(o.url.name)),
        uploads_(o.url, keys_),
        applier_(src, dst, o.compare, o.transfer, stats),
        pool_(run_transfer_pool_options(o.transfers, o.max_transfers, stats)) {}

  Status run() {
    CPSYNC_ASSIGN_OR_RETURN(conn_, RedisConn::connect(o_.url, std::chrono::seconds(10)));
    CPSYNC_RETURN_IF_ERROR(ensure_queue_group(*conn_, keys_));
    CPSYNC_RETURN_IF_ERROR(wait_for_planner());
    const auto block = std::chrono::milliseconds(1000);
    conn_->set_timeout(block + std::chrono::seconds(10));
    std::string cursor = "0-0";
    for (;;) {
      // Batches whose worker stopped extending their lease come first.
      CPSYNC_ASSIGN_OR_RETURN(
          RedisReply claimed,
          conn_->command({"XAUTOCLAIM", keys_.tasks, kQueueGroup, o_.consumer,
                          std::to_string(o_.lease.count()), cursor, "COUNT", "1"}));
      if (claimed.elements.size() >= 2) {
        cursor = claimed.elements[0].str;
        auto got = batches_of(claimed.elements[1]);
        if (!got.empty()) {
          CPSYNC_RETURN_IF_ERROR(process(got[0], /*reclaimed=*/true));
          continue;
        }
      }
      // New batches: a look without waiting, then the end check, then a blocking read.
      for (const bool wait : {false, true}) {
        std::vector<std::string> cmd = {"XREADGROUP", "GROUP", kQueueGroup,
                                        o_.consumer,  "COUNT", "1"};
        if (wait) cmd.insert(cmd.end(), {"BLOCK", std::to_string(block.count())});
        cmd.insert(cmd.end(), {"STREAMS", keys_.tasks, ">"});
        CPSYNC_ASSIGN_OR_RETURN(RedisReply read, conn_->command(cmd));
        if (!read.is_nil() && !read.elements.empty() && read.elements[0].elements.size() >= 2) {
          auto got = batches_of(read.elements[0].elements[1]);
          if (!got.empty()) {
            CPSYNC_RETURN_IF_ERROR(process(got[0], /*reclaimed=*/false));
            break;
          }
        }
        if (wait) break;
        // Nothing new: the end once the planner is done and every batch is acknowledged.
        CPSYNC_ASSIGN_OR_RETURN(QueueCounts c, read_queue_counts(*conn_, o_.url));
        if (c.finished()) {
          report_.job_dead = c.dead;
          if (c.planner == "failed")
            return Status{Errc::permanent,
                          "the planner of " + o_.url.display() + " failed: " + c.planner_error};
          return Status::OK();
        }
      }
    }
  }

 private:
  // Waits until a planner has registered the job, then checks it is this worker's job.
  Status wait_for_planner() {
    bool said = false;
    for (;;) {
      CPSYNC_ASSIGN_OR_RETURN(
          RedisReply r, conn_->command({"HMGET", keys_.stats, "planner", "mode", "src", "dst"}));
      if (r.elements.size() == 4 && !r.elements[0].is_nil()) {
        const QueueJob job{r.elements[1].str, r.elements[2].str, r.elements[3].str};
        if (job.mode != o_.job.mode || job.src != o_.job.src || job.dst != o_.job.dst)
          return Status{Errc::invalid_argument,
                        o_.url.display() + " holds the job '" + job.mode + " " + job.src + " " +
                            job.dst + "'; this worker was started for '" + o_.job.mode + " " +
                            o_.job.src + " " + o_.job.dst + "'"};
        return Status::OK();
      }
      if (!said) log_notice("work queue " + o_.url.display() + ": waiting for the planner");
      said = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }

  // How many times the batch was delivered (1 for a first read).
  int64_t deliveries(const std::string& id) {
    auto r = conn_->command({"XPENDING", keys_.tasks, kQueueGroup, id, id, "1"});
    if (!r.ok() || r->elements.empty() || r->elements[0].elements.size() < 4) return 1;
    return r->elements[0].elements[3].integer;
  }

  Status process(const Batch& b, bool reclaimed) {
    auto decoded = decode_batch(b.payload);
    std::vector<QueueTask> tasks;
    if (decoded.ok()) tasks = std::move(decoded).value();
    std::vector<QueueTask> retry, dead;
    int64_t done = 0, copied = 0, skipped = 0, deleted = 0, bytes = 0;
    const int64_t delivered = reclaimed ? deliveries(b.id) : 1;
    if (reclaimed)
      log_notice("work queue: took over batch " + b.id + " (" + std::to_string(tasks.size()) +
                 " tasks, delivery " + std::to_string(delivered) + ") after its lease ran out");
    if (!decoded.ok()) {
      log_error(decoded.status().message + " (batch " + b.id + " dropped)");
    } else if (delivered > o_.max_attempts) {
      // Workers keep stopping on this batch: stop handing it out.
      for (auto& t : tasks) {
        t.error = "taken over " + std::to_string(delivered - 1) +
                  " times from workers that stopped while doing it";
        dead.push_back(std::move(t));
      }
    } else {
      LeaseKeeper lease(o_, keys_, b.id);
      std::vector<Status> results(tasks.size());
      std::vector<TaskKind> kinds(tasks.size(), TaskKind::none);
      std::vector<uint64_t> sent(tasks.size(), 0);  // body bytes each task copied
      {
        // On the worker's one pool, whose width carries over from batch to batch.
        std::mutex m;
        std::condition_variable all_done;
        size_t left = tasks.size();
        for (size_t i = 0; i < tasks.size(); ++i) {
          const bool large =
              tasks[i].op == QueueTask::Op::copy && large_transfer(tasks[i].info.size, o_.transfer);
          // (A part task holds one part's buffer: not large.)
          pool_.submit(
              [&, i] {
                results[i] = run_task(tasks[i], kinds[i], sent[i]);
                std::lock_guard<std::mutex> l(m);
                if (--left == 0) all_done.notify_all();
              },
              large);
        }
        std::unique_lock<std::mutex> l(m);
        all_done.wait(l, [&] { return left == 0; });
      }
      for (size_t i = 0; i < tasks.size(); ++i) {
        if (results[i].ok() && kinds[i] == TaskKind::replan) {
          // A part task whose source changed: the object again, as one copy task.
          QueueTask t = std::move(tasks[i]);
          t.op = QueueTask::Op::copy;
          t.part = {};
          refresh(t);
          retry.push_back(std::move(t));
          continue;
        }
        if (results[i].ok()) {
          ++done;
          bytes += static_cast<int64_t>(sent[i]);
          if (kinds[i] == TaskKind::copied) ++copied;
          if (kinds[i] == TaskKind::already_there) ++skipped;
          if (kinds[i] == TaskKind::deleted) ++deleted;
          continue;
        }
        ++stats_.errors;
        QueueTask t = std::move(tasks[i]);
        t.error = results[i].to_string();
        ++t.attempts;
        if (results[i].code == Errc::conflict && t.op == QueueTask::Op::copy) refresh(t);
        log_error(results[i].to_string() + " (attempt " + std::to_string(t.attempts) + "/" +
                  std::to_string(o_.max_attempts) + ")");
        (t.attempts >= o_.max_attempts ? dead : retry).push_back(std::move(t));
      }
    }
    CPSYNC_ASSIGN_OR_RETURN(bool first,
                            complete_batch(*conn_, keys_, b.id, retry, dead,
                                           {{"done", done},
                                            {"copied", copied},
                                            {"skipped", skipped},
                                            {"deleted", deleted},
                                            {"bytes", bytes},
                                            {"failed", static_cast<int64_t>(retry.size())},
                                            {"dead", static_cast<int64_t>(dead.size())},
                                            {"reclaimed", reclaimed ? 1 : 0}}));
    if (!first) {
      log_info("work queue: batch " + b.id + " was acknowledged by another worker first");
      return Status::OK();
    }
    ++report_.batches;
    if (reclaimed) ++report_.reclaimed;
    for (const auto& t : dead)
      log_error("work queue: " + t.info.key + ": to the dead-letter stream after " +
                std::to_string(t.attempts) + " attempts: " + t.error);
    return Status::OK();
  }

  // A source changed since planning: the next attempt copies what it holds now (as a new
  // plan would). Left as planned when the stat fails (the next attempt tells why).
  void refresh(QueueTask& t) {
    auto now = src_.remote->stat(ObjectRef{src_.bucket, src_.prefix + t.info.key});
    if (!now.ok() || now->is_dir) return;
    now->key = t.info.key;
    now->metadata = {};
    now->content = {};
    now->metadata_known = false;
    t.info = std::move(now).value();
  }

  Status run_task(const QueueTask& t, TaskKind& kind, uint64_t& sent) {
    if (t.op == QueueTask::Op::part) return run_part(t, kind, sent);
    auto r = t.op == QueueTask::Op::remove ? applier_.remove(t.info.key) : applier_.copy(t.info);
    if (!r.ok()) return r.status();
    kind = *r == Applied::copied          ? TaskKind::copied
           : *r == Applied::already_there ? TaskKind::already_there
                                          : TaskKind::deleted;
    if (kind == TaskKind::copied) sent = t.info.size;
    return Status::OK();
  }

  Status run_part(const QueueTask& t, TaskKind& kind, uint64_t& sent) {
    ++stats_.in_flight;
    auto r = run_part_task(src_, dst_, o_.transfer, t, uploads_);
    --stats_.in_flight;
    if (!r.ok()) return r.status();
    sent = r->bytes;
    stats_.bytes += r->bytes;
    switch (r->kind) {
      case PartTaskResult::Kind::committed:
        kind = TaskKind::copied;
        ++stats_.transferred;
        break;
      case PartTaskResult::Kind::replan:
        kind = TaskKind::replan;
        break;
      default:
        kind = TaskKind::part;
    }
    return Status::OK();
  }

  const SyncEndpoint& src_;
  const SyncEndpoint& dst_;
  const QueueWorkerOptions& o_;
  SyncStats& stats_;
  QueueWorkerReport& report_;
  QueueKeys keys_;
  SharedUploads uploads_;  // the part tasks' upload states
  ObjectApplier applier_;
  std::unique_ptr<RedisConn> conn_;
  TransferPool pool_;  // last: its tasks use the members above
};

}  // namespace

std::string default_consumer_name() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "worker") + "-" + std::to_string(getpid());
}

Status run_queue_worker(const SyncEndpoint& src, const SyncEndpoint& dst,
                        const QueueWorkerOptions& o, SyncStats& stats, QueueWorkerReport& report) {
  if (!src.remote || !dst.remote || !o.transfer.pool)
    return Status{Errc::invalid_argument, "queue worker: remote or buffer pool missing"};
  Worker w(src, dst, o, stats, report);
  return w.run();
}

}  // namespace cpsync
