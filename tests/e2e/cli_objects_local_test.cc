// tests/e2e/cli_objects_local_test.cc — the object and listing commands on the local
// backend (plain paths and a named local remote), and the usage errors that need no server.
#include <catch2/catch.hpp>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

TEST_CASE("object commands on local paths", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  const std::string base = tmp / "bucket";
  run_ok(config, {"mkdir", base});
  SuiteOptions so;
  so.buckets = false;
  so.link = false;
  run_object_suite(config, tmp, base, "", "", so);
}

TEST_CASE("object commands on a named local remote", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  const std::string base = "loc:" + (tmp / "named");
  run_ok(config, {"mkdir", base});
  SuiteOptions so;
  so.buckets = false;
  so.link = false;
  so.big = 6 * 1024 * 1024;
  run_object_suite(config, tmp, base, "", "", so);
}

TEST_CASE("local mkdir, rmdir and missing directories", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  run_ok(config, {"mkdir", tmp / "a/b/c"});
  CHECK(std::filesystem::is_directory(tmp / "a/b/c"));
  run_ok(config, {"rmdir", tmp / "a/b/c"});
  CHECK(!std::filesystem::exists(tmp / "a/b/c"));
  auto again = run_cpsync(config, {"rmdir", tmp / "a/b/c"});
  CHECK(again.code == 3);
  auto missing = run_cpsync(config, {"ls", tmp / "nowhere"});
  CHECK(missing.code == 3);
  CHECK(missing.err == "cpsync: error: " + (tmp / "nowhere") + ": directory not found\n");
}

TEST_CASE("usage errors exit 1 with one line", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc"));
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"ls", ":bucket"},
           {"cat", "unknown:bucket/key"},
           {"link", "loc:/x", "--expire", "3x"},
           {"rcat", "/tmp/x", "--chunk-size", "lots"},
           {"delete", tmp.path(), "--include", "[unclosed"},
       }) {
    auto r = run_cpsync(config, args);
    INFO(args[0] << " " << args[1] << ": " << r.err);
    CHECK(r.code == 1);
    CHECK(split_lines(r.err).size() == 1);
    CHECK(r.err.starts_with("cpsync: error: "));
  }
}
