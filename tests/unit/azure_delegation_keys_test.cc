// tests/unit/azure_delegation_keys_test.cc — the cached user delegation key
// (remotes/azure/delegation_keys.h) with a clock the test moves: one request for many SAS,
// a new key before the held one runs out, one request for many threads at once, failures not
// remembered, and the 7-day limit. The fetch stands in for Get User Delegation Key (its
// request and reply are tested in azure_user_delegation_test.cc, against Azurite in
// tests/e2e/azure_identity_test.cc).
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "core/time_format.h"
#include "remotes/azure/delegation_keys.h"

using namespace cpsync;
using namespace cpsync::azure;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

struct Fake {
  TimePoint now = *parse_iso8601("2026-12-08T10:00:00Z");
  std::vector<std::pair<TimePoint, TimePoint>> asked;  // start, expiry
  bool fail = false;
  std::chrono::milliseconds delay{0};
  std::chrono::seconds shorten{0};  // the service ends the key this much earlier than asked

  DelegationKeyCache cache() {
    return DelegationKeyCache(
        [this](TimePoint start, TimePoint expiry) -> Result<UserDelegationKey> {
          if (delay.count() > 0) std::this_thread::sleep_for(delay);
          asked.emplace_back(start, expiry);
          if (fail) return Status{Errc::access_denied, "AuthorizationPermissionMismatch"};
          UserDelegationKey k;
          k.signed_start = format_iso8601(start);
          k.signed_expiry = format_iso8601(expiry - shorten);
          k.value = "key" + std::to_string(asked.size());
          return k;
        },
        [this] { return now; });
  }
};

}  // namespace

TEST_CASE("delegation key cache: one key for many SAS, renewed before it runs out", "[azure]") {
  Fake f;
  DelegationKeyCache c = f.cache();
  const TimePoint t0 = f.now;
  auto k = c.key_until(t0 + minutes(15));
  REQUIRE(k.ok());
  CHECK(k->value == "key1");
  REQUIRE(f.asked.size() == 1);
  CHECK(f.asked[0].first == t0 - minutes(5));  // started back for a clock behind Azure's
  CHECK(f.asked[0].second == t0 + hours(1));
  // 15-minute URLs reuse it while 5 minutes would remain after the URL's expiry.
  for (int m : {1, 10, 30, 40}) {
    f.now = t0 + minutes(m);
    auto again = c.key_until(f.now + minutes(15));
    REQUIRE(again.ok());
    CHECK(again->value == "key1");
  }
  CHECK(c.fetches() == 1);
  f.now = t0 + minutes(41);  // 15 + 5 minutes would pass the key's end: a new key
  auto renewed = c.key_until(f.now + minutes(15));
  REQUIRE(renewed.ok());
  CHECK(renewed->value == "key2");
  CHECK(f.asked.back().second == f.now + hours(1));
  CHECK(c.fetches() == 2);
  // A SAS longer than the key life: a key to its end plus the margin, then reused.
  auto week = c.key_until(f.now + hours(72));
  REQUIRE(week.ok());
  CHECK(f.asked.back().second == f.now + hours(72) + minutes(5));
  CHECK(c.key_until(f.now + hours(1))->value == "key3");
  CHECK(c.fetches() == 3);
}

TEST_CASE("delegation key cache: limits and failures", "[azure]") {
  Fake f;
  DelegationKeyCache c = f.cache();
  // Up to 7 days less the skew; beyond that refused without a request.
  CHECK(c.key_until(f.now + hours(24 * 7) - minutes(5)).ok());
  CHECK(f.asked.back().second == f.now + hours(24 * 7) - minutes(5));
  CHECK(c.key_until(f.now + hours(24 * 7)).status().code == Errc::invalid_argument);
  CHECK(c.fetches() == 1);

  Fake g;
  g.fail = true;
  DelegationKeyCache d = g.cache();
  CHECK(d.key_until(g.now + minutes(15)).status().code == Errc::access_denied);
  g.fail = false;  // not remembered: the next call asks again
  CHECK(d.key_until(g.now + minutes(15)).ok());
  CHECK(d.fetches() == 2);

  // A key the service ends before the SAS would: never used for it.
  Fake h;
  h.shorten = std::chrono::seconds(3600);
  DelegationKeyCache e = h.cache();
  CHECK(e.key_until(h.now + minutes(15)).status().code == Errc::corrupt);
}

TEST_CASE("delegation key cache: threads at once share one request", "[azure]") {
  Fake f;
  f.delay = std::chrono::milliseconds(50);
  DelegationKeyCache c = f.cache();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (c.key_until(f.now + minutes(15)).ok()) ++ok;
    });
  for (auto& t : threads) t.join();
  CHECK(ok == 8);
  CHECK(c.fetches() == 1);
}
