// remotes/azure/delegation_keys.cc — the cached user delegation key (see delegation_keys.h).
#include "remotes/azure/delegation_keys.h"

#include <algorithm>

#include "core/time_format.h"
#include "remotes/azure/user_delegation.h"

namespace cpsync::azure {

DelegationKeyCache::DelegationKeyCache(Fetch fetch, Clock clock)
    : fetch_(std::move(fetch)), clock_(std::move(clock)) {
  if (!clock_) {
    clock_ = [] {
      return std::chrono::time_point_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now());
    };
  }
}

Result<UserDelegationKey> DelegationKeyCache::key_until(TimePoint until) {
  std::lock_guard lock(mu_);
  if (key_ && expiry_ - kRefreshMargin >= until) return *key_;
  const TimePoint t = clock_();
  const TimePoint latest = t + kMaxDelegationKeyLife - kSkew;
  const TimePoint expiry =
      std::min(std::max<TimePoint>(t + kKeyLife, until + kRefreshMargin), latest);
  if (expiry < until)
    return Status{Errc::invalid_argument,
                  "a user delegation SAS lasts at most 7 days (the key's limit)"};
  ++fetches_;
  CPSYNC_ASSIGN_OR_RETURN(UserDelegationKey k, fetch_(t - kSkew, expiry));
  // The service may end the key earlier than asked: keep the earlier of the two.
  TimePoint ends = expiry;
  if (auto said = parse_iso8601(k.signed_expiry)) ends = std::min(ends, *said);
  if (ends + std::chrono::seconds(1) < until)  // the reply's times are whole seconds
    return Status{Errc::corrupt, "the user delegation key ends before the SAS would"};
  key_ = std::move(k);
  expiry_ = ends;
  return *key_;
}

int DelegationKeyCache::fetches() const {
  std::lock_guard lock(mu_);
  return fetches_;
}

}  // namespace cpsync::azure
