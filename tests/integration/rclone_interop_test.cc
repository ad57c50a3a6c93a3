// tests/integration/rclone_interop_test.cc — buckets mirrored by Debian's rclone 1.60 sync
// incrementally with cpsync and the reverse, on Ceph RGW (S3) and Azurite: the same local
// tree (same mtimes, some objects multipart on both tools) uploaded by one tool makes the
// other copy nothing. rclone must be installed (scripts/install-deps): without it these
// tests fail, they never skip.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "core/http.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/rclone_env.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

constexpr int kObjects = 50;

// 50 keys in nested prefixes; three of them larger than both tools' part sizes below.
std::vector<std::pair<std::string, size_t>> interop_tree() {
  std::vector<std::pair<std::string, size_t>> t;
  for (int i = 0; i < kObjects; ++i) {
    std::string key = "p" + std::to_string(i % 3) + "/q" + std::to_string(i % 4) + "/f-" +
                      std::to_string(i) + (i % 10 == 0 ? " caf\xc3\xa9.txt" : ".bin");
    size_t size = i % 17 == 5 ? 6 * kMiB + 1000 * static_cast<size_t>(i)
                              : 1 + static_cast<size_t>(i) * 997 % 20000;
    t.emplace_back(key, size);
  }
  return t;
}

// Fractional mtimes, to prove sub-second precision survives both tools' formats.
TimePoint mtime_for(int i) {
  return TimePoint(std::chrono::seconds(1700000000) + std::chrono::nanoseconds(i * 1000000123LL));
}

void fill_local_tree(PeerBucket& local, const std::string& dir) {
  auto tree = interop_tree();
  for (size_t i = 0; i < tree.size(); ++i) {
    const auto& [key, size] = tree[i];
    Status st = put_object(*local.remote, "", local.prefix + dir + key, content_for(key, size),
                           mtime_for(static_cast<int>(i)));
    INFO(key << ": " << st.to_string());
    REQUIRE(st.ok());
  }
}

struct RcloneRun {
  int exit_code = -1;
  nlohmann::json stats;  // the final stats object of --use-json-log
  std::string log;       // the whole log (for failure messages)
};

// Runs `rclone sync SRC DST` with JSON logs; multipart from 4-5 MiB on both backends.
RcloneRun rclone_sync(const std::string& src, const std::string& dst) {
  REQUIRE(std::system("command -v rclone >/dev/null 2>&1") == 0);  // install-deps installs it
  configure_rclone();
  // Debian's rclone refuses to start its S3 client while AWS_CA_BUNDLE is set.
  std::string cmd = "env -u AWS_CA_BUNDLE rclone sync " + shell_quote(src) + " " +
                    shell_quote(dst) +
                    " --use-json-log -v --s3-upload-cutoff 5M --s3-chunk-size 5M"
                    " --azureblob-upload-cutoff 4M --azureblob-chunk-size 4M 2>&1";
  RcloneRun run;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  std::string line;
  while (std::fgets(buf, sizeof buf, p)) run.log += buf;
  int rc = ::pclose(p);
  run.exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::istringstream in(run.log);
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("stats")) run.stats = j["stats"];
  }
  return run;
}

std::string rclone_path(const std::string& kind, const PeerBucket& b, const std::string& dir) {
  return (kind == "s3" ? "ceph:" : "az:") + b.bucket + "/" + dir;
}

void report(const std::string& what) {
  std::cerr << "rclone-interop: " << what << "\n";
}

std::string request_summary() {
  std::string s;
  for (const auto& [op, n] : request_counters().snapshot())
    s += (s.empty() ? "" : " ") + op + "=" + std::to_string(n);
  return s.empty() ? "none" : s;
}

}  // namespace

TEST_CASE("a tree uploaded by rclone syncs with cpsync with zero copies", "[cross][rclone]") {
  PeerBucket local("local");
  fill_local_tree(local, "tree/");
  SyncEndpoint s = local.endpoint("tree/");
  for (const std::string kind : {"s3", "azure"}) {
    INFO(kind);
    PeerBucket dst(kind);
    RcloneRun up = rclone_sync(local.prefix + "tree", rclone_path(kind, dst, "tree"));
    INFO(up.log);
    REQUIRE(up.exit_code == 0);
    REQUIRE(up.stats.is_object());
    CHECK(up.stats.value("transfers", -1) == kObjects);

    SyncEndpoint d = dst.endpoint("tree/");
    for (CompareMode mode : {CompareMode::size_mtime, CompareMode::checksum}) {
      SyncRunner runner;
      runner.options.mode = SyncMode::sync;
      runner.options.compare.mode = mode;
      runner.options.transfer.chunk_size = 5 * kMiB;
      request_counters().reset();
      SyncStats stats;
      Status st = runner.run(s, d, stats);
      INFO(st.to_string());
      REQUIRE(st.ok());
      CHECK(stats.listed_src == kObjects);
      CHECK(stats.listed_dst == kObjects);
      CHECK(stats.matched == kObjects);
      CHECK(stats.transferred == 0);
      CHECK(stats.deleted == 0);
      CHECK(stats.errors == 0);
      report(kind + (mode == CompareMode::checksum ? " --checksum" : " size+mtime") +
             ": cpsync after rclone: copied " + std::to_string(stats.transferred.load()) +
             ", requests " + request_summary());
    }
  }
}

TEST_CASE("a tree synced by cpsync makes rclone transfer nothing", "[cross][rclone]") {
  PeerBucket local("local");
  fill_local_tree(local, "tree/");
  SyncEndpoint s = local.endpoint("tree/");
  for (const std::string kind : {"s3", "azure"}) {
    INFO(kind);
    PeerBucket dst(kind);
    SyncEndpoint d = dst.endpoint("tree/");
    SyncRunner runner;
    runner.options.mode = SyncMode::sync;
    runner.options.transfer.chunk_size = 5 * kMiB;  // the 6 MiB objects go multipart
    SyncStats stats;
    Status st = runner.run(s, d, stats);
    INFO(st.to_string());
    REQUIRE(st.ok());
    REQUIRE(stats.transferred == kObjects);

    RcloneRun again = rclone_sync(local.prefix + "tree", rclone_path(kind, dst, "tree"));
    INFO(again.log);
    REQUIRE(again.exit_code == 0);
    REQUIRE(again.stats.is_object());
    CHECK(again.stats.value("transfers", -1) == 0);
    CHECK(again.stats.value("checks", -1) == kObjects);
    CHECK(again.stats.value("deletes", -1) == 0);
    CHECK(again.stats.value("errors", -1) == 0);
    // Equal content but a different mtime would be "fixed" in place without a transfer.
    CHECK(again.log.find("Updated modification time") == std::string::npos);
    report(kind + ": rclone after cpsync: transfers " +
           std::to_string(again.stats.value("transfers", -1)) + ", checks " +
           std::to_string(again.stats.value("checks", -1)));
  }
}
