// remotes/oss/credentials/chain.h — which provider supplies an OSS remote's credentials, in
// the Alibaba Cloud credentials SDKs' order, the remote's own role on top, and the
// refreshing cache every request signs with:
//   keys in the remote          -> static keys (no chain)
//   env_auth = true, no keys    -> the first configured of
//     1. environment (OSS_ACCESS_KEY_ID..., else ALIBABA_CLOUD_ACCESS_KEY_ID...)
//     2. OIDC role, RRSA on ACK (ALIBABA_CLOUD_OIDC_TOKEN_FILE + _OIDC_PROVIDER_ARN + _ROLE_ARN)
//     3. the ECS instance's RAM role (unless ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)
//   credential_provider = environment | oidc | ecs_ram_role -> that one only
//   role_arn in the remote      -> STS AssumeRole on top of the above.
// The choice is made at the first fetch (variables only), so building a remote sends
// nothing and a bad setup shows on first use. Credentials are refreshed 3 minutes before
// they expire (the SDKs' 180 s). Thread-safe through the cache.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "remotes/http/credential_cache.h"
#include "remotes/oss/credentials/provider.h"

namespace cpsync::oss {

struct ChainSettings {
  Credentials keys;           // the remote's own keys; empty = the chain
  std::string provider;       // "" (the chain), "environment", "oidc", "ecs_ram_role"
  std::string ecs_role_name;  // "" = ALIBABA_CLOUD_ECS_METADATA, else discovered
  std::string sts_endpoint;   // "" = the variables (sts.h)
  std::string role_arn, role_session_name, external_id;
};

// The provider values the remote's credential_provider key accepts.
bool valid_provider_choice(std::string_view p);

std::unique_ptr<CredentialProvider> make_credential_provider(const ChainSettings& s);

// What make_credential_provider would use, decided as its first fetch decides (variables
// only, no request): "static keys", "env_auth chain: environment", "env_auth chain: OIDC
// role (RRSA) <arn>", "env_auth chain: ECS RAM role <name> (<endpoint>)", with ", then
// assume role <arn>" for the remote's role_arn; "env_auth chain: none usable (<why>)".
std::string planned_source(const ChainSettings& s);

using CredentialCache = http::CredentialCache<OssCredentials, CredentialProvider>;
inline constexpr std::chrono::minutes kRefreshAhead{3};

// remote: the remote's name, for messages ("oss remote 'oss': credentials from ...").
std::shared_ptr<CredentialCache> make_credential_cache(std::unique_ptr<CredentialProvider> p,
                                                       const std::string& remote);

// True when OSS refused a request because its credentials expired or were revoked:
// SecurityTokenExpired, InvalidSecurityToken, and InvalidAccessKeyId on temporary keys.
bool rejected_as_expired(int http_status, std::string_view code, bool temporary);

}  // namespace cpsync::oss
