// remotes/oss/credentials/sts.h — Alibaba Cloud STS (RPC API, Version 2015-04-01) as
// providers: AssumeRole, signed with the base credentials (RPC signature version 1.0:
// HMAC-SHA1 over the percent-encoded, sorted parameters, keyed with "<secret>&"), and
// AssumeRoleWithOIDC (RRSA on ACK: unsigned, the OIDC token read from its file at every
// fetch). Endpoint: the remote's sts_endpoint, else CPSYNC_ALIBABA_STS_ENDPOINT, else
// https://sts[-vpc].<ALIBABA_CLOUD_STS_REGION>.aliyuncs.com (sts-vpc with
// ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED=true), else https://sts.aliyuncs.com, as the Alibaba
// Cloud credentials SDKs choose it. Not thread-safe (cache only); the signing functions are
// pure.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "remotes/oss/credentials/provider.h"

namespace cpsync::oss {

using RpcParams = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding as the RPC signature wants it (A-Z a-z 0-9 - _ . ~ kept).
std::string rpc_percent_encode(std::string_view s);
// METHOD&%2F&<encoded canonical query of params, sorted by name>.
std::string rpc_string_to_sign(std::string_view method, RpcParams params);
// base64(HMAC-SHA1(secret + "&", string to sign)).
std::string rpc_signature(std::string_view method, const RpcParams& params,
                          std::string_view secret);

// configured: the remote's sts_endpoint ("" = the variables); a bare host gets https://.
std::string sts_endpoint(std::string_view configured);

struct RoleSpec {
  std::string role_arn;
  std::string session_name;  // "" = ALIBABA_CLOUD_ROLE_SESSION_NAME, else cpsync-<unix time>
  std::string external_id;   // AssumeRole only; may be empty
  int duration_seconds = 3600;
};

// AssumeRole on top of whatever `base` supplies (fetched again at every refresh).
class AssumeRoleProvider : public CredentialProvider {
 public:
  AssumeRoleProvider(std::unique_ptr<CredentialProvider> base, RoleSpec role, std::string sts)
      : base_(std::move(base)), role_(std::move(role)), sts_(std::move(sts)) {}
  Result<OssCredentials> fetch() override;
  std::string name() const override { return "assume role " + role_.role_arn; }

 private:
  std::unique_ptr<CredentialProvider> base_;
  RoleSpec role_;
  std::string sts_;
};

// RRSA: ALIBABA_CLOUD_OIDC_TOKEN_FILE, ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_ROLE_ARN.
class OidcProvider : public CredentialProvider {
 public:
  // True when ALIBABA_CLOUD_OIDC_TOKEN_FILE is set.
  static bool configured();
  explicit OidcProvider(std::string sts);
  Result<OssCredentials> fetch() override;
  std::string name() const override {
    return "OIDC role (RRSA)" + (role_.role_arn.empty() ? "" : " " + role_.role_arn);
  }

 private:
  std::string token_file_;
  std::string provider_arn_;
  RoleSpec role_;
  std::string sts_;
};

}  // namespace cpsync::oss
