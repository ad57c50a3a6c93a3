// remotes/s3/credentials/process_provider.h — a profile's credential_process: runs the
// command through /bin/sh at each fetch and reads its JSON (Version 1, AccessKeyId,
// SecretAccessKey, SessionToken, Expiration) from stdout; its stderr passes through.
// Not thread-safe (called by its cache only).
#pragma once

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

class ProcessProvider : public CredentialProvider {
 public:
  ProcessProvider(std::string command, std::string profile)
      : command_(std::move(command)), profile_(std::move(profile)) {}
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "credential_process of profile '" + profile_ + "'"; }

 private:
  std::string command_;
  std::string profile_;
};

}  // namespace cpsync::s3
