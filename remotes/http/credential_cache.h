// remotes/http/credential_cache.h — CredentialCache<C>: the credentials every request of one
// remote signs with (AWS or OSS keys, an Azure bearer token), fetched from a provider and
// refreshed before they expire. Shared by all the remote's threads; current() is the hot
// path (a mutex-held shared_ptr copy) and only one thread fetches at a time. Rules (the
// SDKs'):
// - credentials that expire within `refresh_ahead` are refreshed by the first thread that
//   sees it; the others keep signing with the still-valid ones meanwhile (they wait only
//   once expired);
// - a failed refresh while the credentials are still valid is logged and retried after 30 s;
// - a request refused as expired or revoked calls refresh_after_rejection() with the
//   generation it signed with: one refresh for all the threads that saw the refusal;
// - recheck_after_denial(): a request refused without saying why (some stores answer a
//   revoked key so) fetches again at most every 10 s and takes the result only when the
//   provider now hands out another identity.
// C needs: std::optional<TimePoint> expiry (none: never expires); std::string describe() const (no
// secrets); std::string identity() const (the key id or a token digest).
// P needs: Result<C> fetch(); std::string name() const.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/log.h"
#include "core/status.h"
#include "core/time_format.h"

namespace cpsync::http {

template <class C, class P>
class CredentialCache {
 public:
  static constexpr std::chrono::seconds kRetryFailedRefresh{30};
  static constexpr std::chrono::seconds kRecheckInterval{10};

  struct Snapshot {
    std::shared_ptr<const C> creds;
    uint64_t generation = 0;  // increments on every successful fetch
  };

  // label names the remote in messages: "s3 remote 'aws'".
  CredentialCache(std::unique_ptr<P> provider, std::string label,
                  std::chrono::seconds refresh_ahead)
      : provider_(std::move(provider)), label_(std::move(label)), ahead_(refresh_ahead) {}

  // Credentials to sign with now: fetched on first use, refreshed when near expiry.
  Result<Snapshot> current() {
    const auto now = std::chrono::system_clock::now();
    {
      std::lock_guard<std::mutex> l(mu_);
      if (creds_ && !needs_refresh(*creds_, now)) return snap();
      // Near expiry but valid: one thread refreshes, the others sign with what there is.
      if (creds_ && !expired(*creds_, now) && std::chrono::steady_clock::now() < next_attempt_)
        return snap();
    }
    std::unique_lock<std::mutex> refresh(refresh_mu_, std::defer_lock);
    {
      std::lock_guard<std::mutex> l(mu_);
      if (creds_ && !expired(*creds_, now) && !refresh.try_lock()) return snap();
    }
    if (!refresh.owns_lock()) refresh.lock();
    {  // Another thread may have refreshed while we waited.
      std::lock_guard<std::mutex> l(mu_);
      if (creds_ && !needs_refresh(*creds_, std::chrono::system_clock::now())) return snap();
    }
    Status s = fetch_now(false);
    std::lock_guard<std::mutex> l(mu_);
    if (!s.ok()) {
      if (creds_ && !expired(*creds_, std::chrono::system_clock::now())) {
        log_notice(s.message + " (keeping the current credentials until they expire)");
        return snap();
      }
      return s;
    }
    return snap();
  }

  // The server refused credentials of `generation` as expired/invalid: fetch new ones
  // unless another thread already has since. Returns the credentials to retry with.
  Result<Snapshot> refresh_after_rejection(uint64_t generation) {
    std::lock_guard<std::mutex> refresh(refresh_mu_);
    {
      std::lock_guard<std::mutex> l(mu_);
      if (creds_ && generation_ != generation) return snap();
    }
    log_info(label_ + ": credentials rejected as expired; refreshing");
    CPSYNC_RETURN_IF_ERROR(fetch_now(false));
    std::lock_guard<std::mutex> l(mu_);
    return snap();
  }

  Result<Snapshot> recheck_after_denial(uint64_t generation) {
    std::lock_guard<std::mutex> refresh(refresh_mu_);
    {
      std::lock_guard<std::mutex> l(mu_);
      if (creds_ && generation_ != generation) return snap();
      const auto now = std::chrono::steady_clock::now();
      if (creds_ && now - last_recheck_ < kRecheckInterval) return snap();
      last_recheck_ = now;
    }
    CPSYNC_RETURN_IF_ERROR(fetch_now(/*only_if_new_identity=*/true));
    std::lock_guard<std::mutex> l(mu_);
    if (generation_ != generation)
      log_info(label_ + ": access denied with a key the provider no longer hands out; " +
               "using its new one");
    return snap();
  }

  // Successful fetches after the first (for -vv, stats and tests).
  uint64_t refreshes() const { return refreshes_.load(); }
  // Where the current credentials came from, or the provider's name before the first fetch.
  std::string describe() const {
    std::lock_guard<std::mutex> l(mu_);
    return creds_ ? creds_->describe() : provider_->name();
  }

 private:
  bool needs_refresh(const C& c, std::chrono::system_clock::time_point now) const {
    const auto& e = c.expiry;
    return e && *e - ahead_ <= now;
  }
  static bool expired(const C& c, std::chrono::system_clock::time_point now) {
    const auto& e = c.expiry;
    return e && *e <= now;
  }
  Snapshot snap() const { return Snapshot{creds_, generation_}; }

  // Called with refresh_mu_ held.
  Status fetch_now(bool only_if_new_identity) {
    Result<C> r = provider_->fetch();
    if (!r.ok()) {
      Status s = r.status();
      s.message = label_ + ": credentials from " + s.message;
      std::lock_guard<std::mutex> l(mu_);
      next_attempt_ = std::chrono::steady_clock::now() + kRetryFailedRefresh;
      return s;
    }
    auto fresh = std::make_shared<const C>(std::move(r).value());
    std::lock_guard<std::mutex> l(mu_);
    if (only_if_new_identity && creds_ && creds_->identity() == fresh->identity())
      return Status::OK();
    const bool first = !creds_;
    creds_ = fresh;
    ++generation_;
    next_attempt_ = {};
    if (!first) ++refreshes_;
    log_debug(label_ + ": credentials " + (first ? "from " : "refreshed from ") +
              fresh->describe());
    return Status::OK();
  }

  std::unique_ptr<P> provider_;
  std::string label_;
  std::chrono::seconds ahead_;
  std::mutex refresh_mu_;  // held while fetching; taken before mu_
  mutable std::mutex mu_;  // guards the fields below
  std::shared_ptr<const C> creds_;
  uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::steady_clock::time_point last_recheck_{};
  std::atomic<uint64_t> refreshes_{0};
};

}  // namespace cpsync::http
