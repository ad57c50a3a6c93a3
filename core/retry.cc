// core/retry.cc — backoff with full jitter.
#include "core/retry.h"

#include <algorithm>
#include <random>
#include <thread>

namespace cpsync {
namespace {
RetryPolicy g_policy;
}

void set_default_retry_policy(const RetryPolicy& p) {
  g_policy = p;
}
const RetryPolicy& default_retry_policy() {
  return g_policy;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& p, int attempt) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  long long ceiling = p.base.count() << std::min(attempt, 20);
  ceiling = std::min<long long>(ceiling, p.cap.count());
  std::uniform_int_distribution<long long> dist(0, std::max<long long>(ceiling, 1));
  return std::chrono::milliseconds(dist(rng));
}

Status retry_status(const RetryPolicy& p, const std::function<Status()>& fn) {
  Status st;
  for (int attempt = 0;; ++attempt) {
    st = fn();
    if (st.ok() || !st.retryable() || attempt + 1 >= p.max_attempts) return st;
    std::this_thread::sleep_for(backoff_delay(p, attempt));
  }
}

}  // namespace cpsync
