// tests/e2e/cli_objects_azure_test.cc — the object and listing commands against
// Azurite: the shared suite (cli_objects_suite.h) and mkdir/rmdir of buckets.
#include <catch2/catch.hpp>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

TEST_CASE("object commands on Azure Blob (Azurite)", "[e2e]") {
  suite_on(azure_section("az"), "az");
}

TEST_CASE("mkdir and rmdir on Azure Blob (Azurite)", "[e2e]") {
  bucket_cycle(azure_section("az"), "az");
}
