// remotes/s3/credentials/env_provider.h — credentials from AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, read at each fetch. Not thread-safe
// (called by its cache only).
#pragma once

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

class EnvProvider : public CredentialProvider {
 public:
  // True when AWS_ACCESS_KEY_ID is set (the chain then picks this provider).
  static bool configured();
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "environment"; }
};

}  // namespace cpsync::s3
