// remotes/s3/credentials/chain.h — which provider supplies a remote's credentials, in the
// AWS SDKs' order, and the remote's own role on top:
//   keys in the remote            -> static keys (no chain)
//   env_auth = true, no keys      -> the first configured of
//     1. environment (AWS_ACCESS_KEY_ID; skipped when the remote names a `profile`)
//     2. shared files: the remote's `profile`, else AWS_PROFILE, else "default" (static
//        keys, credential_process, role_arn with source_profile / credential_source /
//        web_identity_token_file)
//     3. web identity (AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN)
//     4. container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI / _FULL_URI)
//     5. instance metadata (unless AWS_EC2_METADATA_DISABLED=true)
//   role_arn in the remote        -> AssumeRole on top of the above.
// The choice is made at the first fetch (reading variables and files only), so building a
// remote sends nothing and a bad setup shows on first use. Not thread-safe (cache only).
#pragma once

#include <memory>
#include <string>

#include "remotes/s3/credentials/cache.h"
#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

struct ChainSettings {
  std::string remote;
  std::string region;  // the remote's region (signs STS requests)
  Credentials keys;    // the remote's own keys; empty = the chain
  std::string profile;
  std::string shared_credentials_file;
  std::string role_arn, role_session_name, external_id;
};

// The provider for these settings (the keys, the chain, the role on top).
std::unique_ptr<CredentialProvider> make_credential_provider(const ChainSettings& s);

// What make_credential_provider would use, decided as its first fetch decides (variables
// and files only, no request): "static keys", "env_auth chain: environment", "env_auth
// chain: shared profile 'x' (static keys)" (or credential_process, assume role ...),
// "env_auth chain: web identity arn:...", "env_auth chain: container credentials",
// "env_auth chain: instance metadata (http://...)", with ", then assume role <arn>" for the
// remote's role_arn; "env_auth chain: none usable (<why>)" when the fetch would fail.
// No secret in it.
std::string planned_source(const ChainSettings& s);

// The region of the profile the chain would read ("" when none or unreadable), for a
// remote with env_auth and no region.
std::string profile_region(const ChainSettings& s);

}  // namespace cpsync::s3
