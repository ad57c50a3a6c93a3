// tests/unit/credential_source_test.cc — the planned credential source of each backend
// (what `config show` prints), through the registry: S3's chain in the SDKs' order, Azure's
// key / SAS / token identities and OSS's chain, decided from config, variables and files
// without a request, and never holding a secret.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include <unistd.h>

#include "remotes/registry.h"

using namespace cpsync;

namespace {

// Sets (or unsets, with nullptr) a variable for one scope and restores it after.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~EnvGuard() {
    if (old_)
      setenv(name_.c_str(), old_->c_str(), 1);
    else
      unsetenv(name_.c_str());
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// Every variable the chains read, unset, and the shared files pointed at a scratch dir.
struct CleanEnv {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("cpsync-credsrc-" + std::to_string(::getpid()));
  std::vector<std::unique_ptr<EnvGuard>> guards;
  CleanEnv() {
    std::filesystem::create_directories(dir);
    for (const char* v : {"AWS_ACCESS_KEY_ID",
                          "AWS_SECRET_ACCESS_KEY",
                          "AWS_SESSION_TOKEN",
                          "AWS_PROFILE",
                          "AWS_WEB_IDENTITY_TOKEN_FILE",
                          "AWS_ROLE_ARN",
                          "AWS_ROLE_SESSION_NAME",
                          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                          "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                          "AWS_EC2_METADATA_DISABLED",
                          "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                          "AWS_REGION",
                          "AWS_DEFAULT_REGION",
                          "AZURE_TENANT_ID",
                          "AZURE_CLIENT_ID",
                          "AZURE_CLIENT_SECRET",
                          "AZURE_CLIENT_CERTIFICATE_PATH",
                          "AZURE_FEDERATED_TOKEN_FILE",
                          "AZURE_STORAGE_ACCOUNT",
                          "AZURE_STORAGE_KEY",
                          "AZURE_STORAGE_SAS_TOKEN",
                          "AZURE_STORAGE_CONNECTION_STRING",
                          "AZURE_POD_IDENTITY_AUTHORITY_HOST",
                          "IDENTITY_ENDPOINT",
                          "IDENTITY_HEADER",
                          "OSS_ACCESS_KEY_ID",
                          "OSS_ACCESS_KEY_SECRET",
                          "ALIBABA_CLOUD_ACCESS_KEY_ID",
                          "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                          "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                          "ALIBABA_CLOUD_ROLE_ARN",
                          "ALIBABA_CLOUD_ECS_METADATA",
                          "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
                          "CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT"})
      guards.push_back(std::make_unique<EnvGuard>(v, nullptr));
    set("AWS_CONFIG_FILE", (dir / "config").c_str());
    set("AWS_SHARED_CREDENTIALS_FILE", (dir / "credentials").c_str());
  }
  ~CleanEnv() {
    guards.clear();
    std::filesystem::remove_all(dir);
  }
  void set(const char* name, const char* value) {
    guards.push_back(std::make_unique<EnvGuard>(name, value));
  }
  void write(const char* file, const std::string& text) { std::ofstream(dir / file) << text; }
};

std::string source(const char* type, std::map<std::string, std::string> values) {
  ConfigSection s;
  s.name = "r";
  s.type = type;
  s.origin = "/tmp/cpsync.conf";
  s.values = std::move(values);
  const BackendEntry* b = builtin_remotes().find(type);
  REQUIRE(b);
  REQUIRE(b->credential_source);
  auto r = b->credential_source(s);
  if (!r.ok()) return "error: " + r.status().message;
  return *r;
}

const char* kAzKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

}  // namespace

TEST_CASE("s3 credential source follows the chain's order", "[credsrc]") {
  CleanEnv env;
  const std::map<std::string, std::string> chain{{"env_auth", "true"}};
  CHECK(source("s3", {{"access_key_id", "AKID"}, {"secret_access_key", "SHH"}}) == "static keys");
  CHECK(source("s3", {}) == "anonymous (unsigned requests)");
  CHECK(source("s3", {{"access_key_id", "AKID"},
                      {"secret_access_key", "SHH"},
                      {"role_arn", "arn:aws:iam::1:role/x"}}) ==
        "static keys, then assume role arn:aws:iam::1:role/x");

  // Nothing set: the last link, instance metadata (at its override).
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");
  CHECK(source("s3", chain) == "env_auth chain: instance metadata (http://127.0.0.1:1)");
  // Container before instance metadata.
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:2/creds");
  CHECK(source("s3", chain) == "env_auth chain: container credentials");
  // Web identity before the container.
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token");
  env.set("AWS_ROLE_ARN", "arn:aws:iam::1:role/irsa");
  CHECK(source("s3", chain) == "env_auth chain: web identity arn:aws:iam::1:role/irsa");
  // A default profile with keys before web identity.
  env.write("credentials", "[default]\naws_access_key_id = AKIDP\naws_secret_access_key = PSHH\n");
  CHECK(source("s3", chain) == "env_auth chain: shared profile 'default' (static keys)");
  // A named profile: its role on top of its source profile.
  env.write("config",
            "[profile p]\nrole_arn = arn:aws:iam::1:role/p\nsource_profile = default\n"
            "[profile proc]\ncredential_process = /bin/false\n");
  CHECK(source("s3", {{"env_auth", "true"}, {"profile", "p"}}) ==
        "env_auth chain: shared profile 'p' (assume role arn:aws:iam::1:role/p)");
  CHECK(source("s3", {{"env_auth", "true"}, {"profile", "proc"}}) ==
        "env_auth chain: shared profile 'proc' (credential_process of profile 'proc')");
  // The environment before everything, and the remote's role on top.
  env.set("AWS_ACCESS_KEY_ID", "AKIDE");
  env.set("AWS_SECRET_ACCESS_KEY", "ESHH");
  CHECK(source("s3", chain) == "env_auth chain: environment");
  CHECK(source("s3", {{"env_auth", "true"}, {"role_arn", "arn:aws:iam::2:role/y"}}) ==
        "env_auth chain: environment, then assume role arn:aws:iam::2:role/y");
  // A named profile drops the environment, as botocore does.
  CHECK(source("s3", {{"env_auth", "true"}, {"profile", "proc"}}) ==
        "env_auth chain: shared profile 'proc' (credential_process of profile 'proc')");
  // A named profile that is not there: why, in the line.
  CHECK(source("s3", {{"env_auth", "true"}, {"profile", "gone"}})
            .starts_with("env_auth chain: none usable (profile 'gone': not found"));
  // No secret from the files or the environment in any of it.
  for (const char* p : {"default", "p", "proc"}) {
    const std::string d = source("s3", {{"env_auth", "true"}, {"profile", p}});
    CHECK(d.find("PSHH") == std::string::npos);
    CHECK(d.find("ESHH") == std::string::npos);
  }
}

