// remotes/s3/credentials/container_provider.h — ECS, Fargate, AWS Batch and EKS Pod Identity
// credentials: GET AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on http://169.254.170.2) or
// AWS_CONTAINER_CREDENTIALS_FULL_URI (HTTPS, or http to a loopback address, 169.254.170.2,
// 169.254.170.23 or [fd00:ec2::23], as the SDKs require), with the Authorization header
// from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read at every fetch) or
// AWS_CONTAINER_AUTHORIZATION_TOKEN. 2 s timeout, no proxy. Not thread-safe (cache only).
#pragma once

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

class ContainerProvider : public CredentialProvider {
 public:
  // True when either URI variable is set.
  static bool configured();
  // For a FULL_URI: "" when allowed, else why not.
  static std::string check_full_uri(std::string_view uri);
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "container credentials"; }
};

}  // namespace cpsync::s3
