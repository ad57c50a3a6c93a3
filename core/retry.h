// core/retry.h — retrying one operation with exponential backoff and full jitter
// (sleep = random(0, min(cap, base * 2^attempt))), honouring a server's Retry-After
// (seconds or an HTTP date, on 429/503) up to a cap. Only retryable Status codes
// (throttled, transient) are retried. Thread-safe; the policy is a plain value.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace cpsync {

struct RetryPolicy {
  int max_attempts = 10;  // --low-level-retries: total tries per request
  std::chrono::milliseconds base{100};
  std::chrono::milliseconds cap{10000};
  // A longer Retry-After is cut to this, so one answer cannot stall a run for hours.
  std::chrono::milliseconds max_retry_after{60000};
};

// Set once at start-up from the flags.
void set_default_retry_policy(const RetryPolicy& p);
const RetryPolicy& default_retry_policy();

// The sleep before retry number `attempt` (0-based), full jitter.
std::chrono::milliseconds backoff_delay(const RetryPolicy& p, int attempt);

// Parses a Retry-After header value: delta-seconds ("120") or an HTTP date ("Fri, 17 May
// 2024 12:34:56 GMT", taken relative to `now`; a date in the past is 0). nullopt when
// malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The sleep before retry number `attempt` after the failure `st`: the jittered backoff,
// or the server's Retry-After (st.retry_after_ms, capped at p.max_retry_after) when that
// is longer. Every retry loop uses this, so all of them honour Retry-After.
std::chrono::milliseconds retry_delay(const RetryPolicy& p, int attempt, const Status& st);

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
