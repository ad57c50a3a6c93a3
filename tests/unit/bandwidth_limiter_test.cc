// tests/unit/bandwidth_limiter_test.cc — --bwlimit values and the token bucket's rate.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "sync/bandwidth_limiter.h"

using namespace cpsync;

TEST_CASE("parse_bwlimit takes rclone's rate syntax", "[bwlimit]") {
  struct Case {
    const char* text;
    uint64_t up, down;
  };
  for (const Case& c : {Case{"10M", 10u << 20, 10u << 20}, Case{"512k", 512u << 10, 512u << 10},
                        Case{"100000b", 100000, 100000}, Case{"100", 100u << 10, 100u << 10},
                        Case{"1.5M", 3u << 19, 3u << 19}, Case{"off", 0, 0}, Case{"0", 0, 0},
                        Case{"10M:off", 10u << 20, 0}, Case{"1M:2M", 1u << 20, 2u << 20}}) {
    INFO(c.text);
    auto r = parse_bwlimit(c.text);
    REQUIRE(r.ok());
    CHECK(r->up == c.up);
    CHECK(r->down == c.down);
  }
  for (const char* bad : {"", "fast", "10X", "1M:", ":1M", "08:00,512k", "-1M"}) {
    INFO(bad);
    auto r = parse_bwlimit(bad);
    CHECK(r.status().code == Errc::invalid_argument);
    CHECK(r.status().message.find("--bwlimit") != std::string::npos);
  }
}

TEST_CASE("the token bucket holds the average rate across threads", "[bwlimit]") {
  BandwidthLimiter lim(1 << 20);  // 1 MiB/s
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 8; ++i) lim.take(16 << 10);  // 4 x 8 x 16 KiB = 512 KiB
    });
  for (auto& t : threads) t.join();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // 512 KiB at 1 MiB/s with a 0.1 s burst: at least 0.4 s, and not wildly more.
  CHECK(secs >= 0.38);
  CHECK(secs < 2.0);
  BandwidthLimiter off(0);
  const auto t0 = std::chrono::steady_clock::now();
  off.take(1u << 30);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(50));
}
