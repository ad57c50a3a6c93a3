// tests/unit/concurrency_limiter_test.cc — the AIMD in-flight limit: cut quickly (once
// per round), regrow slowly and only while it binds, block at the limit, never below the
// floor, and hold under many threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "core/concurrency_limiter.h"

using namespace cpsync;

TEST_CASE("limiter cuts to half of what was in flight, once per round", "[limiter]") {
  ConcurrencyLimiter l("test", LimiterOptions{64, 1, 0.5});
  CHECK(l.limit() == 64);
  std::vector<ConcurrencyLimiter::Ticket> t;
  for (int i = 0; i < 16; ++i) t.push_back(l.acquire());  // no wait below the limit
  CHECK(l.stats().waits == 0);
  l.on_throttled(t[0]);
  CHECK(l.limit() == 8);  // half of the 16 in flight, not of 64
  // The other 15 were sent before the cut: their throttles do not cut again.
  for (int i = 1; i < 16; ++i) l.on_throttled(t[i]);
  CHECK(l.limit() == 8);
  CHECK(l.stats().throttles == 16);
  CHECK(l.stats().cuts == 1);
  for (auto& x : t) l.release(x);
  // A request of the next round cuts again.
  auto n = l.acquire();
  l.on_throttled(n);
  CHECK(l.limit() == 1);  // min(limit 8, in flight 1) / 2, floored at min_limit 1
  l.release(n);
  CHECK(l.stats().lowest_limit == 1);
}

TEST_CASE("limiter regrows by about one per round, only while the limit binds", "[limiter]") {
  ConcurrencyLimiter l("test", LimiterOptions{32, 2, 0.5});
  std::vector<ConcurrencyLimiter::Ticket> t;
  for (int i = 0; i < 8; ++i) t.push_back(l.acquire());
  l.on_throttled(t[0]);
  for (auto& x : t) l.release(x);
  REQUIRE(l.limit() == 4);
  // One request at a time: the limit does not bind, so successes do not raise it.
  for (int i = 0; i < 50; ++i) {
    auto x = l.acquire();
    l.on_success(x);
    l.release(x);
  }
  CHECK(l.limit() == 4);
  // Rounds that fill the limit: +1/limit per success, so about +1 per round.
  for (int round = 0; round < 3; ++round) {
    const int lim = l.limit();
    std::vector<ConcurrencyLimiter::Ticket> r;
    for (int i = 0; i < lim; ++i) r.push_back(l.acquire());
    for (auto& x : r) {
      l.on_success(x);
      l.release(x);
    }
  }
  CHECK(l.limit() >= 6);
  CHECK(l.limit() <= 7);
  // A floor: cuts never go below min_limit.
  auto x = l.acquire();
  l.on_throttled(x);
  l.release(x);
  CHECK(l.limit() == 2);
}

TEST_CASE("limiter blocks at the limit until a slot is released", "[limiter]") {
  ConcurrencyLimiter l("test", LimiterOptions{2, 1, 0.5});
  auto a = l.acquire();
  auto b = l.acquire();
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto c = l.acquire();
    got = true;
    l.release(c);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(got.load());
  l.release(a);
  waiter.join();
  CHECK(got.load());
  CHECK(l.stats().waits == 1);
  l.release(b);
  CHECK(l.stats().in_flight == 0);
}

TEST_CASE("limiter never lets more requests in flight than its limit", "[limiter]") {
  ConcurrencyLimiter l("test", LimiterOptions{16, 1, 0.5});
  std::atomic<int> running{0}, over{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i)
    threads.emplace_back([&, i] {
      std::mt19937 rng(static_cast<unsigned>(i));
      for (int j = 0; j < 300; ++j) {
        LimiterSlot slot(l);
        // The limit may have been cut after this slot was granted; check the grant.
        if (++running > 16) ++over;
        if (rng() % 20 == 0)
          slot.throttled();
        else
          slot.succeeded();
        --running;
      }
    });
  for (auto& t : threads) t.join();
  const LimiterStats s = l.stats();
  CHECK(over.load() == 0);
  CHECK(s.in_flight == 0);
  CHECK(s.requests == 12 * 300);
  CHECK(s.throttles > 0);
  CHECK(s.cuts > 0);
  CHECK(s.cuts <= s.throttles);
  CHECK(s.peak_in_flight <= 16);
  CHECK(s.limit >= 1);
}

TEST_CASE("endpoint_limiter keeps one limiter per host", "[limiter]") {
  ConcurrencyLimiter& a = endpoint_limiter("unit-test-host-a:1");
  CHECK(&a == &endpoint_limiter("unit-test-host-a:1"));
  CHECK(&a != &endpoint_limiter("unit-test-host-b:1"));
  bool listed = false;
  for (const auto& [host, st] : endpoint_limiter_stats()) listed |= host == "unit-test-host-a:1";
  CHECK(listed);
}
