// tests/integration/sync_cli_features_test.cc — copy/sync flags through the cpsync binary:
// a single-object source, --bwlimit (a lower bound on the elapsed time), --backup-dir and
// --bwlimit usage errors.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>

#include "tests/e2e/cli_objects_harness.h"

using namespace cpsync::testing;
namespace fs = std::filesystem;

TEST_CASE("copy with a single file as source copies just that file into the directory",
          "[local][sync]") {
  TempDir dir;
  const std::string config = write_config(dir, local_section("loc"));
  write_file_text(dir / "src/path/file.txt", "one file");
  write_file_text(dir / "src/path/file.txt.bak", "a neighbour");
  write_file_text(dir / "src/path/other", "another");
  RunResult r = run_cpsync(config, {"copy", dir / "src/path/file.txt", dir / "dst/dir"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read_file_text(dir / "dst/dir/file.txt") == "one file");
  size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir / "dst"))
    if (e.is_regular_file()) ++n;
  CHECK(n == 1);
  // Through a named remote, and again: nothing to do the second time.
  r = run_cpsync(
      config, {"copy", "loc:" + (dir / "src/path/file.txt"), "loc:" + (dir / "dst/dir"), "--json"});
  INFO(r.out);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"transfers\":0") != std::string::npos);
}

TEST_CASE("copy with a single object as source on S3", "[s3][sync]") {
  TempDir dir;
  const std::string config = write_config(dir, s3_section("ceph"));
  const std::string bucket = unique_bucket("single");
  REQUIRE(run_cpsync(config, {"mkdir", "ceph:" + bucket}).code == 0);
  write_file_text(dir / "f.txt", "object body");
  for (const char* key : {"a/b/f.txt", "a/b/f.txt2", "a/b/g"})
    REQUIRE(run_cpsync(config, {"copyto", dir / "f.txt", "ceph:" + bucket + "/" + key}).code == 0);
  RunResult r = run_cpsync(config, {"copy", "ceph:" + bucket + "/a/b/f.txt", dir / "out"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read_file_text(dir / "out/f.txt") == "object body");
  CHECK(!fs::exists(dir / "out/f.txt2"));
  CHECK(!fs::exists(dir / "out/g"));
  // And into a directory of the same bucket (server-side).
  r = run_cpsync(config, {"copy", "ceph:" + bucket + "/a/b/f.txt", "ceph:" + bucket + "/c"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  RunResult ls = run_cpsync(config, {"ls", "ceph:" + bucket + "/c"});
  CHECK(ls.out.find("f.txt") != std::string::npos);
  CHECK(ls.out.find("f.txt2") == std::string::npos);
  (void)run_cpsync(config, {"delete", "ceph:" + bucket});
  (void)run_cpsync(config, {"rmdir", "ceph:" + bucket});
}

namespace {

// Runs args and returns the elapsed seconds; the run must succeed.
double timed_ok(const std::string& config, const std::vector<std::string>& args) {
  const auto start = std::chrono::steady_clock::now();
  RunResult r = run_cpsync(config, args);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(r.err);
  REQUIRE(r.code == 0);
  return secs;
}

}  // namespace

// 6 MiB at 2 MiB/s is 3 s; the buckets let a tenth of a second's worth pass as a burst.
constexpr double kMinSeconds = 2.7;

TEST_CASE("--bwlimit 2M holds a streamed 6 MiB local copy to about 3 s", "[local][sync]") {
  TempDir dir;
  const std::string config = write_config(dir, local_section("loc"));
  write_file_text(dir / "src/big", random_bytes(6u << 20, 7));
  // A local-to-local copy is server-side (copy_file_range) and not limited: stream it.
  double secs = timed_ok(
      config, {"copy", dir / "src", dir / "dst", "--bwlimit", "2M", "--no-server-side-copy"});
  CHECK(secs >= kMinSeconds);
  CHECK(read_file_text(dir / "dst/big").size() == (6u << 20));
  // Unlimited, the same copy is far faster: the limit, not the disk, made it slow.
  CHECK(timed_ok(config, {"copy", dir / "src", dir / "dst2", "--no-server-side-copy"}) < 2.0);
}

TEST_CASE("--bwlimit 2M holds a 6 MiB upload and download to about 3 s each", "[s3][sync]") {
  TempDir dir;
  const std::string config = write_config(dir, s3_section("ceph"));
  const std::string bucket = unique_bucket("bwlimit");
  write_file_text(dir / "src/big", random_bytes(6u << 20, 8));
  // Up: multipart (5 MiB chunks) through the shared bucket; down: ranged reads.
  CHECK(timed_ok(config, {"copy", dir / "src", "ceph:" + bucket + "/d", "--bwlimit", "2M",
                          "--chunk-size", "5M"}) >= kMinSeconds);
  CHECK(timed_ok(config, {"copy", "ceph:" + bucket + "/d", dir / "back", "--bwlimit", "2M"}) >=
        kMinSeconds);
  CHECK(read_file_text(dir / "back/big") == read_file_text(dir / "src/big"));
  (void)run_cpsync(config, {"delete", "ceph:" + bucket});
  (void)run_cpsync(config, {"rmdir", "ceph:" + bucket});
}

TEST_CASE("bad --bwlimit and a --backup-dir on another remote are usage errors", "[local][sync]") {
  TempDir dir;
  const std::string config = write_config(dir, local_section("loc") + local_section("other"));
  write_file_text(dir / "src/a", "a");
  RunResult r = run_cpsync(config, {"copy", dir / "src", dir / "dst", "--bwlimit", "fast"});
  CHECK(r.code == 1);
  CHECK(r.err.find("--bwlimit") != std::string::npos);
  r = run_cpsync(config, {"sync", "loc:" + (dir / "src"), "loc:" + (dir / "dst"), "--backup-dir",
                          "other:" + (dir / "bk")});
  CHECK(r.code == 1);
  CHECK(r.err.find("same remote") != std::string::npos);
  r = run_cpsync(config, {"sync", dir / "src", dir / "dst", "--backup-dir", dir / "dst/old"});
  CHECK(r.code == 1);
  CHECK(r.err.find("overlap") != std::string::npos);
  r = run_cpsync(config, {"sync", dir / "src", dir / "dst", "--suffix", ".1"});
  CHECK(r.code == 1);
  // A working one through the CLI: the replaced object is kept with the suffix.
  REQUIRE(run_cpsync(config, {"sync", dir / "src", dir / "dst"}).code == 0);
  write_file_text(dir / "src/a", "a, changed");
  r = run_cpsync(config,
                 {"sync", dir / "src", dir / "dst", "--backup-dir", dir / "bk", "--suffix", ".1"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(read_file_text(dir / "dst/a") == "a, changed");
  CHECK(read_file_text(dir / "bk/a.1") == "a");
}
