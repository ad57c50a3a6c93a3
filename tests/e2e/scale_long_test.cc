// tests/e2e/scale_long_test.cc — the scale-out proof of issue 12 at 20,000 objects, through
// the cpsync binary against RGW, Azurite and Redis: the objects are put on RGW by one bulk
// local -> S3 copy, then copied S3 -> Azure twice: by 4 --shard K/4 processes at once (each
// lists and copies only its range of a plan-shards file; the copies add up to the whole) and
// through the --queue work queue with a planner and 4 workers, one SIGKILLed mid-run and not
// restarted (the others take its batches over after the lease). Each destination equals the source
// by listing (names and sizes) and by check --checksum (every MD5); the queue's counters count each
// task once. Tag [scalelong], ctest e2e_scale_long, label long: about 10 min here.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"
#include "tests/e2e/queue_harness.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync::testing;

namespace {

constexpr int kObjects = 20000;
constexpr int kBatch = 50;

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

nlohmann::json last_json_line(const std::string& text) {
  auto lines = split_lines(text);
  REQUIRE(!lines.empty());
  return nlohmann::json::parse(lines.back());
}

// The destination equals the source: the same names and sizes, and every MD5 (listed on both
// sides: RGW's ETags of single PUTs, Azure's Content-MD5).
void check_equal(const std::string& config, const std::string& src, const std::string& dst) {
  const std::string want = run_ok(config, {"lsf", "-R", "--files-only", "--format", "ps", src}).out;
  CHECK(split_lines(want).size() == static_cast<size_t>(kObjects));
  CHECK(run_ok(config, {"lsf", "-R", "--files-only", "--format", "ps", dst}).out == want);
  auto check = run_ok(config, {"check", src, dst, "--checksum"});
  INFO(check.err);
  CHECK(check.err.find("0 differences found") != std::string::npos);
}

// An Azure container and all its blobs in one request (Delete Container), which a blob by
// blob delete of 20,000 would not be.
struct Container {
  std::unique_ptr<cpsync::Remote> az = make_peer_remote("azure");
  std::string name = unique_bucket("scale");
  Container() { REQUIRE(az->make_bucket(name).ok()); }
  ~Container() { (void)az->remove_bucket(name); }
};

}  // namespace

TEST_CASE("scale: 20,000 objects S3 -> Azure by 4 shards and by 4 queue workers, one killed",
          "[scalelong]") {
  TempDir tmp;
  const std::string config = write_config(tmp, s3_section("s3") + azure_section("az"));
  for (int i = 0; i < kObjects; ++i)
    write_file_text(tmp / ("src/d" + std::to_string(i % 97) + "/obj-" + std::to_string(i)),
                    random_bytes(64 + static_cast<size_t>(i) * 37 % 1000, i));
  Container sharded, queued;
  with_bucket(config, "s3", [&](const std::string& sb) {
    const std::string src = "s3:" + sb + "/data";
    auto t0 = std::chrono::steady_clock::now();
    run_ok(config, {"copy", tmp / "src", src, "--transfers", "32", "--checkers", "16"});
    WARN("20,000 objects local -> RGW in one copy: " << seconds_since(t0) << " s");

    // 4 shards at once, each its own process, over balanced boundaries (the fixed rule would
    // put every key here, all under "d", in one shard).
    const std::string dst1 = "az:" + sharded.name + "/copy";
    const std::string plan = tmp / "plan.json";
    t0 = std::chrono::steady_clock::now();
    run_ok(config, {"plan-shards", src, "--count", "4", "-o", plan});
    std::vector<pid_t> shards;
    for (int k = 0; k < 4; ++k)
      shards.push_back(spawn_cpsync(config,
                                    {"copy", src, dst1, "--shard", std::to_string(k) + "/4",
                                     "--shards-file", plan, "--transfers", "8", "--json"},
                                    tmp / ("s" + std::to_string(k) + ".out"),
                                    tmp / ("s" + std::to_string(k) + ".err")));
    uint64_t copied = 0, listed = 0;
    for (int k = 0; k < 4; ++k) {
      INFO("shard " << k
                    << " stderr: " << read_file_text(tmp / ("s" + std::to_string(k) + ".err")));
      REQUIRE(wait_exit(shards[k], 600) == 0);
      auto j = last_json_line(read_file_text(tmp / ("s" + std::to_string(k) + ".out")));
      copied += j["transfers"].get<uint64_t>();
      listed += j["listed_src"].get<uint64_t>();
      CHECK(j["listed_src"].get<uint64_t>() < static_cast<uint64_t>(kObjects) / 2);
    }
    WARN("20,000 objects RGW -> Azurite by 4 shard processes: " << seconds_since(t0) << " s");
    CHECK(copied == static_cast<uint64_t>(kObjects));  // each object by exactly one shard
    CHECK(listed == static_cast<uint64_t>(kObjects));
    check_equal(config, src, dst1);

    // The queue: 4 workers waiting, then the planner; worker 0 killed mid-run.
    const std::string dst2 = "az:" + queued.name + "/copy";
    QueueJob job(config, tmp.path(), "scale");
    t0 = std::chrono::steady_clock::now();
    job.start_workers(4, {"copy", src, dst2, "--lease", "2s", "--transfers", "8"});
    job.start_planner({"copy", src, dst2, "--queue-batch", std::to_string(kBatch)});
    // Mid-run: once a quarter of the tasks are done, while worker 0 holds a batch.
    long done_at_kill = 0;
    const bool killed = job.kill_worker_holding_task(0, 300, [&] {
      done_at_kill = job.counter("done");
      return done_at_kill >= kObjects / 4;
    });
    REQUIRE(killed);
    CHECK(done_at_kill < kObjects);
    CHECK(job.wait_worker(0, 10) == 128 + SIGKILL);
    CHECK(job.wait_planner(600) == 0);
    for (int w = 1; w < 4; ++w) {
      INFO("worker " << w << " stderr: " << job.worker_err(w));
      CHECK(job.wait_worker(w, 600) == 0);
    }
    WARN("20,000 objects RGW -> Azurite by a planner and 4 queue workers (one killed after "
         << done_at_kill << " tasks): " << seconds_since(t0) << " s");

    auto st = job.status();
    INFO(st.dump());
    CHECK(st["planner"] == "done");
    CHECK(st["planned"] == kObjects);
    CHECK(st["done"] == kObjects);  // each task acknowledged once
    CHECK(st["pending"] == 0);
    CHECK(st["dead"] == 0);
    CHECK(st["batches_left"] == 0);
    CHECK(st["reclaimed"].get<int>() >= 1);  // the killed worker's batch(es), taken over
    // Copied by the worker that acknowledged it, or found already there: only in batches
    // taken over from the killed worker.
    CHECK(st["copied"].get<int>() + st["skipped"].get<int>() == kObjects);
    CHECK(st["skipped"].get<int>() <= kBatch * st["reclaimed"].get<int>());
    std::string took_over;
    for (int w = 1; w < 4; ++w) took_over += job.worker_err(w);
    CHECK(took_over.find("after its lease ran out") != std::string::npos);
    check_equal(config, src, dst2);
    // The two runs left the same destination.
    CHECK(run_ok(config, {"lsf", "-R", "--files-only", "--format", "psh", dst1}).out ==
          run_ok(config, {"lsf", "-R", "--files-only", "--format", "psh", dst2}).out);
    job.clear();
  });
}
