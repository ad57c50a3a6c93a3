// tests/e2e/data_safety_test.cc — a source that does not exist, or lists nothing, never
// changes the destination: copy, sync, move and check from every remote type (local, S3,
// Azure, OSS) as source, each against a populated destination whose listing must stay the
// same; an explicit empty sync needs --allow-empty-source; overlapping roots are refused
// unless a filter excludes the destination.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

namespace {

const std::vector<std::string> kCommands = {"sync", "copy", "move", "check"};

// The destination's objects with sizes and mtimes: what must not change.
std::string snapshot(const std::string& config, const std::string& where) {
  return run_ok(config, {"lsl", where}).out;
}

// Fills where with three small objects and returns its snapshot.
std::string populate(const std::string& config, const TempDir& tmp, const std::string& where) {
  write_file_text(tmp / "seed/a.txt", "alpha");
  write_file_text(tmp / "seed/b.txt", "bravo!");
  write_file_text(tmp / "seed/sub/c.txt", "charlie");
  run_ok(config, {"copy", tmp / "seed", where});
  const std::string snap = snapshot(config, where);
  REQUIRE(split_lines(snap).size() == 3);
  return snap;
}

// Runs every command from src to dst; each must exit with `want`, print why, and leave
// dst as it was.
void every_command_refused(const std::string& config, const std::string& src,
                           const std::string& dst, const std::string& snap, int want,
                           const std::string& why) {
  for (const std::string& cmd : kCommands) {
    INFO("cpsync " << cmd << " " << src << " " << dst);
    RunResult r = run_cpsync(config, {cmd, src, dst});
    INFO("stderr: " << r.err);
    CHECK(r.code == want);
    CHECK(r.err.find(why) != std::string::npos);
    CHECK(snapshot(config, dst) == snap);
  }
}

}  // namespace

TEST_CASE("a missing or empty source never changes the destination", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(
      tmp, local_section("loc") + s3_section("s3") + azure_section("az") + oss_section("oss"));

  SECTION("local source") {
    with_bucket(config, "s3", [&](const std::string& b) {
      const std::string dst = "s3:" + b + "/v";
      const std::string snap = populate(config, tmp, dst);
      // A directory or file that does not exist: exit 3 before the destination is touched.
      every_command_refused(config, tmp / "does-not-exist", dst, snap, 3, "directory not found");
      every_command_refused(config, tmp / "typo.txt", dst, snap, 3, "directory not found");
      // An existing, empty directory (an unmounted mount point): sync deletes nothing.
      std::filesystem::create_directories(tmp / "empty");
      RunResult r = run_cpsync(config, {"sync", tmp / "empty", dst});
      INFO("stderr: " << r.err);
      CHECK(r.code == 3);
      CHECK(r.err.find("lists no objects: not deleting the 3 objects") != std::string::npos);
      CHECK(r.err.find("--allow-empty-source") != std::string::npos);
      CHECK(snapshot(config, dst) == snap);
      // A filter that admits nothing on the source is the same as an empty source.
      write_file_text(tmp / "other/x.bin", "x");
      r = run_cpsync(config, {"sync", tmp / "other", dst, "--include", "*.txt"});
      CHECK(r.code == 3);
      CHECK(snapshot(config, dst) == snap);
      // --dry-run says the same and changes nothing.
      CHECK(run_cpsync(config, {"sync", tmp / "empty", dst, "--dry-run"}).code == 3);
      CHECK(snapshot(config, dst) == snap);
      // Asked for explicitly, the destination is emptied.
      run_ok(config, {"sync", tmp / "empty", dst, "--allow-empty-source"});
      CHECK(snapshot(config, dst).empty());
    });
  }

  // Cloud sources: a bucket that does not exist (exit 3 for every command), and a prefix
  // in an existing bucket that lists nothing (sync refuses to delete; copy and move have
  // nothing to do; check reports the destination's objects as missing on the source).
  for (const std::string remote : {"s3", "az", "oss"}) {
    SECTION(remote + " source") {
      const std::string dst_remote = remote == "s3" ? "az" : "s3";
      with_bucket(config, dst_remote, [&](const std::string& db) {
        with_bucket(config, remote, [&](const std::string& sb) {
          const std::string dst = dst_remote + ":" + db + "/v";
          const std::string snap = populate(config, tmp, dst);
          run_ok(config, {"copyto", tmp / "seed/a.txt", remote + ":" + sb + "/real/a.txt"});
          const std::string missing_bucket = remote + ":" + unique_bucket("cpsync-nb") + "/v";
          every_command_refused(config, missing_bucket, dst, snap, 3, "' not found");

          const std::string typo = remote + ":" + sb + "/rael";
          RunResult r = run_cpsync(config, {"sync", typo, dst});
          INFO("stderr: " << r.err);
          CHECK(r.code == 3);
          CHECK(r.err.find("lists no objects: not deleting the 3 objects") != std::string::npos);
          CHECK(snapshot(config, dst) == snap);
          for (const std::string cmd : {"copy", "move"}) {
            CHECK(run_cpsync(config, {cmd, typo, dst}).code == 0);
            CHECK(snapshot(config, dst) == snap);
          }
          r = run_cpsync(config, {"check", typo, dst});
          CHECK(r.code == 1);
          CHECK(r.err.find("3 differences found") != std::string::npos);
          CHECK(snapshot(config, dst) == snap);
        });
      });
    }
  }
}

