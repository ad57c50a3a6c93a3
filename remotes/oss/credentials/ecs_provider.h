// remotes/oss/credentials/ecs_provider.h — the ECS instance's RAM role from instance
// metadata, in security hardening mode: PUT /latest/api/token with
// X-aliyun-ecs-metadata-token-ttl-seconds: 21600, then GET
// /latest/meta-data/ram/security-credentials/ for the role name (unless the remote's
// ecs_role_name or ALIBABA_CLOUD_ECS_METADATA names it) and .../<role> for the keys, with
// X-aliyun-ecs-metadata-token. Like the Alibaba Cloud SDKs it goes on without a token (normal
// mode) when the token PUT fails, unless ALIBABA_CLOUD_IMDSV1_DISABLED=true.
// ALIBABA_CLOUD_ECS_METADATA_DISABLED=true turns it off. The SDKs hard-code the address
// (http://100.100.100.200); CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT overrides it (tests).
// 1 s timeouts, never through a proxy. Not thread-safe (cache only).
#pragma once

#include <chrono>
#include <optional>

#include "core/http.h"
#include "remotes/oss/credentials/provider.h"

namespace cpsync::oss {

class EcsRamRoleProvider : public CredentialProvider {
 public:
  static bool enabled();  // false when ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
  // role: the role's name; "" = ALIBABA_CLOUD_ECS_METADATA, else asked of the endpoint.
  explicit EcsRamRoleProvider(std::string role);
  Result<OssCredentials> fetch() override;
  std::string name() const override;

 private:
  // The session token, fetched or reused; nullopt = normal mode (the PUT failed).
  Result<std::optional<std::string>> token();
  Result<HttpResponse> get(const std::string& path, const std::optional<std::string>& token);

  std::string endpoint_;
  std::string role_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expiry_{};
};

}  // namespace cpsync::oss
