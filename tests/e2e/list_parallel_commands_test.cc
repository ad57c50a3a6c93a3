// tests/e2e/list_parallel_commands_test.cc — --list-parallel on the recursive listings of
// lsf -R, tree, md5sum and hashsum, through the cpsync binary against the OSS test server
// (5 keys a page) behind a counting proxy: each command prints the same with 8 listing
// requests in flight as with 1, and the proxy saw more than one request open at once only
// with 8; a value below 1 is a usage error of one line.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"
#include "tests/integration/fault_proxy.h"

using namespace cpsync::testing;

TEST_CASE("list-parallel: lsf -R, tree, md5sum and hashsum list in ranges, same output",
          "[e2e][list-parallel]") {
  TempDir tmp;
  auto env = peer_env("oss");
  FaultProxy proxy(env["OSS_ENDPOINT"], {"--delay-rate", "1", "--delay-ms", "5"});
  std::string via_proxy = oss_section("ossp");
  const std::string ep = "endpoint = " + env["OSS_ENDPOINT"];
  via_proxy.replace(via_proxy.find(ep), ep.size(), "endpoint = " + proxy.url());
  via_proxy.insert(via_proxy.size() - 1, "list_chunk = 5\n");
  const std::string config = write_config(tmp, oss_section("oss") + via_proxy);
  for (int i = 0; i < 150; ++i)
    write_file_text(tmp / ("src/d" + std::to_string(i % 6) + "/f" + std::to_string(i) + ".txt"),
                    "content " + std::to_string(i));
  with_bucket(config, "oss", [&](const std::string& b) {
    run_ok(config, {"copy", tmp / "src", "oss:" + b + "/data"});
    const std::string where = "ossp:" + b + "/data";
    const std::vector<std::vector<std::string>> commands = {{"lsf", "-R", "--format", "psh", where},
                                                            {"tree", where},
                                                            {"md5sum", where},
                                                            {"hashsum", "MD5", where}};
    for (const auto& cmd : commands) {
      INFO(cmd[0]);
      auto one = cmd;
      one.insert(one.end(), {"--list-parallel", "1"});
      proxy.reset();
      const std::string want = run_ok(config, one).out;
      CHECK(proxy.stats()["peakInFlight"] == 1);
      CHECK(split_lines(want).size() >= 150);
      auto eight = cmd;
      eight.insert(eight.end(), {"--list-parallel", "8"});
      proxy.reset();
      CHECK(run_ok(config, eight).out == want);
      CHECK(proxy.stats()["peakInFlight"].get<int>() > 1);
    }
    for (const char* c : {"lsf", "tree", "md5sum"}) {
      auto bad = run_cpsync(config, {c, where, "--list-parallel", "0"});
      CHECK(bad.code == 1);
      CHECK(split_lines(bad.err).size() == 1);
      CHECK(bad.err.find("--list-parallel must be at least 1") != std::string::npos);
    }
  });
}
