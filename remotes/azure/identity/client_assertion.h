// remotes/azure/identity/client_assertion.h — the signed JWT a service principal with a
// certificate sends to Microsoft Entra ID instead of a secret (client_assertion_type
// urn:ietf:params:oauth:client-assertion-type:jwt-bearer), shaped as MSAL and the Azure SDKs
// make it: header {alg RS256, typ JWT, x5t (the certificate's SHA-1 thumbprint, base64url),
// kid (the same in hex)}, claims {aud (the token endpoint), iss = sub = client id, jti,
// nbf, exp = nbf + 10 minutes}. Pure: the clock and jti are arguments. Safe from any thread.
#pragma once

#include <string>

#include "core/pem_signing_key.h"
#include "core/time_format.h"

namespace cpsync::azure {

inline constexpr int kAssertionLifetimeSeconds = 600;

// The compact JWS (header.claims.signature).
Result<std::string> client_assertion(const PemSigningKey& key, const std::string& client_id,
                                     const std::string& token_endpoint, TimePoint now,
                                     const std::string& jti);

// A random UUID (version 4) for jti.
std::string random_jti();

}  // namespace cpsync::azure
