// tests/e2e/cli_version_test.cc — the binary starts and reports its version.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>

TEST_CASE("cpsync version prints the version", "[e2e]") {
  FILE* p = popen(CPSYNC_BINARY " version", "r");
  REQUIRE(p);
  std::string out;
  std::array<char, 256> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int rc = pclose(p);
  CHECK(rc == 0);
  CHECK(out.find("cpsync " CPSYNC_VERSION) != std::string::npos);
}
