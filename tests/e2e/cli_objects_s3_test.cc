// tests/e2e/cli_objects_s3_test.cc — the object and listing commands against
// Ceph RGW: the shared suite (cli_objects_suite.h) and mkdir/rmdir of buckets.
#include <catch2/catch.hpp>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

TEST_CASE("object commands on S3 (Ceph RGW)", "[e2e]") {
  suite_on(s3_section("s3"), "s3");
}

TEST_CASE("mkdir and rmdir on S3 (Ceph RGW)", "[e2e]") {
  bucket_cycle(s3_section("s3"), "s3");
}
