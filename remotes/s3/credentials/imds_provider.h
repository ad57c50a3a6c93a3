// remotes/s3/credentials/imds_provider.h — EC2 instance metadata credentials, IMDSv2:
// PUT /latest/api/token (x-aws-ec2-metadata-token-ttl-seconds: 21600), then GET
// /latest/meta-data/iam/security-credentials/ for the role name and .../<role> for the
// keys, with x-aws-ec2-metadata-token. Falls back to IMDSv1 (no token) only when the token
// PUT is refused with 403/404/405 or times out (a hop limit of 1 behind a container), never
// when AWS_EC2_METADATA_V1_DISABLED=true. Endpoint AWS_EC2_METADATA_SERVICE_ENDPOINT (default
// http://169.254.169.254); 1 s timeouts, no proxy. Not thread-safe (called by a cache only).
#pragma once

#include <chrono>
#include <optional>

#include "remotes/s3/credentials/provider.h"

namespace cpsync::s3 {

class ImdsProvider : public CredentialProvider {
 public:
  // False when AWS_EC2_METADATA_DISABLED=true (the chain then stops before IMDS).
  static bool enabled();
  ImdsProvider();
  Result<AwsCredentials> fetch() override;
  std::string name() const override { return "instance metadata (" + endpoint_ + ")"; }

 private:
  // The session token, fetched or reused; nullopt = v1 (the PUT was refused).
  Result<std::optional<std::string>> token();
  Result<HttpResponse> get(const std::string& path, const std::optional<std::string>& token);

  std::string endpoint_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expiry_{};
};

}  // namespace cpsync::s3
