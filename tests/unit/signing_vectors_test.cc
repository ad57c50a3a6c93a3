// tests/unit/signing_vectors_test.cc — the vector directory holds every family; the
// per-family checks live beside each signer's tests (tag [vectors]).
#include "tests/unit/vectors.h"

#include <filesystem>

TEST_CASE("signing vector directory holds every family", "[vectors]") {
  namespace fs = std::filesystem;
  const std::string dir = cpsync::testing::vectors_dir();
  INFO("CPSYNC_SIGNING_VECTORS directory " << dir);
  REQUIRE(fs::is_directory(dir));
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") ++files;
  REQUIRE(files > 0);
  for (const char* family : {"sigv4-header", "sigv4-presign", "azure-sharedkey",
                             "azure-sas-service", "azure-sas-account", "oss-v1-header",
                             "oss-v1-url", "oss-v4-header", "oss-v4-url"})
    CHECK(cpsync::testing::load_vectors(family).size() > 0);
}
