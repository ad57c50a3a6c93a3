// remotes/s3/credentials/cache.cc — see cache.h.
#include "remotes/s3/credentials/cache.h"

namespace cpsync::s3 {

std::shared_ptr<CredentialCache> make_credential_cache(std::unique_ptr<CredentialProvider> provider,
                                                       const std::string& remote) {
  return std::make_shared<CredentialCache>(std::move(provider), "s3 remote '" + remote + "'",
                                           kRefreshAhead);
}

bool rejected_as_expired(int http_status, std::string_view code, bool temporary) {
  if (http_status != 400 && http_status != 401 && http_status != 403) return false;
  if (code == "ExpiredToken" || code == "InvalidToken" || code == "TokenRefreshRequired" ||
      code == "RequestExpired" || code == "ExpiredTokenException")
    return true;
  return temporary && code == "InvalidAccessKeyId";
}

}  // namespace cpsync::s3
