// remotes/s3/credentials/provider.h — one source of AWS credentials (environment, a
// profile, a process, STS, the container or instance metadata endpoint) behind one small
// interface, and the credentials it returns with their expiry and a description of where
// they came from (for -vv and `config show`; never the secret).
// A provider is called by its CredentialCache only, one fetch() at a time; providers need
// not be thread-safe themselves.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/environment.h"
#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {

struct AwsCredentials {
  Credentials keys;
  std::optional<TimePoint> expiry;  // none: the keys do not expire
  // "environment", "profile 'dev' (static keys)", "assume role arn:...", ...: no secrets.
  std::string source;
  // Temporary (STS-issued) keys: a session token or an expiry. InvalidAccessKeyId on these
  // means "expired or revoked", so the cache refreshes them.
  bool temporary() const { return expiry.has_value() || !keys.session_token.empty(); }
  // "environment" or "instance metadata, role r, expires 2026-12-07T14:05:00Z".
  std::string describe() const;
  // Which key this is (the access key id): a refresh that returns the same one is no news.
  std::string identity() const { return keys.access_key_id; }
};

class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  // Fetches a fresh set of credentials. A failure is one line naming the provider and what
  // to fix (the cache prefixes the remote); Errc::access_denied for a refused or missing
  // identity and for malformed replies, Errc::transient when an endpoint did not answer.
  virtual Result<AwsCredentials> fetch() = 0;
  // Short name for messages: "environment", "container credentials", ...
  virtual std::string name() const = 0;
};

// Fixed keys (a remote's own access_key_id/secret_access_key); never refreshed.
class StaticProvider : public CredentialProvider {
 public:
  StaticProvider(Credentials c, std::string source) : c_{std::move(c), {}, std::move(source)} {}
  Result<AwsCredentials> fetch() override { return c_; }
  std::string name() const override { return c_.source; }

 private:
  AwsCredentials c_;
};

// The JSON the container endpoint, instance metadata and credential_process answer with:
// AccessKeyId, SecretAccessKey, Token or SessionToken, Expiration (ISO 8601). `what` names
// the provider in errors; a reply without both keys or with a bad Expiration is
// Errc::access_denied ("malformed reply").
Result<AwsCredentials> credentials_from_json(std::string_view body, std::string_view what);

}  // namespace cpsync::s3
