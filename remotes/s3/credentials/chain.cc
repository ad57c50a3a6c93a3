// remotes/s3/credentials/chain.cc — the credential chain (see chain.h).
#include "remotes/s3/credentials/chain.h"

#include "remotes/s3/credentials/container_provider.h"
#include "remotes/s3/credentials/env_provider.h"
#include "remotes/s3/credentials/imds_provider.h"
#include "remotes/s3/credentials/process_provider.h"
#include "remotes/s3/credentials/shared_files.h"
#include "remotes/s3/credentials/sts.h"

namespace cpsync::s3 {
namespace {

using ProviderPtr = std::unique_ptr<CredentialProvider>;

std::string profile_name(const ChainSettings& s) {
  if (!s.profile.empty()) return s.profile;
  std::string p = env_value("AWS_PROFILE");
  return p.empty() ? "default" : p;
}

RoleSpec role_of(const Profile& p) {
  RoleSpec r;
  r.role_arn = p.get("role_arn");
  r.session_name = p.get("role_session_name");
  r.external_id = p.get("external_id");
  if (std::string d = p.get("duration_seconds"); !d.empty()) {
    try {
      r.duration_seconds = std::stoi(d);
    } catch (...) {
      r.duration_seconds = 3600;
    }
  }
  return r;
}

Result<ProviderPtr> from_profile(const SharedFiles& files, const std::string& name,
                                 const std::string& region, int depth) {
  const std::string what = "profile '" + name + "'";
  if (depth > 4)
    return Status{Errc::invalid_argument, what + ": source_profile chain too deep (a loop?)"};
  CPSYNC_ASSIGN_OR_RETURN(std::optional<Profile> p, load_profile(files, name));
  if (!p)
    return Status{Errc::access_denied,
                  what + ": not found in '" + files.credentials + "' or '" + files.config + "'"};
  const std::string reg = p->get("region").empty() ? region : p->get("region");
  if (!p->get("role_arn").empty()) {
    RoleSpec role = role_of(*p);
    ProviderPtr base;
    const std::string src = p->get("source_profile");
    const std::string cs = p->get("credential_source");
    const std::string wif = p->get("web_identity_token_file");
    if (!src.empty()) {
      if (src == name) {
        Credentials k{p->get("aws_access_key_id"), p->get("aws_secret_access_key"),
                      p->get("aws_session_token")};
        if (k.access_key_id.empty())
          return Status{Errc::access_denied, what +
                                                 ": source_profile names itself but it has "
                                                 "no aws_access_key_id"};
        base = std::make_unique<StaticProvider>(k, what + " (static keys)");
      } else {
        CPSYNC_ASSIGN_OR_RETURN(base, from_profile(files, src, reg, depth + 1));
      }
    } else if (cs == "Environment") {
      base = std::make_unique<EnvProvider>();
    } else if (cs == "Ec2InstanceMetadata") {
      base = std::make_unique<ImdsProvider>();
    } else if (cs == "EcsContainer") {
      base = std::make_unique<ContainerProvider>();
    } else if (!cs.empty()) {
      return Status{Errc::invalid_argument,
                    what + ": credential_source '" + cs +
                        "' is not Environment, Ec2InstanceMetadata or EcsContainer"};
    } else if (!wif.empty()) {
      return ProviderPtr(std::make_unique<WebIdentityProvider>(wif, role, sts_endpoint(reg)));
    } else {
      return Status{Errc::invalid_argument,
                    what +
                        ": role_arn needs source_profile, credential_source or "
                        "web_identity_token_file"};
    }
    return ProviderPtr(
        std::make_unique<AssumeRoleProvider>(std::move(base), role, sts_endpoint(reg)));
  }
  if (std::string cmd = p->get("credential_process"); !cmd.empty())
    return ProviderPtr(std::make_unique<ProcessProvider>(cmd, name));
  if (!p->get("aws_access_key_id").empty()) {
    Credentials k{p->get("aws_access_key_id"), p->get("aws_secret_access_key"),
                  p->get("aws_session_token")};
    if (k.secret_access_key.empty())
      return Status{Errc::access_denied,
                    what + ": aws_access_key_id without aws_secret_access_key"};
    return ProviderPtr(std::make_unique<StaticProvider>(k, what + " (static keys)"));
  }
  return Status{Errc::access_denied,
                what +
                    ": no credentials in it (aws_access_key_id, credential_process or "
                    "role_arn)"};
}

bool has_credentials(const Profile& p) {
  for (const char* k : {"aws_access_key_id", "credential_process", "role_arn"})
    if (!p.get(k).empty()) return true;
  return false;
}

// The chain's choice, from variables and files only: the provider and where it came from
// ("environment", "shared profile 'x'", ...).
struct Chosen {
  ProviderPtr provider;
  std::string origin;
};

Result<Chosen> choose(const ChainSettings& s) {
  if (s.profile.empty() && EnvProvider::configured())
    return Chosen{std::make_unique<EnvProvider>(), "environment"};
  const SharedFiles files = shared_files(s.shared_credentials_file);
  const std::string name = profile_name(s);
  const bool named = !s.profile.empty() || !env_value("AWS_PROFILE").empty();
  CPSYNC_ASSIGN_OR_RETURN(std::optional<Profile> p, load_profile(files, name));
  if (named || (p && has_credentials(*p))) {
    CPSYNC_ASSIGN_OR_RETURN(ProviderPtr from, from_profile(files, name, s.region, 0));
    return Chosen{std::move(from), "shared profile '" + name + "'"};
  }
  if (std::string f = env_value("AWS_WEB_IDENTITY_TOKEN_FILE"); !f.empty()) {
    RoleSpec r;
    r.role_arn = env_value("AWS_ROLE_ARN");
    r.session_name = env_value("AWS_ROLE_SESSION_NAME");
    if (r.role_arn.empty())
      return Status{Errc::access_denied,
                    "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"};
    return Chosen{std::make_unique<WebIdentityProvider>(f, r, sts_endpoint(s.region)),
                  "web identity"};
  }
  if (ContainerProvider::configured())
    return Chosen{std::make_unique<ContainerProvider>(), "container"};
  if (ImdsProvider::enabled()) return Chosen{std::make_unique<ImdsProvider>(), "instance metadata"};
  return Status{Errc::access_denied,
                "the AWS chain: none found (env_auth = true, but AWS_ACCESS_KEY_ID is unset, "
                "profile '" +
                    name + "' has no credentials in '" + files.credentials + "' or '" +
                    files.config +
                    "', no web identity or container variables, and "
                    "AWS_EC2_METADATA_DISABLED=true)"};
}

// Picks the source at the first fetch; later fetches go to the same one.
class ChainProvider : public CredentialProvider {
 public:
  explicit ChainProvider(ChainSettings s) : s_(std::move(s)) {}
  std::string name() const override { return chosen_ ? chosen_->name() : "the AWS chain"; }
  Result<AwsCredentials> fetch() override {
    if (!chosen_) {
      auto c = choose(s_);
      if (!c.ok()) return c.status();
      chosen_ = std::move(c->provider);
    }
    return chosen_->fetch();
  }

