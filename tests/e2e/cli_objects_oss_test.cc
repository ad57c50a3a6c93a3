// tests/e2e/cli_objects_oss_test.cc — the object and listing commands against
// the OSS test server: the shared suite (cli_objects_suite.h) and mkdir/rmdir of buckets.
#include <catch2/catch.hpp>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

TEST_CASE("object commands on OSS (test server)", "[e2e]") {
  suite_on(oss_section("oss"), "oss");
}

TEST_CASE("mkdir and rmdir on OSS (test server)", "[e2e]") {
  bucket_cycle(oss_section("oss"), "oss");
}
