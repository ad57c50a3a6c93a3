// remotes/azure/delegation_keys.h — one Azure remote's user delegation key, asked for once
// and reused for every user delegation SAS the remote signs (the source URLs of server-side
// copies, links), and asked for again before it runs out. Safe from any thread: callers
// share one key, and one request for a new one (the others wait for it). The key is never
// logged or put in a message.
#pragma once

#include <functional>
#include <mutex>
#include <optional>

#include "core/status.h"
#include "core/time_point.h"
#include "remotes/azure/sas.h"

namespace cpsync::azure {

class DelegationKeyCache {
 public:
  // Asks the service for a key valid from start to expiry (get_user_delegation_key).
  using Fetch = std::function<Result<UserDelegationKey>(TimePoint start, TimePoint expiry)>;
  using Clock = std::function<TimePoint()>;

  // How long a key is asked for when the SAS needs less; Azure allows up to 7 days.
  static constexpr std::chrono::hours kKeyLife{1};
  // A key is replaced when less than this would remain after the SAS's own expiry.
  static constexpr std::chrono::minutes kRefreshMargin{5};
  // Clock skew allowed each way: keys start this long back and end this long short of
  // Azure's 7 days.
  static constexpr std::chrono::minutes kSkew{5};

  explicit DelegationKeyCache(Fetch fetch, Clock clock = {});

  // A key that is valid at least until `until` (a SAS's expiry; at most 7 days less kSkew
  // from now): the held key while it has kRefreshMargin to spare beyond `until`, else a new
  // one valid for kKeyLife (or to `until` plus the margin, when later). A failed request is
  // returned as is and not remembered.
  Result<UserDelegationKey> key_until(TimePoint until);

  // Keys asked for so far (for tests and stats).
  int fetches() const;

 private:
  Fetch fetch_;
  Clock clock_;
  mutable std::mutex mu_;
  std::optional<UserDelegationKey> key_;
  TimePoint expiry_{};  // of key_
  int fetches_ = 0;
};

}  // namespace cpsync::azure
