// tests/e2e/queue_test.cc — the Redis Streams work queue through the cpsync binary, against
// RGW, Azurite and Debian's redis-server: a planner and three worker processes copy 400
// objects S3 -> Azure while one worker is SIGKILLed holding a batch (the others take it
// over after the lease; the destination equals the source, MD5s compared; status shows 0
// pending and the counters add up; each worker logs --stats blocks); a source object removed
// after planning reaches the dead-letter stream and `queue retry` replays it (the worker's
// adaptive transfer pool widens past --transfers' default); bad URLs, Redis down, a second
// planner and a worker of another job fail with one line and their documented exit codes.
// The processes and the Redis watching: tests/e2e/queue_harness.h.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"
#include "tests/e2e/queue_harness.h"

using namespace cpsync::testing;

namespace {

std::string redis_base() {
  return peer_env("redis")["REDIS_URL"];
}

nlohmann::json status_of(const std::string& config, const std::string& url) {
  return nlohmann::json::parse(run_ok(config, {"queue", "status", url, "--json"}).out);
}

}  // namespace

TEST_CASE("queue: a planner and 3 workers, one killed holding a batch, copy S3 -> Azure",
          "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  const int n = 400;
  for (int i = 0; i < n; ++i)
    write_file_text(tmp / ("src/d" + std::to_string(i % 7) + "/obj-" + std::to_string(i)),
                    random_bytes(100 + static_cast<size_t>(i) * 7 % 1900, i));
  QueueJob job(config, tmp.path(), "kill");
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "az", [&](const std::string& ab) {
      const std::string src = "s3:" + sb + "/data", dst = "az:" + ab + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--transfers", "16"});
      const auto start = std::chrono::steady_clock::now();
      // --stats: each worker logs its own counts every second (a run of a few seconds: the
      // killed worker's batch waits out its lease).
      job.start_workers(
          3, {"copy", src, dst, "--lease", "2s", "--transfers", "2", "-v", "--stats", "1s"});
      job.start_planner({"copy", src, dst, "--queue-batch", "10"});
      // Kill worker 0 while it holds a batch (one delivered to it and not acknowledged).
      const bool killed = job.kill_worker_holding_task(0, 30);
      CHECK(job.wait_planner(60) == 0);
      CHECK(job.planner_err().find("400 tasks queued from 400 source objects") !=
            std::string::npos);
      REQUIRE(killed);
      CHECK(job.wait_worker(0, 10) == 128 + SIGKILL);
      for (int w = 1; w < 3; ++w) {
        INFO("worker " << w << " stderr: " << job.worker_err(w));
        CHECK(job.wait_worker(w, 60) == 0);
      }
      const double secs =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      WARN("queue run: 400 objects S3 -> Azure, 3 workers (one killed): " << secs << " s");

      auto st = job.status();
      INFO(st.dump());
      CHECK(st["planner"] == "done");
      CHECK(st["planned"] == n);
      CHECK(st["done"] == n);
      CHECK(st["pending"] == 0);
      CHECK(st["dead"] == 0);
      CHECK(st["batches_left"] == 0);
      CHECK(st["reclaimed"].get<int>() >= 1);  // the killed worker's batch
      // Every task counted once: copied by the worker that acknowledged it, or found done
      // (only in batches taken over from the killed worker).
      CHECK(st["copied"].get<int>() + st["skipped"].get<int>() == n);
      CHECK(st["skipped"].get<int>() <= 10 * st["reclaimed"].get<int>());
      CHECK((job.worker_err(1) + job.worker_err(2)).find("after its lease ran out") !=
            std::string::npos);
      for (int w = 1; w < 3; ++w) {
        INFO("worker " << w << " stderr: " << job.worker_err(w));
        // A logged block (the final stats, printed with -v, have no log prefix).
        CHECK(job.worker_err(w).find("INFO  : \nTransferred:") != std::string::npos);
      }

      // The destination equals the source: names and sizes, and every MD5.
      CHECK(run_ok(config, {"ls", dst}).out == run_ok(config, {"ls", src}).out);
      auto check = run_ok(config, {"check", src, dst, "--checksum"});
      CHECK(check.err.find("0 differences found") != std::string::npos);
      job.clear();
    });
  });
}

