// remotes/azure/user_delegation.h — Get User Delegation Key (POST
// ?restype=service&comp=userdelegationkey, bearer token only): the key a remote with an
// Azure AD identity signs user delegation SAS URLs with (sas.h), where a remote with the
// account key signs a service SAS. Safe from any thread (the client is).
#pragma once

#include <string_view>

#include "core/status.h"
#include "core/time_point.h"
#include "remotes/azure/azure_client.h"
#include "remotes/azure/sas.h"

namespace cpsync::azure {

// Azure's limit: a delegation key (and the SAS signed with it) lasts at most 7 days.
inline constexpr std::chrono::hours kMaxDelegationKeyLife{24 * 7};

// The <KeyInfo> body of the request.
std::string key_info_xml(TimePoint start, TimePoint expiry);

// The <UserDelegationKey> reply; Errc::corrupt when a field is missing or Value is not base64.
Result<UserDelegationKey> parse_user_delegation_key(std::string_view xml);

// Asks the service for a key valid from start to expiry (at most 7 days after now).
Result<UserDelegationKey> get_user_delegation_key(const AzureClient& client, TimePoint start,
                                                  TimePoint expiry);

}  // namespace cpsync::azure
