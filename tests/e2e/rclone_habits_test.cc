// tests/e2e/rclone_habits_test.cc — what an rclone user's scripts rely on, through the
// binary against local paths and RGW: check compares hashes by default and exits 1 on
// differences; copy/sync are quiet on success; a failed run counts its error; --max-transfer
// (exit 8), --error-on-no-transfer (exit 9) and --fast-list; copyto to a name ending in
// '/' and copy into an existing object are errors.
#include <sys/stat.h>
#include <sys/time.h>

#include <catch2/catch.hpp>

#include <string>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

namespace {

// Rewrites path with data of the same size and gives it back its old mtime.
void replace_keeping_mtime(const std::string& path, const std::string& data) {
  struct stat st;
  REQUIRE(::stat(path.c_str(), &st) == 0);
  write_file_text(path, data);
  struct timeval tv[2];
  tv[0].tv_sec = tv[1].tv_sec = st.st_mtim.tv_sec;
  tv[0].tv_usec = tv[1].tv_usec = st.st_mtim.tv_nsec / 1000;
  REQUIRE(::utimes(path.c_str(), tv) == 0);
}

}  // namespace

TEST_CASE("check compares MD5s by default and exits 1 on differences", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc") + s3_section("s3"));
  write_file_text(tmp / "src/a.txt", "same size, same mtime");
  write_file_text(tmp / "src/b.txt", "untouched");
  with_bucket(config, "s3", [&](const std::string& b) {
    const std::string dst = "s3:" + b + "/c";
    run_ok(config, {"copy", tmp / "src", dst});
    run_ok(config, {"copy", tmp / "src", tmp / "copy"});
    RunResult r = run_cpsync(config, {"check", tmp / "src", dst});
    CHECK(r.code == 0);
    CHECK(r.err.find("0 differences found") != std::string::npos);

    replace_keeping_mtime(tmp / "src/a.txt", "SAME SIZE, SAME MTIME");
    for (const std::string& other : {dst, tmp / "copy"}) {
      r = run_cpsync(config, {"check", tmp / "src", other});
      INFO("check src " << other << "\nstderr: " << r.err);
      CHECK(r.code == 1);
      CHECK(r.err.find("a.txt: files differ") != std::string::npos);
      CHECK(r.err.find("1 differences found") != std::string::npos);
      // By size alone, or by size and mtime as copy would decide, they are equal.
      CHECK(run_cpsync(config, {"check", tmp / "src", other, "--size-only"}).code == 0);
    }
  });
}

TEST_CASE("copy and sync are quiet on success and count a failed run", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_file_text(tmp / "src/a.txt", "alpha");
  RunResult r = run_ok(config, {"copy", tmp / "src", tmp / "dst"});
  CHECK(r.err.empty());
  CHECK(r.out.empty());
  r = run_ok(config, {"sync", tmp / "src", tmp / "dst", "-v"});
  CHECK(r.err.find("Transferred:") != std::string::npos);
  CHECK(run_ok(config, {"copy", tmp / "src", tmp / "dst", "-q", "-v"}).err.empty());
  // -vv logs the effective filter rules (docs/filtering.md), for listings too.
  r = run_ok(config, {"copy", tmp / "src", tmp / "dst", "-vv", "--include", "/a*"});
  CHECK(r.err.find("filter: + /a*") != std::string::npos);
  CHECK(r.err.find("filter: - /**") != std::string::npos);
  CHECK(run_ok(config, {"ls", tmp / "src", "-vv", "--exclude", "*.tmp"})
            .err.find("filter: - *.tmp") != std::string::npos);
  // A failed run prints its stats, with the run's own error counted.
  r = run_cpsync(config, {"sync", tmp / "nothing-here", tmp / "dst"});
  CHECK(r.code == 3);
  CHECK(r.err.find("Errors:        1") != std::string::npos);
}

TEST_CASE("rclone flags: --max-transfer, --error-on-no-transfer and --fast-list", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  for (char c = 'a'; c <= 'e'; ++c)
    write_file_text(tmp / ("src/" + std::string(1, c)), "0123456789");
  // 25 bytes admit two 10-byte copies, not a third; nothing is deleted after the stop.
  write_file_text(tmp / "dst/extra", "x");
  RunResult r = run_cpsync(
      config, {"sync", tmp / "src", tmp / "dst", "--max-transfer", "25b", "--transfers", "1"});
  INFO("stderr: " << r.err);
  CHECK(r.code == 8);
  CHECK(r.err.find("--max-transfer") != std::string::npos);
  CHECK(std::filesystem::exists(tmp / "dst/extra"));
  int copied = 0;
  for (char c = 'a'; c <= 'e'; ++c)
    copied += std::filesystem::exists(tmp / ("dst/" + std::string(1, c)));
  CHECK(copied == 2);
  CHECK(run_cpsync(config, {"copy", tmp / "src", tmp / "dst", "--max-transfer", "1x"}).code == 1);

  run_ok(config, {"copy", tmp / "src", tmp / "dst", "--fast-list"});
  CHECK(run_cpsync(config, {"copy", tmp / "src", tmp / "dst", "--error-on-no-transfer"}).code == 9);
  write_file_text(tmp / "src/f", "new");
  run_ok(config, {"copy", tmp / "src", tmp / "dst", "--error-on-no-transfer"});
}

TEST_CASE("copyto to a directory name and copy into an object are errors", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc") + s3_section("s3"));
  write_file_text(tmp / "src/a.txt", "alpha");
  with_bucket(config, "s3", [&](const std::string& b) {
    RunResult r = run_cpsync(config, {"copyto", tmp / "src/a.txt", "s3:" + b + "/dir/"});
    CHECK(r.code == 1);
    CHECK(r.err.find("copyto needs an object name") != std::string::npos);
    run_ok(config, {"copyto", tmp / "src/a.txt", "s3:" + b + "/obj"});
    r = run_cpsync(config, {"copy", tmp / "src", "s3:" + b + "/obj"});
    CHECK(r.code == 1);
    CHECK(r.err.find("is an object, not a directory") != std::string::npos);
    CHECK(run_ok(config, {"ls", "s3:" + b}).out == "        5 obj\n");
    CHECK(run_cpsync(config, {"copy", tmp / "src", tmp / "src/a.txt"}).code == 1);
  });
}

TEST_CASE("interactive: -i asks before each change and skips what is refused", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_file_text(tmp / "src/a", "alpha");
  write_file_text(tmp / "src/b", "bravo");
  write_file_text(tmp / "dst/extra", "x");
  write_file_text(tmp / "answers", "y\nn\ny\n");  // copy a, not b, delete extra
  RunResult r = run_cpsync(config, {"sync", tmp / "src", tmp / "dst", "-i"}, tmp / "answers");
  INFO("stderr: " << r.err);
  CHECK(r.code == 0);
  CHECK(r.err.find("copy \"a\"?") != std::string::npos);
  CHECK(r.err.find("delete \"extra\"?") != std::string::npos);
  CHECK(std::filesystem::exists(tmp / "dst/a"));
  CHECK(!std::filesystem::exists(tmp / "dst/b"));
  CHECK(!std::filesystem::exists(tmp / "dst/extra"));
  // End of input answers q: nothing changes.
  r = run_cpsync(config, {"sync", tmp / "src", tmp / "dst", "--interactive"});
  CHECK(r.code == 0);
  CHECK(!std::filesystem::exists(tmp / "dst/b"));
}
