// tests/e2e/cli_objects_cross_test.cc — copyto between different backends (local, S3,
// Azure, OSS) through the binary: content intact, ranged reads, errors.
#include <catch2/catch.hpp>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

TEST_CASE("copyto between different backends", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(
      tmp, local_section("loc") + s3_section("s3") + azure_section("az") + oss_section("oss"));
  const std::string data = random_bytes(7 * 1024 * 1024 + 3, 7);
  write_file_text(tmp / "src/data.bin", data);
  with_bucket(config, "s3", [&](const std::string& s3b) {
    with_bucket(config, "az", [&](const std::string& azb) {
      with_bucket(config, "oss", [&](const std::string& ossb) {
        const std::string s3o = "s3:" + s3b + "/in/data.bin";
        const std::string azo = "az:" + azb + "/via s3/data.bin";
        const std::string osso = "oss:" + ossb + "/via az/data.bin";
        run_ok(config, {"copyto", tmp / "src/data.bin", s3o, "--chunk-size", "5Mi"});
        run_ok(config, {"copyto", s3o, azo, "--chunk-size", "5Mi"});
        run_ok(config, {"copyto", azo, osso, "--chunk-size", "5Mi"});
        run_ok(config, {"copyto", osso, tmp / "back/data.bin"});
        CHECK(read_file_text(tmp / "back/data.bin") == data);
        CHECK(run_ok(config, {"cat", osso, "--offset", "5242880", "--count", "10"}).out ==
              data.substr(5242880, 10));
        // Same remote: server-side, same bytes.
        run_ok(config, {"copyto", osso, "oss:" + ossb + "/copy.bin"});
        CHECK(run_ok(config, {"cat", "oss:" + ossb + "/copy.bin"}).out == data);
        auto missing = run_cpsync(config, {"copyto", "az:" + azb + "/nope", osso});
        CHECK(missing.code == 4);
        auto nobucket = run_cpsync(
            config, {"copyto", tmp / "src/data.bin", "s3:" + unique_bucket("cpsync-nb") + "/x"});
        CHECK(nobucket.code == 3);
      });
    });
  });
}