TEST_CASE("queue: a task that keeps failing goes to the dead letters; queue retry replays it",
          "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3"));
  for (int i = 0; i < 20; ++i)
    write_file_text(tmp / ("src/f" + std::to_string(i)), "content " + std::to_string(i));
  const std::string url = redis_base() + "/" + unique_bucket("poison");
  with_bucket(config, "s3", [&](const std::string& b) {
    const std::string src = tmp / "src", dst = "s3:" + b + "/out";
    // An extra object at the destination: sync queues its delete too.
    rcat(config, tmp, dst + "/extra", "x");
    run_ok(config, {"sync", src, dst, "--queue", url, "--role", "planner", "--queue-batch", "8"});
    auto st = status_of(config, url);
    CHECK(st["planned"] == 21);
    CHECK(st["pending"] == 21);
    CHECK(st["planner"] == "done");
    // Removed after planning: its copy fails on every attempt.
    std::filesystem::remove(tmp / "src/f7");
    const std::vector<std::string> worker = {
        "sync", src, dst, "--queue", url, "--role", "worker", "--max-attempts", "2"};
    // With the default --transfers the worker's pool adapts (batches of 8, 4 at the start:
    // tasks wait, so it widens), and keeps its width from batch to batch.
    auto with_json = worker;
    with_json.push_back("--json");
    auto w = run_cpsync(config, with_json);
    INFO("worker stderr: " << w.err);
    CHECK(w.code == 6);
    CHECK(w.err.find("1 tasks in the dead-letter stream") != std::string::npos);
    const auto out = split_lines(w.out);
    REQUIRE(!out.empty());
    CHECK(nlohmann::json::parse(out.back())["transfers_peak"].get<int>() > 4);
    st = status_of(config, url);
    CHECK(st["done"] == 20);
    CHECK(st["dead"] == 1);
    CHECK(st["failed"] == 1);  // the first attempt, retried
    CHECK(st["pending"] == 0);
    CHECK(st["deleted"] == 1);
    auto text = run_ok(config, {"queue", "status", url}).out;
    CHECK(text.find("21 planned, 20 done, 0 pending, 1 failed (retried), 1 dead") !=
          std::string::npos);
    CHECK(split_lines(run_ok(config, {"ls", dst}).out).size() == 19);

    // The source object is back (a new file: its first attempt finds it changed since
    // planning, the next copies it as it is now); the dead letter is replayed and done.
    write_file_text(tmp / "src/f7", "content 7");
    CHECK(run_ok(config, {"queue", "retry", url}).out.find("replayed 1 tasks") !=
          std::string::npos);
    CHECK(status_of(config, url)["pending"] == 1);
    run_ok(config, worker);
    st = status_of(config, url);
    CHECK(st["done"] == 21);
    CHECK(st["dead"] == 0);
    CHECK(st["replayed"] == 1);
    CHECK(st["pending"] == 0);
    run_ok(config, {"check", src, dst});
    // A worker started on a drained job exits at once.
    run_ok(config, worker);
    run_ok(config, {"queue", "clear", url});
  });
}

TEST_CASE("queue: bad URLs, Redis down, a second planner, another job's worker", "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_file_text(tmp / "src/a", "a");
  const std::string src = tmp / "src", dst = tmp / "dst";
  auto one_line = [](const RunResult& r) { return split_lines(r.err).size() == 1; };

  auto bad = run_cpsync(config, {"copy", src, dst, "--queue", "http://x/y", "--role", "worker"});
  CHECK(bad.code == 1);
  CHECK(one_line(bad));
  CHECK(bad.err.find("not a redis:// URL") != std::string::npos);
  auto noname = run_cpsync(
      config, {"copy", src, dst, "--queue", "redis://127.0.0.1:6379", "--role", "worker"});
  CHECK(noname.code == 1);
  CHECK(noname.err.find("no queue name") != std::string::npos);
  auto norole = run_cpsync(config, {"copy", src, dst, "--queue", redis_base() + "/x"});
  CHECK(norole.code == 1);
  CHECK(norole.err.find("--queue needs --role") != std::string::npos);
  auto noqueue = run_cpsync(config, {"copy", src, dst, "--role", "worker"});
  CHECK(noqueue.code == 1);
  auto secret = run_cpsync(config, {"queue", "status", "redis://:hunter2@127.0.0.1:1/x"});
  CHECK(secret.err.find("hunter2") == std::string::npos);

  // Port 1 on loopback: nothing listens.
  auto down = run_cpsync(
      config, {"copy", src, dst, "--queue", "redis://127.0.0.1:1/x", "--role", "planner"});
  CHECK(down.code == 5);
  CHECK(one_line(down));
  CHECK(down.err.find("redis 127.0.0.1:1: cannot connect") != std::string::npos);
  CHECK(run_cpsync(config, {"queue", "status", "redis://127.0.0.1:1/x"}).code == 5);
  auto none = run_cpsync(config, {"queue", "status", redis_base() + "/" + unique_bucket("none")});
  CHECK(none.code == 3);
  CHECK(none.err.find("no such job") != std::string::npos);

  const std::string url = redis_base() + "/" + unique_bucket("twice");
  run_ok(config, {"copy", src, dst, "--queue", url, "--role", "planner"});
  auto again = run_cpsync(config, {"copy", src, dst, "--queue", url, "--role", "planner"});
  CHECK(again.code == 1);
  CHECK(one_line(again));
  CHECK(again.err.find("already holds a job (its planner is done)") != std::string::npos);
  auto other = run_cpsync(config, {"sync", src, dst, "--queue", url, "--role", "worker"});
  CHECK(other.code == 1);
  CHECK(other.err.find("holds the job 'copy ") != std::string::npos);
  run_ok(config, {"copy", src, dst, "--queue", url, "--role", "worker"});
  CHECK(read_file_text(dst + "/a") == "a");
  run_ok(config, {"queue", "clear", url});
  // Cleared: a planner may start again; with nothing to do, both roles in one process end.
  run_ok(config, {"copy", src, dst, "--queue", url, "--role", "both"});
  CHECK(status_of(config, url)["skipped"] == 0);
  run_ok(config, {"queue", "clear", url});
}
