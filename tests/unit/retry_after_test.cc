// tests/unit/retry_after_test.cc — Retry-After parsing (seconds, HTTP date), its cap, and
// that the retry loop waits for it rather than only its own jittered backoff.
#include <catch2/catch.hpp>

#include <chrono>

#include "core/http.h"
#include "core/retry.h"
#include "core/time_format.h"
#include "remotes/http/error_fields.h"

using namespace cpsync;
using std::chrono::milliseconds;

namespace {
std::chrono::system_clock::time_point at(const char* rfc1123) {
  return *parse_rfc1123(rfc1123);
}
}  // namespace

TEST_CASE("parse_retry_after reads delta-seconds and HTTP dates", "[retry]") {
  const auto now = at("Sun, 22 Nov 2026 03:00:00 GMT");
  CHECK(parse_retry_after("0", now) == milliseconds(0));
  CHECK(parse_retry_after("7", now) == milliseconds(7000));
  CHECK(parse_retry_after(" 120 ", now) == milliseconds(120000));
  CHECK(parse_retry_after("Sun, 22 Nov 2026 03:00:30 GMT", now) == milliseconds(30000));
  CHECK(parse_retry_after("Sun, 22 Nov 2026 02:59:00 GMT", now) == milliseconds(0));  // past
  CHECK(*parse_retry_after("99999999999999", now) > milliseconds(3600000));  // huge, not UB
  CHECK_FALSE(parse_retry_after("", now));
  CHECK_FALSE(parse_retry_after("-5", now));
  CHECK_FALSE(parse_retry_after("1.5", now));
  CHECK_FALSE(parse_retry_after("soon", now));
}

TEST_CASE("retry_delay takes the longer of backoff and Retry-After, capped", "[retry]") {
  RetryPolicy p{5, milliseconds(1), milliseconds(4)};
  p.max_retry_after = milliseconds(60000);
  Status st{Errc::throttled, "slow down"};
  for (int i = 0; i < 20; ++i) CHECK(retry_delay(p, i, st) <= milliseconds(4));  // none sent
  st.retry_after_ms = 2000;
  for (int i = 0; i < 5; ++i) CHECK(retry_delay(p, i, st) == milliseconds(2000));
  st.retry_after_ms = 3600 * 1000;  // an hour: cut to the cap
  CHECK(retry_delay(p, 0, st) == milliseconds(60000));
  st.retry_after_ms = 0;  // "retry now": the backoff still applies
  CHECK(retry_delay(p, 3, st) <= milliseconds(4));
}

TEST_CASE("status_from_http carries Retry-After of 429 and 503 answers only", "[retry]") {
  HttpResponse r;
  r.status = 429;
  r.headers = {{"Retry-After", "3"}};
  Status s = http::error_fields(r, "test", http::kS3Errors);
  CHECK(s.code == Errc::throttled);
  CHECK(s.retry_after_ms == 3000);
  r.status = 503;
  r.headers = {
      {"retry-after", format_rfc1123(std::chrono::time_point_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now() + std::chrono::seconds(20)))}};
  s = http::error_fields(r, "test", http::kS3Errors);
  CHECK(s.retry_after_ms > 15000);
  CHECK(s.retry_after_ms <= 20000);
  r.status = 500;  // not a throttling answer: ignored
  r.headers = {{"Retry-After", "3"}};
  CHECK(http::error_fields(r, "test", http::kS3Errors).retry_after_ms == -1);
  r.status = 503;
  r.headers.clear();
  CHECK(http::error_fields(r, "test", http::kS3Errors).retry_after_ms == -1);
}

TEST_CASE("retry_status sleeps for Retry-After before the next try", "[retry]") {
  RetryPolicy p{3, milliseconds(1), milliseconds(2)};
  int calls = 0;
  const auto t0 = std::chrono::steady_clock::now();
  Status s = retry_status(p, [&] {
    if (++calls == 2) return Status::OK();
    Status st{Errc::throttled, "429"};
    st.retry_after_ms = 1000;
    return st;
  });
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(s.ok());
  CHECK(calls == 2);
  CHECK(took >= milliseconds(1000));
  CHECK(took < milliseconds(5000));
}
