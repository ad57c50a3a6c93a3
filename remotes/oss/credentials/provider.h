// remotes/oss/credentials/provider.h — one source of Alibaba Cloud credentials for OSS (the
// remote's keys, the environment, an ECS RAM role, RRSA's OIDC role, an assumed RAM role)
// behind one small interface, and what it returns: keys, the security token, the expiry and
// where they came from (for -vv and errors; never a secret).
// A provider is called by its CredentialCache only, one fetch() at a time; providers need not
// be thread-safe themselves.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "core/environment.h"
#include "core/status.h"
#include "core/time_format.h"
#include "remotes/oss/sign_common.h"

namespace cpsync::oss {

struct OssCredentials {
  Credentials keys;
  std::optional<TimePoint> expiry;  // none: the keys do not expire
  // "environment (OSS_ACCESS_KEY_ID)", "ECS RAM role cpsync-role", ...: no secrets.
  std::string source;
  // STS-issued keys (a security token or an expiry): InvalidAccessKeyId on these means
  // "expired or revoked", so the cache refreshes them.
  bool temporary() const { return expiry.has_value() || !keys.security_token.empty(); }
  // "ECS RAM role r, expires 2026-12-07T14:05:00Z".
  std::string describe() const;
  // The access key id: a refresh that returns the same one is no news.
  std::string identity() const { return keys.access_key_id; }
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // Fresh credentials, or one line naming the provider and what to fix (the cache prefixes
  // the remote): Errc::access_denied for a refused or missing identity and malformed
  // replies, Errc::transient when an endpoint did not answer.
  virtual Result<OssCredentials> fetch() = 0;
  // Short name for messages: "environment", "ECS RAM role", ...
  virtual std::string name() const = 0;
};

// Fixed keys (the remote's access_key_id / access_key_secret / session_token).
class StaticProvider : public CredentialProvider {
 public:
  StaticProvider(Credentials c, std::string source) : c_{std::move(c), {}, std::move(source)} {}
  Result<OssCredentials> fetch() override { return c_; }
  std::string name() const override { return c_.source; }

 private:
  OssCredentials c_;
};

// A variable from the environment (core/environment.h's env_value) is "true", in any case.
bool env_true(const char* name);

// The credentials object ECS metadata and STS answer with: AccessKeyId, AccessKeySecret,
// SecurityToken, Expiration (ISO 8601, UTC). A reply without the keys, the token or a valid
// Expiration is Errc::access_denied "<what>: malformed reply: ...".
Result<OssCredentials> credentials_from_json(const nlohmann::json& j, std::string_view what);

}  // namespace cpsync::oss
