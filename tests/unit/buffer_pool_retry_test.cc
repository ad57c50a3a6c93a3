// tests/unit/buffer_pool_retry_test.cc — the pool holds its budget; retries stop correctly.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "core/buffer_pool.h"
#include "core/retry.h"

using namespace cpsync;

TEST_CASE("buffer pool never leases more than its budget and recycles blocks", "[pool]") {
  BufferPool pool(4 * 1024, 1024);
  std::atomic<int> running{0}, max_running{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        Buffer b = pool.acquire(1000);
        int now = ++running;
        int seen = max_running.load();
        while (now > seen && !max_running.compare_exchange_weak(seen, now)) {
        }
        b.data()[0] = 1;
        --running;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(max_running.load() <= 4);
  CHECK(pool.peak_in_use() <= 4 * 1024);
  Buffer a = pool.acquire(1024);
  char* first = a.data();
  a.release();
  Buffer b = pool.acquire(900);
  CHECK(b.data() == first);  // recycled block
}

TEST_CASE("buffer pool never leases less than asked, even above its budget", "[pool]") {
  BufferPool pool(1000, 100);
  Buffer big = pool.acquire(5000);
  REQUIRE(big.capacity() >= 5000);
  big.data()[4999] = 1;  // ASan would catch an undersized lease
  big.release();
  Buffer small = pool.acquire(10);
  CHECK(small.capacity() >= 10);
}

TEST_CASE("retry_status retries only retryable errors, up to max_attempts", "[retry]") {
  RetryPolicy p{4, std::chrono::milliseconds(1), std::chrono::milliseconds(2)};
  int calls = 0;
  Status s = retry_status(p, [&] {
    ++calls;
    return Status{Errc::throttled, "slow down"};
  });
  CHECK(calls == 4);
  CHECK(s.code == Errc::throttled);
  calls = 0;
  s = retry_status(p, [&] {
    ++calls;
    return Status{Errc::access_denied, "no"};
  });
  CHECK(calls == 1);
  calls = 0;
  auto r = retry_result<int>(p, [&]() -> Result<int> {
    if (++calls < 3) return Status{Errc::transient, "reset"};
    return 42;
  });
  REQUIRE(r.ok());
  CHECK(*r == 42);
  CHECK(calls == 3);
  for (int i = 0; i < 30; ++i) CHECK(backoff_delay(p, i) <= std::chrono::milliseconds(2));
}
