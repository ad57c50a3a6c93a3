// cli/queue_commands.cc — `cpsync copy|sync SRC DST --queue redis://HOST:PORT/NAME --role
// planner|worker|both` (cli/queue_flags.h) and `cpsync queue status|retry|clear URL`.
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <ostream>
#include <thread>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/queue_flags.h"
#include "cli/stats_output.h"
#include "core/log.h"
#include "sync/queue.h"
#include "sync/queue_parts.h"
#include "sync/queue_worker.h"

namespace cpsync {
namespace {

// "60s", "500ms", "2m" or plain seconds; nullopt when bad or not positive.
std::optional<std::chrono::milliseconds> parse_lease(const std::string& s) {
  size_t i = 0;
  double v = 0;
  try {
    v = std::stod(s, &i);
  } catch (...) {
    return std::nullopt;
  }
  const std::string unit = s.substr(i);
  const double ms = unit == "ms"                ? 1
                    : unit == "" || unit == "s" ? 1e3
                    : unit == "m"               ? 60e3
                    : unit == "h"               ? 3600e3
                                                : -1;
  if (ms < 0 || v * ms < 1) return std::nullopt;
  return std::chrono::milliseconds(static_cast<int64_t>(v * ms));
}

Result<QueueUrl> connectable_url(const std::string& text) {
  auto u = parse_queue_url(text);
  if (!u.ok()) return u.status();
  return u;
}

// Status in a few lines, or one JSON object.
void print_counts(std::ostream& out, const QueueUrl& url, const QueueCounts& c, bool json) {
  if (json) {
    nlohmann::json j = {{"queue", url.display()},
                        {"planner", c.planner.empty() ? "not started" : c.planner},
                        {"mode", c.job.mode},
                        {"src", c.job.src},
                        {"dst", c.job.dst},
                        {"planned", c.planned},
                        {"done", c.done},
                        {"pending", c.pending()},
                        {"failed", c.failed},
                        {"dead", c.dead},
                        {"copied", c.copied},
                        {"skipped", c.skipped},
                        {"deleted", c.deleted},
                        {"bytes", c.bytes},
                        {"replayed", c.replayed},
                        {"reclaimed", c.reclaimed},
                        {"batches_left", c.batches_left},
                        {"batches_pending", c.batches_pending},
                        {"workers", c.consumers}};
    if (!c.planner_error.empty()) j["planner_error"] = c.planner_error;
    out << j.dump() << "\n";
    return;
  }
  out << "queue:    " << url.display() << "\n"
      << "job:      " << c.job.mode << " " << c.job.src << " " << c.job.dst << "\n"
      << "planner:  " << (c.planner.empty() ? "not started" : c.planner)
      << (c.planner_error.empty() ? "" : " (" + c.planner_error + ")") << "\n"
      << "tasks:    " << c.planned << " planned, " << c.done << " done, " << c.pending()
      << " pending, " << c.failed << " failed (retried), " << c.dead << " dead\n"
      << "done:     " << c.copied << " copied (" << format_bytes(static_cast<double>(c.bytes))
      << "), " << c.skipped << " already there, " << c.deleted << " deleted\n"
      << "batches:  " << c.batches_left << " in the stream, " << c.batches_pending
      << " being worked on, " << c.reclaimed << " taken over after a lease ran out, " << c.replayed
      << " tasks replayed\n"
      << "workers:  " << c.consumers << "\n";
}

}  // namespace

void add_queue_flags(CLI::App& cmd, QueueFlags& f) {
  cmd.add_option("--queue", f.url,
                 "Share the job through a Redis Streams work queue: redis://HOST:PORT/NAME");
  cmd.add_option("--role", f.role,
                 "With --queue: planner (list, compare, queue the work), worker (do queued "
                 "work) or both");
  cmd.add_option("--lease", f.lease,
                 "With --queue: a batch whose worker stops extending it this long is taken "
                 "over by another")
      ->capture_default_str();
  cmd.add_option("--max-attempts", f.max_attempts,
                 "With --queue: tries per task before it goes to the dead-letter stream")
      ->capture_default_str();
  cmd.add_option("--queue-batch", f.batch, "With --queue: tasks per batch")->capture_default_str();
}

int run_queued(AppContext& ctx, SyncMode mode, const SyncEndpoint& src, const SyncEndpoint& dst,
               SyncOptions o, const QueueFlags& q, bool progress) {
  if (q.url.empty())
    return ctx.fail({Errc::invalid_argument, "--role needs --queue redis://HOST:PORT/NAME"},
                    kExitUsage);
  auto url = connectable_url(q.url);
  if (!url.ok()) return ctx.fail(url.status(), kExitUsage);
  if (q.role != "planner" && q.role != "worker" && q.role != "both")
    return ctx.fail({Errc::invalid_argument,
                     q.role.empty() ? "--queue needs --role planner, worker or both"
                                    : "--role '" + q.role + "': use planner, worker or both"},
                    kExitUsage);
  if (mode != SyncMode::copy && mode != SyncMode::sync)
    return ctx.fail({Errc::invalid_argument, "--queue works with copy and sync only"}, kExitUsage);
  for (auto [set, flag] : {std::pair{o.dry_run, "--dry-run"},
                           {o.backup != nullptr, "--backup-dir"},
                           {static_cast<bool>(o.confirm), "--interactive"}})
    if (set)
      return ctx.fail({Errc::invalid_argument, std::string(flag) + " does not work with --queue"},
                      kExitUsage);
  auto lease = parse_lease(q.lease);
  if (!lease)
    return ctx.fail({Errc::invalid_argument, "--lease: bad duration '" + q.lease + "' (e.g. 60s)"},
                    kExitUsage);
  if (q.max_attempts < 1 || q.batch < 1)
    return ctx.fail({Errc::invalid_argument, "--max-attempts and --queue-batch must be at least 1"},
                    kExitUsage);
  const QueueJob job{mode == SyncMode::sync ? "sync" : "copy", src.display, dst.display};
  const bool plan = q.role != "worker", work = q.role != "planner";
  const auto start = std::chrono::steady_clock::now();

  std::unique_ptr<QueueWriter> writer;
  if (plan) {
    auto w = QueueWriter::open(*url, job, static_cast<size_t>(q.batch));
    if (!w.ok()) return ctx.fail(w.status(), w.status().code == Errc::conflict ? kExitUsage : -1);
    writer = std::move(w).value();
  }

  SyncStats worker_stats;
  QueueWorkerReport report;
  Status worked;
  std::thread worker_thread;
  QueueWorkerOptions wo;
  if (work) {
    wo.url = *url;
    wo.job = job;
    wo.lease = *lease;
    wo.max_attempts = q.max_attempts;
    wo.transfers = o.transfers;
    wo.max_transfers = o.max_transfers;
    wo.compare = o.compare;
    wo.transfer = o.transfer;
    wo.consumer = default_consumer_name();
    worker_thread = std::thread([&] {
      std::unique_ptr<ProgressPrinter> p;
      std::unique_ptr<StatsLogger> periodic;  // --stats: this worker's counts
      if (progress)
        p = std::make_unique<ProgressPrinter>(worker_stats, ctx.err);
      else
        periodic = periodic_stats_logger(worker_stats, mode, ctx.flags.stats_interval,
                                         ctx.flags.stats_level);
      worked = run_queue_worker(src, dst, wo, worker_stats, report);
    });
  }

  Status planned;
  SyncStats plan_stats;
  if (plan) {
    o.enqueue = [&writer, &src, &dst, &o](bool remove, const ObjectInfo& obj) {
      if (!remove) {  // a large object: part tasks, a few to a batch, for many workers at once
        auto parts = enqueue_in_parts(src, dst, obj, o.transfer, *writer,
                                      static_cast<size_t>(std::max(o.transfer.streams, 1)));
        if (parts.ok() && *parts) return Status::OK();
        if (!parts.ok())
          log_info("work queue: " + obj.key +
                   ": queued as one task, not in parts: " + parts.status().message);
      }
      QueueTask t;
      t.op = remove ? QueueTask::Op::remove : QueueTask::Op::copy;
      t.info.key = obj.key;
      t.info.size = obj.size;
      t.info.mtime = obj.mtime;
      t.info.mtime_from_metadata = obj.mtime_from_metadata;
      t.info.etag = obj.etag;
      t.info.md5 = obj.md5;
      return writer->add(std::move(t));
    };
    planned = run_sync(src, dst, o, plan_stats);
    Status fin = writer->finish(planned);
    if (planned.ok()) planned = fin;
    log_notice("work queue " + url->display() + ": " + std::to_string(writer->tasks()) +
               " tasks queued from " + std::to_string(plan_stats.listed_src.load()) +
               " source objects" + (planned.ok() ? "" : " (planning failed)"));
  }
  if (worker_thread.joinable()) worker_thread.join();

  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (work && (ctx.flags.json || (!ctx.flags.quiet && (ctx.flags.verbose > 0 || progress))))
    print_final_stats(ctx.flags.json ? ctx.out : ctx.err, worker_stats, mode, elapsed,
                      ctx.flags.json);
  if (!planned.ok()) return ctx.fail(planned.with_context("planner"));
  if (!worked.ok()) return ctx.fail(worked.with_context("worker"));
  if (work && report.job_dead > 0) {
    ctx.err << "cpsync: " << report.job_dead << " tasks in the dead-letter stream of "
            << url->display() << " (see cpsync queue status; cpsync queue retry replays them)\n";
    return kExitLessSerious;
  }
  return kExitOk;
}

void add_queue_commands(CLI::App& app, AppContext& ctx) {
  auto* queue = app.add_subcommand("queue", "Show, replay or clear a --queue work queue");
  queue->require_subcommand(1);
  auto add = [&](const char* name, const char* help, auto body) {
    auto* cmd = queue->add_subcommand(name, help);
    auto text = std::make_shared<std::string>();
    cmd->add_option("queue", *text, "The queue, redis://HOST:PORT/NAME")->required();
    on_run(cmd, ctx, [&ctx, text, body]() -> int {
      auto url = connectable_url(*text);
      if (!url.ok()) return ctx.fail(url.status(), kExitUsage);
      auto conn = RedisConn::connect(*url, std::chrono::seconds(10));
      if (!conn.ok()) return ctx.fail(conn.status());
      return body(*url, **conn);
    });
  };
  add("status", "Tasks planned, done, pending, failed and dead, across all workers",
      [&ctx](const QueueUrl& url, RedisConn& r) -> int {
        auto c = read_queue_counts(r, url);
        if (!c.ok()) return ctx.fail(c.status());
        print_counts(ctx.out, url, *c, ctx.flags.json);
        return kExitOk;
      });
  add("retry", "Put the dead-letter tasks back in the queue (workers then take them)",
      [&ctx](const QueueUrl& url, RedisConn& r) -> int {
        auto c = read_queue_counts(r, url);
        if (!c.ok()) return ctx.fail(c.status());
        auto n = replay_dead_letters(r, url);
        if (!n.ok()) return ctx.fail(n.status());
        ctx.out << "replayed " << *n << " tasks to " << url.display() << "\n";
        return kExitOk;
      });
  add("clear", "Delete the queue's tasks, dead letters and counters (a new planner may start)",
      [&ctx](const QueueUrl& url, RedisConn& r) -> int {
        Status st = clear_queue(r, url);
        if (!st.ok()) return ctx.fail(st);
        ctx.out << "cleared " << url.display() << "\n";
        return kExitOk;
      });
}

}  // namespace cpsync
