// core/retry.cc — backoff with full jitter, Retry-After parsing and the retry loop.
#include "core/retry.h"

#include <algorithm>
#include <random>
#include <string>
#include <thread>

#include "core/time_format.h"

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

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    if (value.size() > 9) return std::chrono::milliseconds(999'999'999'000LL);  // absurd: capped
    return std::chrono::milliseconds(std::stoll(std::string(value)) * 1000);
  }
  auto when = parse_rfc1123(value);
  if (!when) return std::nullopt;
  auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
  return std::max(delta, std::chrono::milliseconds(0));
}

std::chrono::milliseconds retry_delay(const RetryPolicy& p, int attempt, const Status& st) {
  std::chrono::milliseconds wait = backoff_delay(p, attempt);
  if (st.retry_after_ms >= 0) {
    auto server = std::min(std::chrono::milliseconds(st.retry_after_ms), p.max_retry_after);
    wait = std::max(wait, server);
  }
  return wait;
}

Status retry_status(const RetryPolicy& p, const std::function<Status()>& fn) {
  Status st;
  for (int attempt = 0;; ++attempt) {
    st = fn();
    if (st.ok() || !st.retryable() || attempt + 1 >= p.max_attempts) return st;
    std::this_thread::sleep_for(retry_delay(p, attempt, st));
  }
}

}  // namespace cpsync
