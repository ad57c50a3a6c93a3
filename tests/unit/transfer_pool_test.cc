// tests/unit/transfer_pool_test.cc — sync/transfer_pool.h with tasks that sleep and a
// throttle counter the test moves: a fixed pool never runs more than its width; an adaptive
// one grows while work waits, halves when the counter moves (once per round), never passes
// its cap nor runs more large tasks than allowed, and runs every task.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "sync/transfer_pool.h"

using namespace cpsync;

namespace {

struct Gauge {
  std::atomic<int> now{0}, peak{0}, large_now{0}, large_peak{0};
  std::atomic<int> ran{0};
  void task(bool large) {
    const int n = ++now;
    int p = peak;
    while (n > p && !peak.compare_exchange_weak(p, n)) {
    }
    if (large) {
      const int l = ++large_now;
      int lp = large_peak;
      while (l > lp && !large_peak.compare_exchange_weak(lp, l)) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (large) --large_now;
    --now;
    ++ran;
  }
};

}  // namespace

TEST_CASE("a fixed pool runs at most its width", "[transfer_pool]") {
  Gauge g;
  TransferPoolOptions o;
  o.start = o.max = o.large = 3;
  TransferPool pool(o);
  for (int i = 0; i < 60; ++i) pool.submit([&g] { g.task(false); });
  pool.finish();
  CHECK(g.ran == 60);
  CHECK(g.peak <= 3);
  CHECK(pool.stats().peak == 3);
  CHECK(pool.stats().grows == 0);
}

TEST_CASE("an adaptive pool grows while work waits and halves on throttling", "[transfer_pool]") {
  Gauge g;
  std::atomic<uint64_t> throttles{0};
  TransferPoolOptions o;
  o.start = 2;
  o.max = 16;
  o.large = 2;
  o.queue_capacity = 64;
  o.throttles = [&throttles] { return throttles.load(); };
  TransferPool pool(o);
  for (int i = 0; i < 2000; ++i) pool.submit([&g] { g.task(false); });
  // Grown to the cap with nothing throttled.
  for (int i = 0; i < 1000 && pool.stats().width < 16; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(pool.stats().width == 16);
  CHECK(pool.stats().grows == 14);
  throttles += 5;  // one throttling episode: one cut of the round
  for (int i = 0; i < 1000 && pool.stats().cuts == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(pool.stats().cuts == 1);
  CHECK(pool.stats().lowest == 8);
  // Large tasks: never more than 2 at once, however wide the pool.
  for (int i = 0; i < 40; ++i) pool.submit([&g] { g.task(true); }, true);
  pool.finish();
  CHECK(g.ran == 2040);
  CHECK(g.peak <= 16);
  CHECK(g.large_peak <= 2);
  CHECK(pool.stats().peak == 16);
}
