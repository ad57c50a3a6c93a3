// remotes/s3/credentials/cache.h — CredentialCache: the credentials every request of one
// remote signs with, fetched from a CredentialProvider and refreshed before they expire.
// Thread-safe: shared by all the remote's threads. current() is the hot path (a mutex-held
// shared_ptr copy); only one thread refreshes at a time. Refresh rules (the Go SDK's):
// - keys that expire within 5 minutes are refreshed by the first thread that sees it; the
//   others keep signing with the still-valid keys meanwhile (they wait only once expired);
// - a failed refresh while the keys are still valid is logged and retried after 30 s;
// - a request rejected as expired or revoked calls refresh_after_rejection() with the
//   generation it signed with: one refresh for all the threads that saw the rejection.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

class CredentialCache {
 public:
  static constexpr std::chrono::minutes kRefreshAhead{5};
  static constexpr std::chrono::seconds kRetryFailedRefresh{30};

  struct Snapshot {
    std::shared_ptr<const AwsCredentials> creds;
    uint64_t generation = 0;  // increments on every successful fetch
    std::chrono::steady_clock::time_point fetched{};
  };

  // remote: the remote's name, for messages ("s3 remote 'aws': credentials from ...").
  CredentialCache(std::unique_ptr<CredentialProvider> provider, std::string remote);

  // Credentials to sign with now: fetched on first use, refreshed when near expiry.
  Result<Snapshot> current();
  // The server rejected credentials of `generation` as expired/invalid: fetch new ones
  // unless another thread already has since. Returns the credentials to retry with.
  Result<Snapshot> refresh_after_rejection(uint64_t generation);

  // A request with temporary keys of `generation` was refused without saying why
  // (AccessDenied, or a HEAD's bodyless 400/403): a revoked key looks like this on some
  // stores (Ceph RGW). Fetches again, at most once per kRecheckInterval, and takes the
  // result only when the provider now hands out a different key (the caller then resends).
  Result<Snapshot> recheck_after_denial(uint64_t generation);
  static constexpr std::chrono::seconds kRecheckInterval{10};

  // Successful fetches after the first (for -vv, stats and tests).
  uint64_t refreshes() const { return refreshes_.load(); }
  // Where the current credentials came from, or the provider's name before the first fetch.
  std::string describe() const;

 private:
  // Fetches and installs the result; with only_if_new_key, a result with the same access
  // key as the current one is dropped.
  Status fetch_now(bool only_if_new_key = false);

  std::unique_ptr<CredentialProvider> provider_;
  std::string remote_;
  std::mutex refresh_mu_;  // held while fetching; taken before mu_
  mutable std::mutex mu_;  // guards the fields below
  std::shared_ptr<const AwsCredentials> creds_;
  uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point fetched_{};
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::steady_clock::time_point last_recheck_{};
  std::atomic<uint64_t> refreshes_{0};
};

// True when a rejection means "these credentials expired or were revoked": ExpiredToken,
// InvalidToken, TokenRefreshRequired, RequestExpired (any 400/401/403), an "expired" 403,
// and InvalidAccessKeyId when the credentials were temporary.
bool rejected_as_expired(int http_status, std::string_view code, bool temporary);

}  // namespace cpsync::s3
