// tests/e2e/queue_parts_test.cc — large objects through the work queue as part tasks, against
// RGW, Azurite and redis-server: a planner splits each multipart-sized object into part tasks
// (the upload begun at the destination), three workers share them while one is SIGKILLed
// holding a batch, and the task that stores each object's last part commits it. The copies
// equal the source, each object carries its whole-object MD5 (S3 -> Azure: the blob's
// Content-MD5; Azure -> S3: md5chksum), and the counters add up. Processes: queue_harness.h.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"
#include "tests/e2e/queue_harness.h"

using namespace cpsync::testing;

namespace {

constexpr int kLarge = 3;  // objects of 23 MiB: 5 parts of 5 MiB each
constexpr int kSmall = 6;
constexpr int kParts = 5;

void write_sources(const TempDir& tmp) {
  for (int i = 0; i < kLarge; ++i)
    write_file_text(tmp / ("src/big/b" + std::to_string(i)),
                    random_bytes((23u << 20) + 1000u * static_cast<unsigned>(i), 100 + i));
  for (int i = 0; i < kSmall; ++i)
    write_file_text(tmp / ("src/s" + std::to_string(i)), random_bytes(3000, 200 + i));
}

// Lines of `md5sum REMOTE` (hash and name), which must name every object with a hash.
std::vector<std::string> md5_lines(const std::string& config, const std::string& remote) {
  auto lines = split_lines(run_ok(config, {"md5sum", remote}).out);
  for (const auto& l : lines) CHECK(l.substr(0, 32).find(' ') == std::string::npos);
  return lines;
}

// A planner and two workers copy src to dst (a `mode` job, parts of 5 MiB); then the job's
// counters are checked against `tasks` planned and `objects` copied, every MD5 compared,
// `check` run with check_flag and no unfinished upload may be left at dst.
void run_two_workers(QueueJob& job, const std::string& config, const std::string& mode,
                     const std::string& src, const std::string& dst, int tasks, int objects,
                     const std::string& check_flag) {
  job.start_workers(2, {mode, src, dst, "--chunk-size", "5M", "--transfers", "2"});
  job.start_planner({mode, src, dst, "--chunk-size", "5M"});
  CHECK(job.wait_planner(60) == 0);
  for (int w = 0; w < 2; ++w) {
    INFO("worker " << w << " stderr: " << job.worker_err(w));
    CHECK(job.wait_worker(w, 60) == 0);
  }
  auto st = job.status();
  INFO(st.dump());
  CHECK(st["planned"] == tasks);
  CHECK(st["done"] == tasks);
  CHECK(st["copied"] == objects);
  CHECK(md5_lines(config, dst) == md5_lines(config, src));
  CHECK(run_ok(config, {"check", src, dst, check_flag}).err.find("0 differences found") !=
        std::string::npos);
  CHECK(run_ok(config, {"cleanup", dst, "--max-age", "0", "--dry-run"}).out.empty());
}

}  // namespace

TEST_CASE("queue: large objects as part tasks shared by workers, one killed, S3 -> Azure",
          "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  write_sources(tmp);
  QueueJob job(config, tmp.path(), "parts");
  with_bucket(config, "s3", [&](const std::string& sb) {
    with_bucket(config, "az", [&](const std::string& ab) {
      const std::string src = "s3:" + sb + "/data", dst = "az:" + ab + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--chunk-size", "5M"});
      // The destination cannot fetch the source itself (--no-server-side-copy): the bytes
      // stream through the workers, the large objects in parts.
      const std::vector<std::string> flags = {"--chunk-size", "5M", "--no-server-side-copy"};
      std::vector<std::string> worker = {"copy", src, dst, "--lease", "2s", "-v"};
      worker.insert(worker.end(), flags.begin(), flags.end());
      std::vector<std::string> planner = {"copy", src, dst, "-v"};
      planner.insert(planner.end(), flags.begin(), flags.end());
      job.start_workers(3, worker);
      job.start_planner(planner);
      const bool killed = job.kill_worker_holding_task(0, 30);
      CHECK(job.wait_planner(60) == 0);
      INFO("planner: " << job.planner_err());
      CHECK(job.planner_err().find("5 part tasks of 5242880 bytes") != std::string::npos);
      REQUIRE(killed);
      CHECK(job.wait_worker(0, 10) == 128 + SIGKILL);
      std::string logs;
      for (int w = 1; w < 3; ++w) {
        INFO("worker " << w << " stderr: " << job.worker_err(w));
        CHECK(job.wait_worker(w, 60) == 0);
        logs += job.worker_err(w);
      }
      auto st = job.status();
      INFO(st.dump());
      const int tasks = kLarge * kParts + kSmall;
      CHECK(st["planned"] == tasks);
      CHECK(st["done"] == tasks);
      CHECK(st["pending"] == 0);
      CHECK(st["dead"] == 0);
      CHECK(st["reclaimed"].get<int>() >= 1);
      // Each object counted once: copied (a large one by the task that committed it), or
      // found already there (only in the killed worker's batch, taken over).
      CHECK(st["copied"].get<int>() + st["skipped"].get<int>() == kLarge + kSmall);
      // Every large object was committed by one task of the surviving workers (or the killed
      // one, before it died), after its parts were written by whichever worker took them.
      size_t commits = 0;
      for (size_t at = 0; (at = logs.find("copied (5 part tasks)", at)) != std::string::npos; ++at)
        ++commits;
      CHECK(commits <= static_cast<size_t>(kLarge));
      CHECK(commits >= static_cast<size_t>(kLarge - 1));

      // The copy equals the source, and every object has its MD5 on both sides.
      CHECK(run_ok(config, {"ls", dst}).out == run_ok(config, {"ls", src}).out);
      CHECK(md5_lines(config, dst) == md5_lines(config, src));
      auto check = run_ok(config, {"check", src, dst, "--checksum"});
      CHECK(check.err.find("0 differences found") != std::string::npos);
      // Nothing left half-written: no unfinished uploads at the destination.
      CHECK(run_ok(config, {"cleanup", dst, "--max-age", "0", "--dry-run"}).out.empty());
      job.clear();
    });
  });
}

