// remotes/azure/identity/token.h — an Azure AD (Entra ID) access token for Azure Storage,
// the interface of the places one comes from (a service principal's secret, a federated
// token file, the VM's or the App Service's managed identity) and the refreshing cache
// of one remote (remotes/http/credential_cache.h). A provider is called by its cache
// only, one fetch at a time: providers need not be thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time_format.h"
#include "remotes/http/credential_cache.h"

namespace cpsync::azure {

// What every token request asks for: access to Azure Storage.
inline constexpr const char* kStorageResource = "https://storage.azure.com";
inline constexpr const char* kStorageScope = "https://storage.azure.com/.default";

struct AccessToken {
  std::string token;  // the bearer token; never printed
  std::optional<TimePoint> expiry;
  // "client secret (tenant t, client c)", "managed identity", ...: no secrets.
  std::string source;
  // "client secret (...), expires 2026-12-07T14:05:00Z".
  std::string describe() const;
  // A digest of the token: a refresh that returns the same token is no news.
  std::string identity() const;
};

class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  // A fresh token. A failure is one line naming the provider and what to fix:
  // Errc::access_denied for a refused or missing identity and malformed replies,
  // Errc::transient when the endpoint did not answer.
  virtual Result<AccessToken> fetch() = 0;
  virtual std::string name() const = 0;
};

using TokenCache = http::CredentialCache<AccessToken, TokenProvider>;
// As the Azure SDKs do: refresh when less than 2 minutes remain.
inline constexpr std::chrono::minutes kTokenRefreshAhead{2};

}  // namespace cpsync::azure
