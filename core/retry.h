// core/retry.h — retrying one operation with exponential backoff and full jitter
// (sleep = random(0, min(cap, base * 2^attempt))). Only retryable Status codes
// (throttled, transient) are retried. Thread-safe; the policy is a plain value.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "core/status.h"

namespace cpsync {

struct RetryPolicy {
  int max_attempts = 10;  // --low-level-retries: total tries per request
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{10000};
};

// Set once at start-up from the flags.
void set_default_retry_policy(const RetryPolicy& p);
const RetryPolicy& default_retry_policy();

// The sleep before retry number `attempt` (0-based), full jitter.
std::chrono::milliseconds backoff_delay(const RetryPolicy& p, int attempt);

// Runs fn until it succeeds, fails with a non-retryable status, or attempts run out.
Status retry_status(const RetryPolicy& p, const std::function<Status()>& fn);

template <class T>
Result<T> retry_result(const RetryPolicy& p, const std::function<Result<T>()>& fn) {
  std::optional<Result<T>> last;
  Status st = retry_status(p, [&] {
    last.emplace(fn());
    return last->status();
  });
  return std::move(*last);
}

}  // namespace cpsync