 private:
  ChainSettings s_;
  ProviderPtr chosen_;
};

}  // namespace

std::unique_ptr<CredentialProvider> make_credential_provider(const ChainSettings& s) {
  ProviderPtr base;
  if (!s.keys.access_key_id.empty())
    base = std::make_unique<StaticProvider>(s.keys, "the remote's access_key_id");
  else
    base = std::make_unique<ChainProvider>(s);
  if (s.role_arn.empty()) return base;
  RoleSpec r;
  r.role_arn = s.role_arn;
  r.session_name = s.role_session_name;
  r.external_id = s.external_id;
  return std::make_unique<AssumeRoleProvider>(std::move(base), r, sts_endpoint(s.region));
}

std::string planned_source(const ChainSettings& s) {
  std::string d;
  if (!s.keys.access_key_id.empty()) {
    d = "static keys";
  } else {
    auto c = choose(s);
    if (!c.ok()) return "env_auth chain: none usable (" + c.status().message + ")";
    // The provider's own name, without what the origin already says.
    std::string detail = c->provider->name();
    if (detail.starts_with("profile '") && detail.ends_with("(static keys)"))
      detail = "static keys";
    d = "env_auth chain: " +
        (detail.starts_with(c->origin) ? detail : c->origin + " (" + detail + ")");
  }
  if (!s.role_arn.empty()) d += ", then assume role " + s.role_arn;
  return d;
}

std::string profile_region(const ChainSettings& s) {
  auto p = load_profile(shared_files(s.shared_credentials_file), profile_name(s));
  return p.ok() && *p ? (*p)->get("region") : "";
}

}  // namespace cpsync::s3
