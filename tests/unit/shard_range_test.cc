// tests/unit/shard_range_test.cc — shard ranges (sync/shard.h): the fixed rule's N ranges
// tile the key space; start_after never skips a key of the range; the bounded planner stays
// balanced after its sample thins out.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "sync/shard.h"

using namespace cpsync;

TEST_CASE("shard: fixed ranges tile the key space in byte order", "[unit][shard]") {
  for (int n : {1, 2, 3, 7, 16, 100, 9025, 20000}) {
    INFO("N = " << n);
    std::string prev_hi;
    for (int k = 0; k < n; ++k) {
      KeyRange r = fixed_shard_range(ShardSpec{k, n});
      CHECK(r.lo == prev_hi);  // no gap, no overlap
      CHECK((k + 1 == n) == r.hi.empty());
      if (!r.hi.empty()) CHECK(r.lo <= r.hi);
      prev_hi = r.hi;
    }
  }
  // Every key is in exactly one of 16.
  for (std::string key :
       {std::string(""), std::string("\x01"), std::string("0abc"), std::string("logs/x"),
        std::string("~~~"), std::string("\xc3\xa9t\xc3\xa9")}) {
    int owners = 0;
    for (int k = 0; k < 16; ++k) owners += fixed_shard_range(ShardSpec{k, 16}).contains(key);
    CHECK(owners == 1);
  }
}

TEST_CASE("shard: start_after is valid UTF-8 just below lo", "[unit][shard]") {
  for (std::string lo : {std::string("b"), std::string("ab"), std::string("a\x01"),
                         std::string("a\x00", 2), std::string("\xc3\xa9")}) {
    KeyRange r{lo, ""};
    const std::string after = r.start_after();
    CHECK(after < lo);
    // The candidates nearest below lo: lo cut short, and lo's last byte lowered with any tail.
    std::string lowered = lo;
    if (lowered.back() != 0) {
      --lowered.back();
      for (std::string tail : {"", "z", "\x7f", "\xf4\x8f\xbf\xbf"}) CHECK(lowered + tail <= after);
    }
  }
  CHECK(KeyRange{"", "x"}.start_after().empty());
  CHECK(KeyRange{"logs/a", "logs/b"}.common_prefix() == "logs/");
}

TEST_CASE("shard: the planner keeps shards balanced in bounded memory", "[unit][shard]") {
  ShardPlanner p(4, /*max_samples=*/64);
  const uint64_t n = 10000;
  for (uint64_t i = 0; i < n; ++i) {
    char key[16];
    std::snprintf(key, sizeof key, "k%06llu", static_cast<unsigned long long>(i));
    p.add(key, i < n / 2 ? 1 : 3);  // the second half holds three times the bytes
  }
  ShardPlan plan = p.finish("src");
  REQUIRE(plan.boundaries.size() == 3);
  uint64_t objects = 0, bytes = 0;
  for (size_t k = 0; k < 4; ++k) {
    // 64 samples of 10,000 keys: a stride of at most 256 keys.
    CHECK(plan.objects[k] >= n / 4 - 256);
    CHECK(plan.objects[k] <= n / 4 + 256);
    objects += plan.objects[k];
    bytes += plan.bytes[k];
  }
  CHECK(objects == n);
  CHECK(bytes == n / 2 * 1 + n / 2 * 3);
  CHECK(plan.boundaries[0] < plan.boundaries[1]);
}