TEST_CASE("queue: part tasks Azure -> S3 commit the parts every worker stored", "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  write_sources(tmp);
  QueueJob job(config, tmp.path(), "parts-s3");
  with_bucket(config, "az", [&](const std::string& ab) {
    with_bucket(config, "s3", [&](const std::string& sb) {
      const std::string src = "az:" + ab + "/data", dst = "s3:" + sb + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--chunk-size", "5M"});
      run_two_workers(job, config, "sync", src, dst, kLarge * kParts + kSmall, kLarge + kSmall,
                      "--checksum");
      // A rerun plans nothing: the objects compare equal.
      job.clear();
      run_ok(config, {"sync", src, dst, "--queue", job.url(), "--role", "both"});
      CHECK(job.status()["planned"] == 0);
      job.clear();
    });
  });
}

TEST_CASE("queue: part tasks Azure -> OSS, committed from OSS's list of stored parts",
          "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, oss_section("oss") + azure_section("az"));
  write_file_text(tmp / "src/big", random_bytes((23u << 20) + 77, 400));
  QueueJob job(config, tmp.path(), "parts-oss");
  with_bucket(config, "az", [&](const std::string& ab) {
    with_bucket(config, "oss", [&](const std::string& ob) {
      const std::string src = "az:" + ab + "/data", dst = "oss:" + ob + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--chunk-size", "5M"});
      run_two_workers(job, config, "copy", src, dst, kParts, 1, "--download");
      job.clear();
    });
  });
}

TEST_CASE("queue: a source changed after planning abandons its part upload; copied as one task",
          "[e2e][queue]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  write_file_text(tmp / "src/big", random_bytes(23u << 20, 300));
  write_file_text(tmp / "new", random_bytes((23u << 20) + 5, 301));
  const std::string url = peer_env("redis")["REDIS_URL"] + "/" + unique_bucket("changed");
  with_bucket(config, "az", [&](const std::string& ab) {
    with_bucket(config, "s3", [&](const std::string& sb) {
      const std::string src = "az:" + ab + "/data", dst = "s3:" + sb + "/copy";
      run_ok(config, {"copy", tmp / "src", src, "--chunk-size", "5M"});
      auto planned = run_ok(config, {"copy", src, dst, "--chunk-size", "5M", "--queue", url,
                                     "--role", "planner", "-v"});
      CHECK(planned.err.find("big: 5 part tasks") != std::string::npos);
      // The source is replaced between planning and working.
      run_ok(config, {"copyto", tmp / "new", src + "/big", "--chunk-size", "5M"});
      auto w = run_ok(config, {"copy", src, dst, "--chunk-size", "5M", "--queue", url, "--role",
                               "worker", "--transfers", "1"});
      INFO("worker stderr: " << w.err);
      CHECK(w.err.find("source changed since it was listed; its part upload is abandoned") !=
            std::string::npos);
      auto st = nlohmann::json::parse(run_ok(config, {"queue", "status", url, "--json"}).out);
      INFO(st.dump());
      CHECK(st["planned"] == 5);
      CHECK(st["done"] == 5);  // 4 parts found abandoned, and the object as one copy
      CHECK(st["copied"] == 1);
      CHECK(st["dead"] == 0);
      // The destination holds the new content, with its MD5; no upload is left behind.
      CHECK(md5_lines(config, dst) == md5_lines(config, src));
      CHECK(run_ok(config, {"cleanup", dst, "--max-age", "0", "--dry-run"}).out.empty());
      run_ok(config, {"queue", "clear", url});
    });
  });
}
