// tests/integration/listing_mtime_test.cc — lsl, lsjson and the age filters of ls on S3
// (RGW) and OSS show and judge the mtime stored with each object (X-Amz-Meta-Mtime,
// x-oss-meta-mtime), not its upload time, with the HEADs counted: one per object when the
// mtime is shown, none for objects the age filter decides by their upload time, none with
// --use-server-modtime. The CLI runs in process so the requests can be counted.
#include <sys/time.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/in_process_cli.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

uint64_t heads() {
  return requests_of("head");
}

void set_mtime(const std::string& path, time_t t) {
  struct timeval tv[2] = {{t, 0}, {t, 0}};
  REQUIRE(::utimes(path.c_str(), tv) == 0);
}

}  // namespace

TEST_CASE("S3 and OSS listings show and filter on the stored mtime", "[cross]") {
  TempDir tmp;
  const std::string config =
      write_config(tmp, local_section("loc") + s3_section("s3") + oss_section("oss"));
  write_file_text(tmp / "src/old.txt", "written in 2001");
  write_file_text(tmp / "src/new.txt", "written now");
  set_mtime(tmp / "src/old.txt", 1000000000);  // 2001-09-09T01:46:40Z
  for (const std::string remote : {"s3", "oss"}) {
    SECTION(remote) {
      const std::string bucket = unique_bucket("cpsync-mtime");
      const std::string loc = remote + ":" + bucket + "/d";
      REQUIRE(run_cpsync(config, {"mkdir", remote + ":" + bucket}).code == 0);
      REQUIRE(run_cpsync(config, {"copy", tmp / "src", loc}).code == 0);

      InProcessCli lsl;
      request_counters().reset();
      REQUIRE(lsl.run(config, {"lsl", loc}) == 0);
      INFO(lsl.out.str());
      CHECK(lsl.out.str().find(" 2001-09-09 01:46:40.000000000 old.txt\n") != std::string::npos);
      CHECK(heads() == 2);

      InProcessCli json;
      REQUIRE(json.run(config, {"lsjson", loc}) == 0);
      auto j = nlohmann::json::parse(json.out.str());
      REQUIRE(j.size() == 2);
      CHECK(j[1]["Path"] == "old.txt");
      CHECK(j[1]["ModTime"] == "2001-09-09T01:46:40.000000000Z");

      // --max-age 1d: new.txt's upload time is inside the window, so only it is HEADed;
      // old.txt is excluded by its stored mtime although it was uploaded just now.
      InProcessCli young;
      request_counters().reset();
      REQUIRE(young.run(config, {"ls", loc, "--max-age", "1d"}) == 0);
      CHECK(young.out.str() == "       11 new.txt\n");
      CHECK(heads() == 2);
      InProcessCli old;
      REQUIRE(old.run(config, {"ls", loc, "--min-age", "1d"}) == 0);
      CHECK(old.out.str() == "       15 old.txt\n");
      // An age window that upload times alone decide: no HEAD at all.
      InProcessCli decided;
      request_counters().reset();
      REQUIRE(decided.run(config, {"ls", loc, "--min-age", "1ms"}) == 0);
      CHECK(decided.out.str() == "       11 new.txt\n       15 old.txt\n");
      CHECK(heads() == 0);

      // copy and sync filter the same way: old.txt stays behind, new.txt is copied.
      InProcessCli copy;
      request_counters().reset();
      REQUIRE(copy.run(config, {"copy", loc, tmp / ("young-" + remote), "--max-age", "1d",
                                "--no-state"}) == 0);
      CHECK(heads() == 3);  // the two in the window, and whether SRC names one object
      CHECK(std::filesystem::exists(tmp / ("young-" + remote + "/new.txt")));
      CHECK(!std::filesystem::exists(tmp / ("young-" + remote + "/old.txt")));

      InProcessCli server;
      request_counters().reset();
      REQUIRE(server.run(config, {"lsl", loc, "--use-server-modtime"}) == 0);
      CHECK(server.out.str().find("2001-09-09") == std::string::npos);
      CHECK(heads() == 0);
      (void)run_cpsync(config, {"delete", remote + ":" + bucket});
      (void)run_cpsync(config, {"rmdir", remote + ":" + bucket});
    }
  }
}
