// tests/unit/filter_bench_test.cc — hidden throughput check of Filter::include over a
// million synthetic keys (run by hand: unit_tests "[.filter-bench]"); not part of ctest.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "sync/filter.h"

using namespace cpsync;

TEST_CASE("filter throughput", "[.filter-bench]") {
  std::vector<std::string> keys;
  const char* exts[] = {".jpg", ".png", ".txt", ".log", ".tmp", ".bin"};
  for (int i = 0; i < 1'000'000; ++i)
    keys.push_back("data/" + std::to_string(i % 97) + "/sub" + std::to_string(i % 13) + "/object-" +
                   std::to_string(i) + exts[i % 6]);
  const TimePoint now = TimePoint(std::chrono::seconds(1'700'000'000));
  const std::vector<std::pair<const char*, std::vector<FilterRule>>> sets = {
      {"exclude *.tmp", {{FilterSource::exclude, "*.tmp"}}},
      {"include *.{jpg,png}", {{FilterSource::include, "*.{jpg,png}"}}},
      {"6 mixed rules",
       {"- *.tmp", "- /data/1?/**", "- cache/", "+ data/**/sub[0-4]/*.jpg", "+ *.txt", "- **"}},
  };
  for (const auto& [name, rules] : sets) {
    FilterOptions o;
    o.rules = rules;
    auto f = Filter::build(o, now);
    REQUIRE(f.ok());
    size_t included = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& k : keys) included += f->include(k, 100, now);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%-22s %zu of %zu included, %.0f keys/s\n", name, included, keys.size(),
                keys.size() / s);
  }
}
