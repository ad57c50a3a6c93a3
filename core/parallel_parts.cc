// core/parallel_parts.cc — see parallel_parts.h.
#include "core/parallel_parts.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace cpsync {

Status run_parts_in_parallel(uint32_t count, uint32_t threads,
                             const std::function<Status(uint32_t index)>& fn) {
  std::atomic<uint32_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  auto worker = [&] {
    for (;;) {
      if (failed.load()) return;
      const uint32_t i = next.fetch_add(1);
      if (i >= count) return;
      Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard lock(mu);
        if (first.ok()) first = std::move(s);
        failed.store(true);
        return;
      }
    }
  };
  const uint32_t n = std::clamp<uint32_t>(threads, 1, std::max<uint32_t>(1, count));
  if (n == 1) {
    worker();
    return first;
  }
  std::vector<std::thread> pool;
  pool.reserve(n - 1);
  for (uint32_t t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();  // the calling thread works too
  for (auto& t : pool) t.join();
  return first;
}

}  // namespace cpsync
