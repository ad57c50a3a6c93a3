// tests/e2e/queue_harness.h — one --queue job run by background cpsync processes, for the e2e
// tests of the work queue: a fresh job name on the test fixture's redis-server, workers spawned
// first (they wait for the planner) and then the planner, each with output to files in a test
// directory; a Redis connection of its own to watch the job (which worker holds a task, the
// stats counters) and SIGKILL a worker mid-run; `queue status --json`. Test-thread only.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sync/queue_redis.h"
#include "tests/e2e/background_cpsync.h"
#include "tests/e2e/cli_objects_harness.h"

namespace cpsync::testing {

class QueueJob {
 public:
  // A job named after stem (made unique) on the redis peer; process outputs go to dir.
  QueueJob(std::string config, std::filesystem::path dir, const std::string& stem)
      : config_(std::move(config)), dir_(std::move(dir)) {
    url_ = peer_env("redis")["REDIS_URL"] + "/" + unique_bucket(stem);
    auto u = parse_queue_url(url_);
    REQUIRE(u.ok());
    name_ = u->name;
    auto c = RedisConn::connect(*u, std::chrono::seconds(5));
    REQUIRE(c.ok());
    conn_ = std::move(*c);
  }

  const std::string& url() const { return url_; }
  std::string stream() const { return "cpsync:" + name_ + ":tasks"; }

  // n workers running cmd (e.g. {"copy", src, dst, "--lease", "2s"}) with --queue URL
  // --role worker; worker i writes to dir/w<i>.out and dir/w<i>.err.
  void start_workers(int n, const std::vector<std::string>& cmd) {
    for (int w = 0; w < n; ++w) {
      const std::string i = std::to_string(workers_.size());
      workers_.push_back(spawn_cpsync(config_, with_role(cmd, "worker"), dir_ / ("w" + i + ".out"),
                                      dir_ / ("w" + i + ".err")));
    }
  }
  // The planner, to dir/p.out and dir/p.err.
  void start_planner(const std::vector<std::string>& cmd) {
    planner_ = spawn_cpsync(config_, with_role(cmd, "planner"), dir_ / "p.out", dir_ / "p.err");
  }

  pid_t worker(int i) const { return workers_.at(static_cast<size_t>(i)); }
  int workers() const { return static_cast<int>(workers_.size()); }

  // Worker i has a task delivered to it and not acknowledged (its consumer is host-PID).
  bool holds_task(int i) {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    auto p = conn_->command({"XPENDING", stream(), "cpsync-workers", "-", "+", "10",
                             std::string(host) + "-" + std::to_string(worker(i))});
    return p.ok() && !p->elements.empty();
  }
  // A counter of the job's stats hash (0 while unset).
  long counter(const std::string& field) {
    auto d = conn_->command({"HGET", "cpsync:" + name_ + ":stats", field});
    return d.ok() && !d->str.empty() ? std::stol(d->str) : 0;
  }
  // SIGKILLs worker i as soon as it holds a task and also() is true (polled every 5 ms);
  // false when that did not happen within secs.
  bool kill_worker_holding_task(int i, int secs, const std::function<bool()>& also = {}) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(secs);
    while (std::chrono::steady_clock::now() < end) {
      if ((!also || also()) && holds_task(i)) {
        REQUIRE(::kill(worker(i), SIGKILL) == 0);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }

  int wait_planner(int secs) { return wait_exit(planner_, secs); }
  int wait_worker(int i, int secs) { return wait_exit(worker(i), secs); }
  std::string planner_err() const { return read_file_text(dir_ / "p.err"); }
  std::string worker_err(int i) const {
    return read_file_text(dir_ / ("w" + std::to_string(i) + ".err"));
  }

  nlohmann::json status() const {
    return nlohmann::json::parse(run_ok(config_, {"queue", "status", url_, "--json"}).out);
  }
  void clear() const { run_ok(config_, {"queue", "clear", url_}); }

 private:
  std::vector<std::string> with_role(std::vector<std::string> cmd, const std::string& role) const {
    cmd.insert(cmd.end(), {"--queue", url_, "--role", role});
    return cmd;
  }

  std::string config_;
  std::filesystem::path dir_;
  std::string url_, name_;
  std::unique_ptr<RedisConn> conn_;
  std::vector<pid_t> workers_;
  pid_t planner_ = -1;
};

}  // namespace cpsync::testing
