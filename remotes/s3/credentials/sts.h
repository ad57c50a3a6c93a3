// remotes/s3/credentials/sts.h — AWS STS over its Query API: AssumeRole (SigV4-signed with
// base credentials) and AssumeRoleWithWebIdentity (unsigned, with a token read from a file
// at every fetch), as providers. Endpoint: AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL,
// else https://sts.<region>.amazonaws.com. Not thread-safe (called by a cache only).
#pragma once

#include <memory>
#include <string>

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

struct StsEndpoint {
  std::string url;     // "https://sts.us-east-1.amazonaws.com" (no trailing path)
  std::string region;  // the region the requests are signed for
};
// region: the remote's region (AWS_REGION when empty, then us-east-1).
StsEndpoint sts_endpoint(std::string_view region);

struct RoleSpec {
  std::string role_arn;
  std::string session_name;  // "" = "cpsync-<unix seconds>"
  std::string external_id;   // AssumeRole only; may be empty
  int duration_seconds = 3600;
};

// AssumeRole on top of whatever `base` supplies (fetched again at every refresh).
class AssumeRoleProvider : public CredentialProvider {
 public:
  AssumeRoleProvider(std::unique_ptr<CredentialProvider> base, RoleSpec role, StsEndpoint sts)
      : base_(std::move(base)), role_(std::move(role)), sts_(std::move(sts)) {}
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "assume role " + role_.role_arn; }

 private:
  std::unique_ptr<CredentialProvider> base_;
  RoleSpec role_;
  StsEndpoint sts_;
};

// AssumeRoleWithWebIdentity with the token in token_file (EKS IRSA and the like).
class WebIdentityProvider : public CredentialProvider {
 public:
  WebIdentityProvider(std::string token_file, RoleSpec role, StsEndpoint sts)
      : token_file_(std::move(token_file)), role_(std::move(role)), sts_(std::move(sts)) {}
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "web identity " + role_.role_arn; }

 private:
  std::string token_file_;
  RoleSpec role_;
  StsEndpoint sts_;
};

}  // namespace cpsync::s3