TEST_CASE("overlapping source and destination are refused", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc") + s3_section("s3"));

  SECTION("local: the destination inside the source, and one path on both sides") {
    write_file_text(tmp / "data/f1", "one");
    for (const std::string cmd : {"sync", "copy", "move"}) {
      RunResult r = run_cpsync(config, {cmd, tmp / "data", tmp / "data/backup"});
      INFO("stderr: " << r.err);
      CHECK(r.code == 1);
      CHECK(r.err.find("overlapping remotes") != std::string::npos);
      CHECK(r.err.find("--exclude '/backup/**'") != std::string::npos);
      CHECK(run_cpsync(config, {cmd, tmp / "data", tmp / "data/"}).code == 1);
      CHECK(run_cpsync(config, {cmd, tmp / "data/backup", tmp / "data"}).code == 1);
    }
    CHECK(!std::filesystem::exists(tmp / "data/backup"));
    // A symlink to the source is the source.
    std::filesystem::create_directory_symlink(tmp / "data", tmp / "alias");
    CHECK(run_cpsync(config, {"sync", tmp / "alias", tmp / "data/backup"}).code == 1);
    run_ok(config, {"copy", tmp / "alias", tmp / "elsewhere"});  // a symlinked root is fine
    CHECK(read_file_text(tmp / "elsewhere/f1") == "one");
    // check only reads: allowed.
    CHECK(run_cpsync(config, {"check", tmp / "data", tmp / "data"}).code == 0);
    // Excluded by a filter, the overlap is harmless: two runs nest nothing.
    for (int run = 0; run < 2; ++run)
      run_ok(config, {"sync", tmp / "data", tmp / "data/backup", "--exclude", "/backup/**"});
    CHECK(read_file_text(tmp / "data/backup/f1") == "one");
    CHECK(!std::filesystem::exists(tmp / "data/backup/backup"));
    // A sibling whose name only starts like the source does not overlap.
    run_ok(config, {"copy", tmp / "data", tmp / "data2"});
  }

  SECTION("s3: nested prefixes and the same prefix") {
    with_bucket(config, "s3", [&](const std::string& b) {
      write_file_text(tmp / "f1", "one");
      run_ok(config, {"copyto", tmp / "f1", "s3:" + b + "/a/f1"});
      const std::string snap = snapshot(config, "s3:" + b);
      for (const auto& [src, dst] : std::vector<std::pair<std::string, std::string>>{
               {"/a", "/a/sub"}, {"/a/sub", "/a"}, {"/a", "/a"}, {"", "/a"}}) {
        RunResult r = run_cpsync(config, {"sync", "s3:" + b + src, "s3:" + b + dst});
        INFO("sync s3:" << b << src << " s3:" << b << dst << "\nstderr: " << r.err);
        CHECK(r.code == 1);
        CHECK(r.err.find("overlapping remotes") != std::string::npos);
      }
      CHECK(snapshot(config, "s3:" + b) == snap);
      run_ok(config, {"sync", "s3:" + b + "/a", "s3:" + b + "/a/sub", "--exclude", "/sub/**"});
      run_ok(config, {"copy", "s3:" + b + "/a", "s3:" + b + "/ab"});  // siblings
    });
  }
}
