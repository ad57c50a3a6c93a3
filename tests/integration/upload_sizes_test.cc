// tests/integration/upload_sizes_test.cc — an S3 remote's chunk_size and upload_cutoff keys
// decide how copy uploads (one PUT or parts of that size), the flags override them, single
// PUTs stay inside the run's buffer pool, and `--chunk-size 1024` is one size (1 MiB) for
// copy and copyto alike. The CLI runs in process so the requests are counted (RGW).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/in_process_cli.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// The S3 peer's section with extra keys.
std::string s3_with(const std::string& name, const std::string& keys) {
  std::string s = s3_section(name);
  s.pop_back();  // the blank line that ends the section
  return s + keys + "\n";
}

struct Sent {
  uint64_t puts, parts;
};

// Runs `cpsync <args>` in process; returns the single PUTs and parts it sent.
Sent upload(const std::string& config, const std::vector<std::string>& args) {
  InProcessCli cli;
  request_counters().reset();
  const int rc = cli.run(config, args);
  INFO(cli.err.str());
  REQUIRE(rc == 0);
  return {requests_of("put"), requests_of("part")};
}

}  // namespace

TEST_CASE("S3 chunk_size and upload_cutoff keys apply; the flags override them", "[s3][sizes]") {
  TempDir tmp;
  const std::string config =
      write_config(tmp, local_section("loc") + s3_with("cut", "upload_cutoff = 200Mi") +
                            s3_with("parts", "chunk_size = 8Mi\nupload_cutoff = 8Mi"));
  write_file_text(tmp / "src/big.bin", random_bytes(20u << 20, 17));  // 20 MiB
  const std::string bucket = unique_bucket("cpsync-sizes");
  REQUIRE(run_cpsync(config, {"mkdir", "cut:" + bucket}).code == 0);
  auto copy_to = [&](const std::string& dst, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {"copy", tmp / "src", dst, "--no-state"};
    args.insert(args.end(), flags.begin(), flags.end());
    return upload(config, args);
  };

  // upload_cutoff = 200Mi: 20 MiB is one PUT (it was 2 parts of the 16 MiB --chunk-size).
  Sent s = copy_to("cut:" + bucket + "/one");
  CHECK(s.puts == 1);
  CHECK(s.parts == 0);
  // chunk_size = 8Mi (cutoff 8Mi): parts of 8, 8 and 4 MiB.
  s = copy_to("parts:" + bucket + "/eight");
  CHECK(s.puts == 0);
  CHECK(s.parts == 3);
  // --chunk-size overrides both keys: parts of 6 MiB (6, 6, 6, 2).
  s = copy_to("cut:" + bucket + "/six", {"--chunk-size", "6Mi"});
  CHECK(s.puts == 0);
  CHECK(s.parts == 4);
  // --upload-cutoff overrides the cutoff alone.
  s = copy_to("parts:" + bucket + "/flag-cut", {"--upload-cutoff", "32Mi"});
  CHECK(s.puts == 1);
  CHECK(s.parts == 0);
  // A single PUT holds the object in memory: with one transfer and one stream the pool is
  // one 5 MiB part, so even under a 200Mi cutoff 20 MiB goes in four 5 MiB parts.
  s = copy_to("cut:" + bucket + "/small-pool", {"--transfers", "1", "--multi-thread-streams", "1"});
  CHECK(s.puts == 0);
  CHECK(s.parts == 4);
  // copyto reads the same keys.
  s = upload(config, {"copyto", tmp / "src/big.bin", "parts:" + bucket + "/copyto.bin"});
  CHECK(s.puts == 0);
  CHECK(s.parts == 3);

  CHECK(run_cpsync(config, {"cat", "cut:" + bucket + "/one/big.bin"}).out.size() == 20u << 20);
  (void)run_cpsync(config, {"delete", "cut:" + bucket});
  (void)run_cpsync(config, {"rmdir", "cut:" + bucket});
}

TEST_CASE("--chunk-size 1024 is 1 MiB for copy and copyto alike", "[s3][sizes]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("loc") + s3_section("s3"));
  write_file_text(tmp / "src/obj.bin", random_bytes(12u << 20, 18));  // 12 MiB
  const std::string bucket = unique_bucket("cpsync-sizes");
  REQUIRE(run_cpsync(config, {"mkdir", "s3:" + bucket}).code == 0);
  // 6144 is 6 MiB: parts of 6 and 6 MiB. Read as 6144 bytes (as copy once did), the part
  // size would be S3's 5 MiB minimum: 5, 5 and 2 MiB.
  Sent copied = upload(config, {"copy", tmp / "src", "s3:" + bucket + "/copy", "--no-state",
                                "--chunk-size", "6144"});
  Sent copied_to = upload(config, {"copyto", tmp / "src/obj.bin",
                                   "s3:" + bucket + "/copyto/obj.bin", "--chunk-size", "6144"});
  CHECK(copied.parts == 2);
  CHECK(copied_to.parts == 2);
  CHECK(copied.puts == 0);
  CHECK(copied_to.puts == 0);
  (void)run_cpsync(config, {"delete", "s3:" + bucket});
  (void)run_cpsync(config, {"rmdir", "s3:" + bucket});
}
