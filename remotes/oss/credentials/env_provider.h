// remotes/oss/credentials/env_provider.h — credentials from the environment, read at each
// fetch: OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET, OSS_SESSION_TOKEN (ossutil and the OSS
// SDKs), else ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
// ALIBABA_CLOUD_SECURITY_TOKEN (the Alibaba Cloud credentials SDKs). Not thread-safe (cache
// only).
#pragma once

#include "remotes/oss/credentials/provider.h"

namespace cpsync::oss {

class EnvProvider : public CredentialProvider {
 public:
  // True when OSS_ACCESS_KEY_ID or ALIBABA_CLOUD_ACCESS_KEY_ID is set.
  static bool configured();
  Result<OssCredentials> fetch() override;
  std::string name() const override { return "environment"; }
};

}  // namespace cpsync::oss