TEST_CASE("s3 credential source: nothing configured is named, not fetched", "[credsrc]") {
  CleanEnv env;
  env.set("AWS_EC2_METADATA_DISABLED", "true");
  CHECK(source("s3", {{"env_auth", "true"}})
            .starts_with("env_auth chain: none usable (the AWS chain: none found"));
}

TEST_CASE("azure credential source names the key, SAS or identity", "[credsrc]") {
  CleanEnv env;
  CHECK(source("azureblob", {{"account", "acct"}, {"key", kAzKey}}) == "shared key (account/key)");
  CHECK(source("azureblob",
               {{"sas_url", "https://acct.blob.core.windows.net/c?sv=2021-08-06&sig=SHH"}}) ==
        "SAS (sas_url)");
  CHECK(source("azureblob", {{"account", "acct"}}) == "anonymous (public containers only)");
  CHECK(
      source(
          "azureblob",
          {{"account", "acct"}, {"tenant", "t1"}, {"client_id", "c1"}, {"client_secret", "SHH"}}) ==
      "service principal (secret), tenant t1, client c1");
  CHECK(source("azureblob", {{"account", "acct"}, {"use_msi", "true"}}) ==
        "managed identity (instance metadata http://169.254.169.254)");
  CHECK(source("azureblob", {{"account", "acct"}, {"use_msi", "true"}, {"msi_client_id", "uai"}}) ==
        "managed identity (instance metadata http://169.254.169.254), client uai");

  const std::map<std::string, std::string> chain{{"account", "acct"}, {"env_auth", "true"}};
  env.set("AZURE_STORAGE_KEY", kAzKey);
  CHECK(source("azureblob", chain) == "shared key (env_auth (AZURE_STORAGE_KEY))");
  env.set("AZURE_STORAGE_KEY", nullptr);
  env.set("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:3");
  CHECK(source("azureblob", chain) == "managed identity (instance metadata http://127.0.0.1:3)");
  env.set("IDENTITY_ENDPOINT", "http://127.0.0.1:4/msi/token");
  env.set("IDENTITY_HEADER", "HEADERSHH");
  CHECK(source("azureblob", chain) ==
        "managed identity (IDENTITY_ENDPOINT http://127.0.0.1:4/msi/token)");
  env.set("AZURE_TENANT_ID", "t2");
  env.set("AZURE_CLIENT_ID", "c2");
  // A client id alone names a user-assigned managed identity.
  CHECK(source("azureblob", chain) ==
        "managed identity (IDENTITY_ENDPOINT http://127.0.0.1:4/msi/token), client c2");
  env.set("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/token");
  CHECK(source("azureblob", chain) ==
        "workload identity, tenant t2, client c2, token file /var/run/secrets/azure/tokens/token");
  env.set("AZURE_CLIENT_SECRET", "SPSHH");
  CHECK(source("azureblob", chain) == "service principal (secret), tenant t2, client c2");
  // use_msi skips the service principal forms.
  CHECK(source("azureblob", {{"account", "acct"}, {"use_msi", "true"}}) ==
        "managed identity (IDENTITY_ENDPOINT http://127.0.0.1:4/msi/token), client c2");
  // A section the factory refuses is refused the same way.
  CHECK(source("azureblob", {{"env_auth", "true"}}).starts_with("error: "));
}

TEST_CASE("oss credential source follows the chain's order", "[credsrc]") {
  CleanEnv env;
  const std::map<std::string, std::string> base{{"endpoint", "http://127.0.0.1:9"},
                                                {"region", "cn-hangzhou"}};
  auto with = [&](std::map<std::string, std::string> more) {
    more.insert(base.begin(), base.end());
    return more;
  };
  CHECK(source("oss", with({{"access_key_id", "LTAI"}, {"access_key_secret", "SHH"}})) ==
        "static keys");
  env.set("CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT", "http://127.0.0.1:5");
  env.set("ALIBABA_CLOUD_ECS_METADATA", "ramrole");
  CHECK(source("oss", with({{"env_auth", "true"}})) ==
        "env_auth chain: ECS RAM role ramrole (http://127.0.0.1:5)");
  env.set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", "/var/run/oidc");
  env.set("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/r");
  CHECK(source("oss", with({{"env_auth", "true"}})) ==
        "env_auth chain: OIDC role (RRSA) acs:ram::1:role/r");
  env.set("OSS_ACCESS_KEY_ID", "LTAIE");
  env.set("OSS_ACCESS_KEY_SECRET", "ESHH");
  CHECK(source("oss", with({{"env_auth", "true"}, {"role_arn", "acs:ram::1:role/top"}})) ==
        "env_auth chain: environment, then assume role acs:ram::1:role/top");
}
