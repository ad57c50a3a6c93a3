// remotes/oss/credentials/chain.cc — the OSS credential chain (see chain.h).
#include "remotes/oss/credentials/chain.h"

#include "remotes/oss/credentials/ecs_provider.h"
#include "remotes/oss/credentials/env_provider.h"
#include "remotes/oss/credentials/sts.h"

namespace cpsync::oss {
namespace {

using ProviderPtr = std::unique_ptr<CredentialProvider>;

// The chain's choice, from variables only.
Result<ProviderPtr> choose(const ChainSettings& s) {
  const std::string sts = sts_endpoint(s.sts_endpoint);
  if (s.provider == "environment") return ProviderPtr(std::make_unique<EnvProvider>());
  if (s.provider == "oidc") return ProviderPtr(std::make_unique<OidcProvider>(sts));
  if (s.provider == "ecs_ram_role")
    return ProviderPtr(std::make_unique<EcsRamRoleProvider>(s.ecs_role_name));
  if (EnvProvider::configured()) return ProviderPtr(std::make_unique<EnvProvider>());
  if (OidcProvider::configured()) return ProviderPtr(std::make_unique<OidcProvider>(sts));
  if (EcsRamRoleProvider::enabled())
    return ProviderPtr(std::make_unique<EcsRamRoleProvider>(s.ecs_role_name));
  return Status{Errc::access_denied,
                "the Alibaba Cloud chain: none found (env_auth = true, but neither "
                "OSS_ACCESS_KEY_ID nor ALIBABA_CLOUD_ACCESS_KEY_ID is set, "
                "ALIBABA_CLOUD_OIDC_TOKEN_FILE is unset, and "
                "ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)"};
}

// Picks the source at the first fetch; later fetches go to the same one.
class ChainProvider : public CredentialProvider {
 public:
  explicit ChainProvider(ChainSettings s) : s_(std::move(s)) {}
  std::string name() const override {
    return chosen_ ? chosen_->name() : "the Alibaba Cloud chain";
  }
  Result<OssCredentials> fetch() override {
    if (!chosen_) {
      auto c = choose(s_);
      if (!c.ok()) return c.status();
      chosen_ = std::move(c).value();
    }
    return chosen_->fetch();
  }

 private:
  ChainSettings s_;
  ProviderPtr chosen_;
};

}  // namespace

bool valid_provider_choice(std::string_view p) {
  return p.empty() || p == "chain" || p == "environment" || p == "oidc" || p == "ecs_ram_role";
}

std::unique_ptr<CredentialProvider> make_credential_provider(const ChainSettings& s) {
  ProviderPtr base;
  if (!s.keys.access_key_id.empty()) {
    base = std::make_unique<StaticProvider>(s.keys, "the remote's access_key_id");
  } else {
    ChainSettings c = s;
    if (c.provider == "chain") c.provider.clear();
    base = std::make_unique<ChainProvider>(std::move(c));
  }
  if (s.role_arn.empty()) return base;
  RoleSpec r;
  r.role_arn = s.role_arn;
  r.session_name = s.role_session_name;
  r.external_id = s.external_id;
  return std::make_unique<AssumeRoleProvider>(std::move(base), r, sts_endpoint(s.sts_endpoint));
}

std::string planned_source(const ChainSettings& s) {
  std::string d;
  if (!s.keys.access_key_id.empty()) {
    d = "static keys";
  } else {
    ChainSettings c = s;
    if (c.provider == "chain") c.provider.clear();
    auto p = choose(c);
    if (!p.ok()) return "env_auth chain: none usable (" + p.status().message + ")";
    d = "env_auth chain: " + (*p)->name();
  }
  if (!s.role_arn.empty()) d += ", then assume role " + s.role_arn;
  return d;
}

std::shared_ptr<CredentialCache> make_credential_cache(std::unique_ptr<CredentialProvider> p,
                                                       const std::string& remote) {
  return std::make_shared<CredentialCache>(std::move(p), "oss remote '" + remote + "'",
                                           kRefreshAhead);
}

bool rejected_as_expired(int http_status, std::string_view code, bool temporary) {
  if (http_status != 400 && http_status != 401 && http_status != 403) return false;
  if (code == "SecurityTokenExpired") return true;
  return temporary && (code == "InvalidSecurityToken" || code == "InvalidAccessKeyId");
}

}  // namespace cpsync::oss
