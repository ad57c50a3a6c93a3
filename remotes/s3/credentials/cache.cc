// remotes/s3/credentials/cache.cc — the refreshing credential cache (see cache.h).
#include "remotes/s3/credentials/cache.h"

#include "core/log.h"

namespace cpsync::s3 {
namespace {

bool needs_refresh(const AwsCredentials& c, std::chrono::system_clock::time_point now) {
  return c.expiry && *c.expiry - CredentialCache::kRefreshAhead <= now;
}
bool expired(const AwsCredentials& c, std::chrono::system_clock::time_point now) {
  return c.expiry && *c.expiry <= now;
}

}  // namespace

bool rejected_as_expired(int http_status, std::string_view code, bool temporary) {
  if (http_status != 400 && http_status != 401 && http_status != 403) return false;
  if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired" ||
      code == "RequestExpired" || code == "ExpiredTokenException")
    return true;
  return temporary && code == "InvalidAccessKeyId";
}

CredentialCache::CredentialCache(std::unique_ptr<CredentialProvider> provider, std::string remote)
    : provider_(std::move(provider)), remote_(std::move(remote)) {}

std::string CredentialCache::describe() const {
  std::lock_guard<std::mutex> l(mu_);
  return creds_ ? creds_->describe() : provider_->name();
}

// Called with refresh_mu_ held.
Status CredentialCache::fetch_now(bool only_if_new_key) {
  auto r = provider_->fetch();
  if (!r.ok()) {
    Status s = r.status();
    s.message = "s3 remote '" + remote_ + "': credentials from " + s.message;
    std::lock_guard<std::mutex> l(mu_);
    next_attempt_ = std::chrono::steady_clock::now() + kRetryFailedRefresh;
    return s;
  }
  auto fresh = std::make_shared<const AwsCredentials>(std::move(r).value());
  std::lock_guard<std::mutex> l(mu_);
  if (only_if_new_key && creds_ && creds_->keys.access_key_id == fresh->keys.access_key_id)
    return Status::OK();
  const bool first = !creds_;
  creds_ = fresh;
  ++generation_;
  fetched_ = std::chrono::steady_clock::now();
  next_attempt_ = {};
  if (!first) ++refreshes_;
  log_debug("s3 remote '" + remote_ + "': credentials " + (first ? "from " : "refreshed from ") +
            fresh->describe());
  return Status::OK();
}

Result<CredentialCache::Snapshot> CredentialCache::current() {
  const auto now = std::chrono::system_clock::now();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (creds_ && !needs_refresh(*creds_, now)) return Snapshot{creds_, generation_, fetched_};
    // Near expiry but valid: one thread refreshes, the others sign with what there is.
    if (creds_ && !expired(*creds_, now) && std::chrono::steady_clock::now() < next_attempt_)
      return Snapshot{creds_, generation_, fetched_};
  }
  std::unique_lock<std::mutex> refresh(refresh_mu_, std::defer_lock);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (creds_ && !expired(*creds_, now)) {
      if (!refresh.try_lock()) return Snapshot{creds_, generation_, fetched_};
    }
  }
  if (!refresh.owns_lock()) refresh.lock();
  // Another thread may have refreshed while we waited.
  {
    std::lock_guard<std::mutex> l(mu_);
    if (creds_ && !needs_refresh(*creds_, std::chrono::system_clock::now()))
      return Snapshot{creds_, generation_, fetched_};
  }
  Status s = fetch_now();
  std::lock_guard<std::mutex> l(mu_);
  if (!s.ok()) {
    if (creds_ && !expired(*creds_, std::chrono::system_clock::now())) {
      log_notice(s.message + " (keeping the current credentials until they expire)");
      return Snapshot{creds_, generation_, fetched_};
    }
    return s;
  }
  return Snapshot{creds_, generation_, fetched_};
}

Result<CredentialCache::Snapshot> CredentialCache::refresh_after_rejection(uint64_t generation) {
  std::lock_guard<std::mutex> refresh(refresh_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (creds_ && generation_ != generation) return Snapshot{creds_, generation_, fetched_};
  }
  log_info("s3 remote '" + remote_ + "': credentials rejected as expired; refreshing");
  CPSYNC_RETURN_IF_ERROR(fetch_now());
  std::lock_guard<std::mutex> l(mu_);
  return Snapshot{creds_, generation_, fetched_};
}

Result<CredentialCache::Snapshot> CredentialCache::recheck_after_denial(uint64_t generation) {
  std::lock_guard<std::mutex> refresh(refresh_mu_);
  {
    std::lock_guard<std::mutex> l(mu_);
    if (creds_ && generation_ != generation) return Snapshot{creds_, generation_, fetched_};
    const auto now = std::chrono::steady_clock::now();
    if (creds_ && now - last_recheck_ < kRecheckInterval)
      return Snapshot{creds_, generation_, fetched_};
    last_recheck_ = now;
  }
  CPSYNC_RETURN_IF_ERROR(fetch_now(/*only_if_new_key=*/true));
  std::lock_guard<std::mutex> l(mu_);
  if (generation_ != generation)
    log_info("s3 remote '" + remote_ +
             "': access denied with a key the provider no longer "
             "hands out; using its new one");
  return Snapshot{creds_, generation_, fetched_};
}

}  // namespace cpsync::s3
