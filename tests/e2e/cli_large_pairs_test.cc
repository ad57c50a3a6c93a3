// tests/e2e/cli_large_pairs_test.cc — a 200 MiB object copied by `cpsync copy` across every
// ordered pair of different backends (local, S3, Azure, OSS): 12 child processes, each
// with its peak RSS (measured by /usr/bin/time) held under 150 MiB whatever the object size
// (parts stream through a bounded buffer pool), and every copy byte-identical.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"

using namespace cpsync::testing;

namespace {

constexpr size_t kObjectSize = 200u << 20;
constexpr long kRssLimitKib = 150 * 1024;
// Under ASan (scripts/test-sanitize; the child is the sanitized binary too) shadow memory and
// the allocation quarantine add far more than the limit: the bound holds for real builds.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

TEST_CASE("a 200 MiB object across every ordered pair of backends in bounded memory", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(
      tmp, local_section("loc") + s3_section("s3") + azure_section("az") + oss_section("oss"));
  const std::string data = random_bytes(kObjectSize, 200);
  write_file_text(tmp / "src/big.bin", data);
  with_bucket(config, "s3", [&](const std::string& s3b) {
    with_bucket(config, "az", [&](const std::string& azb) {
      with_bucket(config, "oss", [&](const std::string& ossb) {
        // Where each backend keeps the copies it received: <root>/from-<source>/big.bin.
        const std::map<std::string, std::string> root = {
            {"loc", tmp / "dst"}, {"s3", "s3:" + s3b}, {"az", "az:" + azb}, {"oss", "oss:" + ossb}};
        // The directory each backend is read from: local's original; a cloud's copy from
        // local (made in the first round).
        auto source_dir = [&](const std::string& b) {
          return b == "loc" ? tmp / "src" : root.at(b) + "/from-loc";
        };
        const std::vector<std::string> order = {"loc", "s3", "az", "oss"};
        int pairs = 0;
        long worst_rss = 0;
        for (const auto& src : order) {
          for (const auto& dst : order) {
            if (src == dst) continue;
            const std::string to = root.at(dst) + "/from-" + src;
            RunResult r = run_cpsync(config, {"copy", source_dir(src), to}, "", true);
            INFO("stderr: " << r.err);
            REQUIRE(r.code == 0);
            INFO(src << " -> " << dst << ": peak RSS " << r.peak_rss_kib / 1024 << " MiB");
            CHECK(r.peak_rss_kib > 0);
            if (!kSanitized) CHECK(r.peak_rss_kib < kRssLimitKib);
            worst_rss = std::max(worst_rss, r.peak_rss_kib);
            const std::string got = dst == "loc" ? read_file_text(to + "/big.bin")
                                                 : run_ok(config, {"cat", to + "/big.bin"}).out;
            CHECK(got.size() == data.size());
            CHECK(got == data);
            ++pairs;
          }
        }
        CHECK(pairs == 12);
        WARN("worst child peak RSS over 12 pairs: " << worst_rss / 1024 << " MiB");
      });
    });
  });
}
