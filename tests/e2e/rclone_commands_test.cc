// tests/e2e/rclone_commands_test.cc — the rclone commands of rclone_commands_suite.h on each
// backend; purge and about of whole buckets; and on local paths the link flags (-L follows
// symlinks without looping, --links stores them as .rclonelink objects on RGW and restores
// them) and the notice for each skipped FIFO.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/e2e/rclone_commands_suite.h"

using namespace cpsync::testing;

namespace {

void suite_in_bucket(const std::string& section, const std::string& remote,
                     const std::string& tier) {
  TempDir tmp;
  const std::string config = write_config(tmp, section + local_section("loc"));
  with_bucket(config, remote, [&](const std::string& bucket) {
    run_rclone_commands_suite(config, tmp, remote + ":" + bucket, true, tier);
  });
}

// purge of a whole bucket removes it; about is not supported on object stores (exit 2).
void purge_bucket_and_about(const std::string& section, const std::string& remote) {
  TempDir tmp;
  const std::string config = write_config(tmp, section);
  const std::string bucket = unique_bucket("cpsync-purge");
  run_ok(config, {"mkdir", remote + ":" + bucket});
  rcat(config, tmp, remote + ":" + bucket + "/d/x.txt", "x");
  rcat(config, tmp, remote + ":" + bucket + "/y.txt", "y");
  run_ok(config, {"purge", remote + ":" + bucket});
  CHECK(run_cpsync(config, {"ls", remote + ":" + bucket}).code == 3);
  RunResult r = run_cpsync(config, {"purge", remote + ":" + bucket});
  CHECK(r.code == 3);
  CHECK(split_lines(r.err).size() == 1);
  CHECK(run_cpsync(config, {"purge", remote + ":"}).code == 1);
  r = run_cpsync(config, {"about", remote + ":"});
  CHECK(r.code == 2);
  CHECK(r.err.find("does not report its usage") != std::string::npos);
  CHECK(split_lines(r.err).size() == 1);
}

}  // namespace

TEST_CASE("rclone commands on local paths", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  run_ok(config, {"mkdir", tmp / "base"});
  run_rclone_commands_suite(config, tmp, tmp / "base", false, "");
}

TEST_CASE("rclone commands on S3 (Ceph RGW)", "[e2e]") {
  suite_in_bucket(s3_section("s3"), "s3", "STANDARD");
  purge_bucket_and_about(s3_section("s3"), "s3");
}

TEST_CASE("rclone commands on Azure (Azurite)", "[e2e]") {
  suite_in_bucket(azure_section("az"), "az", "Hot");
  purge_bucket_and_about(azure_section("az"), "az");
}

TEST_CASE("rclone commands on OSS (the OSS test server)", "[e2e]") {
  suite_in_bucket(oss_section("oss"), "oss", "Standard");
  purge_bucket_and_about(oss_section("oss"), "oss");
}

TEST_CASE("local purge and about", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  write_file_text(tmp / "p/a/b.txt", "b");
  REQUIRE(::symlink("a", (tmp / "p/link").c_str()) == 0);
  run_ok(config, {"purge", tmp / "p"});
  CHECK(!std::filesystem::exists(tmp / "p"));
  CHECK(run_cpsync(config, {"purge", tmp / "p"}).code == 3);
  RunResult r = run_ok(config, {"about", tmp.path()});
  CHECK(
      std::regex_search(r.out, std::regex("^Total:   [0-9.]+ [KMGTP]i?B\nUsed:    .*\nFree:    ")));
  r = run_ok(config, {"about", tmp.path(), "--json"});
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["total"].get<uint64_t>() >= j["free"].get<uint64_t>());
  CHECK(run_cpsync(config, {"about", tmp / "no-such"}).code == 3);
}

TEST_CASE("local symlinks: -L follows, --links stores .rclonelink objects, FIFOs noticed",
          "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc") + s3_section("s3"));
  const std::string src = tmp / "src";
  write_file_text(src + "/f.txt", "file");
  write_file_text(src + "/d/in.txt", "inside");
  REQUIRE(::symlink("f.txt", (src + "/l.txt").c_str()) == 0);
  REQUIRE(::symlink("d", (src + "/dl").c_str()) == 0);
  REQUIRE(::symlink("..", (src + "/d/up").c_str()) == 0);  // a loop under -L
  REQUIRE(::mkfifo((src + "/pipe").c_str(), 0600) == 0);

  RunResult r = run_ok(config, {"lsf", "-R", src});
  CHECK(split_lines(r.out) == std::vector<std::string>{"d/", "d/in.txt", "f.txt"});
  CHECK(r.err.find(src + "/pipe: skipped (a FIFO)") != std::string::npos);
  CHECK(r.err.find(src + "/l.txt: symlink skipped") != std::string::npos);

  // The skipped FIFO is counted in the stats too: a line, and a field of the JSON.
  r = run_ok(config, {"-v", "copy", src, tmp / "copied"});
  CHECK(r.err.find("\nSkipped:       1 special files (FIFOs, sockets, devices)\n") !=
        std::string::npos);
  r = run_ok(config, {"--json", "copy", src, tmp / "copied"});
  CHECK(r.out.find("\"skipped_special_files\":1,") != std::string::npos);
  r = run_ok(config, {"-v", "copy", src + "/d", tmp / "copied_d"});
  CHECK(r.err.find("Skipped:") == std::string::npos);  // none there: no line

  r = run_ok(config, {"-L", "lsf", "-R", src});
  CHECK(split_lines(r.out) ==
        std::vector<std::string>{"d/", "d/in.txt", "dl/", "dl/in.txt", "f.txt", "l.txt"});
  CHECK(r.err.find("loops back to a parent") != std::string::npos);
  r = run_ok(config, {"-L", "copy", src, tmp / "followed"});
  CHECK(read_file_text(tmp / "followed/l.txt") == "file");
  CHECK(read_file_text(tmp / "followed/dl/in.txt") == "inside");

  r = run_ok(config, {"--links", "lsf", "--format", "ps", src});
  CHECK(has_line(r.out, "l.txt.rclonelink;5"));
  CHECK(has_line(r.out, "dl.rclonelink;1"));

  with_bucket(config, "s3", [&](const std::string& b) {
    const std::string dst = "s3:" + b + "/links";
    run_ok(config, {"--links", "copy", src, dst});
    CHECK(run_ok(config, {"cat", dst + "/l.txt.rclonelink"}).out == "f.txt");
    CHECK(run_ok(config, {"cat", dst + "/d/up.rclonelink"}).out == "..");
    // The links and their objects compare equal (check reads MD5s on both sides).
    r = run_cpsync(config, {"--links", "check", src, dst});
    INFO(r.err);
    CHECK(r.code == 0);
    run_ok(config, {"--links", "copy", dst, tmp / "restored"});
    std::error_code ec;
    CHECK(std::filesystem::read_symlink(tmp / "restored/l.txt", ec) == "f.txt");
    CHECK(std::filesystem::read_symlink(tmp / "restored/dl", ec) == "d");
    CHECK(read_file_text(tmp / "restored/l.txt") == "file");
    // Without --links the objects come back as plain files.
    run_ok(config, {"copy", dst, tmp / "plain"});
    CHECK(read_file_text(tmp / "plain/dl.rclonelink") == "d");
  });

  r = run_cpsync(config, {"-L", "--links", "ls", src});
  CHECK(r.code == 1);
  CHECK(split_lines(r.err).size() == 1);
}
