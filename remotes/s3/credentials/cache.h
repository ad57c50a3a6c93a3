// remotes/s3/credentials/cache.h — the S3 remote's refreshing credentials: the shared
// CredentialCache (remotes/http/credential_cache.h) over AWS credential providers,
// refreshed 5 minutes ahead of expiry as the AWS SDKs do; and which refusals mean
// "expired or revoked". Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "remotes/http/credential_cache.h"
#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

using CredentialCache = http::CredentialCache<AwsCredentials, CredentialProvider>;
inline constexpr std::chrono::minutes kRefreshAhead{5};

// remote: the remote's name, for messages ("s3 remote 'aws': credentials from ...").
std::shared_ptr<CredentialCache> make_credential_cache(std::unique_ptr<CredentialProvider> provider,
                                                       const std::string& remote);

// True when a rejection means "these credentials expired or were revoked": ExpiredToken,
// InvalidToken, TokenRefreshRequired, RequestExpired (any 400/401/403), an "expired" 403,
// and InvalidAccessKeyId when the credentials were temporary.
bool rejected_as_expired(int http_status, std::string_view code, bool temporary);

}  // namespace cpsync::s3
