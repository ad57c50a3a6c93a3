// tests/integration/retry_budget_test.cc — --low-level-retries N means N tries of a request:
// the remotes' send path retries and nothing above it retries the request again (the
// transfer used to wrap each remote call in its own loop, N x N tries). A fault proxy in
// front of RGW answers every request with 503 SlowDown and counts what reached it.
#include <catch2/catch.hpp>

#include <string>

#include "core/buffer_pool.h"
#include "core/retry.h"
#include "sync/transfer.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/peer_env.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

namespace cpsync::testing {
namespace {

// Sets the process's retry policy for one scope (the CLI sets it from the flag).
struct ScopedRetryPolicy {
  RetryPolicy saved = default_retry_policy();
  explicit ScopedRetryPolicy(int attempts) {
    RetryPolicy p = saved;
    p.max_attempts = attempts;
    p.base = std::chrono::milliseconds(1);
    p.cap = std::chrono::milliseconds(5);
    set_default_retry_policy(p);
  }
  ~ScopedRetryPolicy() { set_default_retry_policy(saved); }
};

uint64_t requests_seen(const FaultProxy& proxy) {
  return proxy.stats()["requests"].get<uint64_t>();
}

}  // namespace

TEST_CASE("a request is tried --low-level-retries times in all, by the send path only",
          "[s3][faults]") {
  PeerBucket s3("s3");
  const std::string data = content_for("budget/one", 300 * 1024);
  REQUIRE(s3.remote->put(ObjectRef{s3.bucket, "budget/one"}, data.data(), data.size(), {}).ok());
  auto listed = s3.remote->stat(ObjectRef{s3.bucket, "budget/one"});
  REQUIRE(listed.ok());

  FaultProxy proxy(peer_env("ceph")["S3_ENDPOINT"],
                   {"--seed", "3", "--provider", "s3", "--throttle-rate", "1"});
  ConfigSection section = peer_section("s3");
  section.name = "throttled";
  section.values["endpoint"] = proxy.url();
  auto throttled = make_remote_from(section);

  BufferPool pool{8u << 20, 1u << 20};
  TransferOptions o;
  o.pool = &pool;
  o.chunk_size = 1u << 20;

  for (int attempts : {1, 3}) {
    DYNAMIC_SECTION("--low-level-retries " << attempts) {
      ScopedRetryPolicy policy(attempts);
      const uint64_t before = requests_seen(proxy);
      // Source read directly from RGW; the single PUT goes through the proxy and is refused.
      auto r = transfer_object(*s3.remote, ObjectRef{s3.bucket, "budget/one"}, *listed, *throttled,
                               ObjectRef{s3.bucket, "budget/copy"}, o);
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code == Errc::throttled);
      CHECK(requests_seen(proxy) - before == static_cast<uint64_t>(attempts));
    }
  }
  // Nothing was written behind the refusals.
  CHECK(s3.remote->stat(ObjectRef{s3.bucket, "budget/copy"}).status().code == Errc::not_found);
}

}  // namespace cpsync::testing
