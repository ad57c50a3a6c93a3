// tests/unit/azure_options_test.cc — azureblob config keys to endpoint and credentials:
// account/key, sas_url (container and account SAS), emulator, env_auth, and the errors.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "remotes/azure/azure_options.h"
#include "remotes/azure/azure_remote.h"

using namespace cpsync;
using namespace cpsync::azure;

namespace {
ConfigSection sec(std::map<std::string, std::string> values) {
  ConfigSection s;
  s.name = "az";
  s.type = "azureblob";
  s.origin = "/tmp/cpsync.conf";
  s.values = std::move(values);
  return s;
}
const char* kKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

// Sets an environment variable for one scope.
struct ScopedEnv {
  std::string name;
  ScopedEnv(const char* n, const char* v) : name(n) { setenv(n, v, 1); }
  ~ScopedEnv() { unsetenv(name.c_str()); }
};
}  // namespace

TEST_CASE("azureblob options: account and key", "[azure]") {
  auto o = azure_options_from_section(sec({{"account", "acct"}, {"key", kKey}}));
  REQUIRE(o.ok());
  CHECK(o->mode == AuthMode::shared_key);
  CHECK(o->endpoint == "https://acct.blob.core.windows.net");
  CHECK(o->creds.account == "acct");
  CHECK(o->chunk_size == 4u << 20);
  CHECK(o->upload_cutoff == 256u << 20);

  auto suffix = azure_options_from_section(
      sec({{"account", "acct"}, {"key", kKey}, {"endpoint", "blob.core.chinacloudapi.cn"}}));
  REQUIRE(suffix.ok());
  CHECK(suffix->endpoint == "https://acct.blob.core.chinacloudapi.cn");

  auto bad = azure_options_from_section(sec({{"account", "acct"}, {"key", "not base64!"}}));
  CHECK(bad.status().code == Errc::invalid_argument);
  CHECK(bad.status().message.find("'az'") != std::string::npos);
  CHECK(bad.status().message.find("not base64!") == std::string::npos);  // no secret echoed
}

TEST_CASE("azureblob options: emulator", "[azure]") {
  auto o = azure_options_from_section(sec({{"use_emulator", "true"}}));
  REQUIRE(o.ok());
  CHECK(o->account == "devstoreaccount1");
  CHECK(o->endpoint == "http://127.0.0.1:10000/devstoreaccount1");
  CHECK(o->auth_source == "emulator");
  auto port = azure_options_from_section(
      sec({{"use_emulator", "true"}, {"endpoint", "http://127.0.0.1:4567/devstoreaccount1/"}}));
  REQUIRE(port.ok());
  CHECK(port->endpoint == "http://127.0.0.1:4567/devstoreaccount1");
}

TEST_CASE("azureblob options: sas_url of a container and of the account", "[azure]") {
  auto c = azure_options_from_section(sec(
      {{"sas_url", "https://acct.blob.core.windows.net/logs?sv=2021-08-06&sr=c&sp=rl&sig=x%3D"}}));
  REQUIRE(c.ok());
  CHECK(c->mode == AuthMode::sas);
  CHECK(c->endpoint == "https://acct.blob.core.windows.net");
  CHECK(c->account == "acct");
  CHECK(c->sas_container == "logs");
  CHECK(c->sas_token == "sv=2021-08-06&sr=c&sp=rl&sig=x%3D");

  auto emu = azure_options_from_section(
      sec({{"sas_url", "http://127.0.0.1:10000/devstoreaccount1/c1?sv=2021-08-06&sr=c&sig=y"}}));
  REQUIRE(emu.ok());
  CHECK(emu->endpoint == "http://127.0.0.1:10000/devstoreaccount1");
  CHECK(emu->account == "devstoreaccount1");
  CHECK(emu->sas_container == "c1");

  auto acct = azure_options_from_section(
      sec({{"sas_url", "https://acct.blob.core.windows.net/?sv=2021-08-06&ss=b&srt=sco&sig=z"}}));
  REQUIRE(acct.ok());
  CHECK(acct->endpoint == "https://acct.blob.core.windows.net");
  CHECK(acct->sas_container.empty());

  auto both = azure_options_from_section(
      sec({{"sas_url", "https://a.blob.core.windows.net/c?sr=c&sig=z"}, {"key", kKey}}));
  CHECK(both.status().code == Errc::invalid_argument);
  auto nosig = azure_options_from_section(sec({{"sas_url", "https://a.blob.core.windows.net/c"}}));
  CHECK(nosig.status().code == Errc::invalid_argument);
}

TEST_CASE("azureblob options: env_auth", "[azure]") {
  SECTION("connection string") {
    ScopedEnv cs("AZURE_STORAGE_CONNECTION_STRING",
                 "DefaultEndpointsProtocol=https;AccountName=envacct;AccountKey="
                 "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
                 "KBHBeksoGMGw==;EndpointSuffix=core.windows.net");
    auto o = azure_options_from_section(sec({{"env_auth", "true"}}));
    REQUIRE(o.ok());
    CHECK(o->mode == AuthMode::shared_key);
    CHECK(o->account == "envacct");
    CHECK(o->endpoint == "https://envacct.blob.core.windows.net");
  }
  SECTION("development storage") {
    ScopedEnv cs("AZURE_STORAGE_CONNECTION_STRING", "UseDevelopmentStorage=true");
    auto o = azure_options_from_section(sec({{"env_auth", "true"}}));
    REQUIRE(o.ok());
    CHECK(o->endpoint == "http://127.0.0.1:10000/devstoreaccount1");
  }
  SECTION("account and SAS token") {
    ScopedEnv a("AZURE_STORAGE_ACCOUNT", "envacct");
    ScopedEnv t("AZURE_STORAGE_SAS_TOKEN", "?sv=2021-08-06&ss=b&sig=q");
    auto o = azure_options_from_section(sec({{"env_auth", "true"}}));
    REQUIRE(o.ok());
    CHECK(o->mode == AuthMode::sas);
    CHECK(o->sas_token == "sv=2021-08-06&ss=b&sig=q");
    CHECK(o->endpoint == "https://envacct.blob.core.windows.net");
  }
  SECTION("nothing set") {
    unsetenv("AZURE_STORAGE_CONNECTION_STRING");
    unsetenv("AZURE_STORAGE_ACCOUNT");
    CHECK(azure_options_from_section(sec({{"env_auth", "true"}})).status().code ==
          Errc::invalid_argument);
  }
}

TEST_CASE("azureblob options: errors name the remote and the key", "[azure]") {
  auto none = azure_options_from_section(sec({}));
  CHECK(none.status().code == Errc::invalid_argument);
  CHECK(none.status().message.find("no credentials") != std::string::npos);
  auto unknown = azure_options_from_section(sec({{"acount", "x"}}));
  CHECK(unknown.status().code == Errc::invalid_argument);
  CHECK(unknown.status().message.find("acount") != std::string::npos);
  CHECK(azure_options_from_section(sec({{"account", "a"}, {"key", kKey}, {"chunk_size", "5G"}}))
            .status()
            .code == Errc::invalid_argument);
  CHECK(azure_options_from_section(sec({{"account", "a"}, {"key", kKey}, {"list_chunk", "0"}}))
            .status()
            .code == Errc::invalid_argument);
  CHECK(azure_options_from_section(sec({{"use_emulator", "maybe"}})).status().code ==
        Errc::invalid_argument);
}

TEST_CASE("azureblob remote: features and identity", "[azure]") {
  auto r = make_azure_remote(sec({{"account", "acct"}, {"key", kKey}}));
  REQUIRE(r.ok());
  const Features& f = (*r)->features();
  CHECK(f.server_side_copy);
  CHECK(f.metadata_in_listing);
  CHECK(f.presign);
  CHECK(f.parts.min_part == 1);
  CHECK(f.parts.max_part == 4000ull << 20);
  CHECK(f.parts.max_parts == 50000);
  CHECK(f.parts.max_object == 50000ull * (4000ull << 20));
  CHECK(f.parts.max_single_put == 5000ull << 20);  // Put Blob's limit
  CHECK(f.upload_cutoff == 256ull << 20);          // the upload_cutoff key (its default)
  CHECK(f.chunk_size == 4ull << 20);               // the chunk_size key (its default)
  CHECK((*r)->name() == "az");
  CHECK((*r)->endpoint_id() == "https://acct.blob.core.windows.net#acct");
  CHECK(f.part_check == PartCheck::crc64_nvme);  // part_checksum = auto
  CHECK(azure_option_schema().size() == 18);
  CHECK(f.copy_from_url);  // copy_from_url = auto: on for a virtual-hosted endpoint
  CHECK(f.max_put_from_url == 5000ull << 20);
  auto emu = make_azure_remote(sec({{"use_emulator", "true"}}));
  REQUIRE(emu.ok());
  CHECK_FALSE((*emu)->features().copy_from_url);  // path-style: the emulator fetches only itself
  auto forced = make_azure_remote(sec({{"use_emulator", "true"}, {"copy_from_url", "true"}}));
  REQUIRE(forced.ok());
  CHECK((*forced)->features().copy_from_url);
  CHECK(
      make_azure_remote(sec({{"use_emulator", "true"}, {"copy_from_url", "yes"}})).status().code ==
      Errc::invalid_argument);
  for (const auto& o : azure_option_schema())
    if (std::string(o.key) == "key" || std::string(o.key) == "sas_url" ||
        std::string(o.key) == "client_secret")
      CHECK(o.secret == Secret::yes);
}

TEST_CASE("azureblob options: Azure AD identities give bearer tokens over HTTPS only", "[azure]") {
  ScopedEnv no_tenant("AZURE_TENANT_ID", "");
  ScopedEnv no_client("AZURE_CLIENT_ID", "");
  ScopedEnv no_secret("AZURE_CLIENT_SECRET", "");
  ScopedEnv no_file("AZURE_FEDERATED_TOKEN_FILE", "");
  ScopedEnv no_endpoint("IDENTITY_ENDPOINT", "");
  auto sp = azure_options_from_section(sec(
      {{"account", "acct"}, {"tenant", "t1"}, {"client_id", "c1"}, {"client_secret", "s3cret"}}));
  REQUIRE(sp.ok());
  CHECK(sp->mode == AuthMode::bearer);
  CHECK(sp->auth_source == "client secret");
  CHECK(sp->identity.authority_host == "https://login.microsoftonline.com");
  CHECK(sp->endpoint == "https://acct.blob.core.windows.net");

  auto msi = azure_options_from_section(
      sec({{"account", "acct"}, {"use_msi", "true"}, {"msi_client_id", "u1"}}));
  REQUIRE(msi.ok());
  CHECK(msi->mode == AuthMode::bearer);
  CHECK(msi->auth_source == "managed identity (instance metadata)");
  CHECK(msi->identity.imds_host == "http://169.254.169.254");

  // env_auth with no storage key or SAS: the environment's identity (workload identity).
  ScopedEnv account("AZURE_STORAGE_ACCOUNT", "envacct");
  ScopedEnv tenant("AZURE_TENANT_ID", "t2");
  ScopedEnv client("AZURE_CLIENT_ID", "c2");
  ScopedEnv file("AZURE_FEDERATED_TOKEN_FILE", "/var/run/secrets/azure/tokens/token");
  auto wi = azure_options_from_section(sec({{"env_auth", "true"}}));
  REQUIRE(wi.ok());
  CHECK(wi->mode == AuthMode::bearer);
  CHECK(wi->auth_source == "workload identity");
  CHECK(wi->account == "envacct");

  auto plain = azure_options_from_section(
      sec({{"account", "acct"}, {"use_msi", "true"}, {"endpoint", "http://127.0.0.1:10000/acct"}}));
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.status().message.find("HTTPS only") != std::string::npos);
  auto half = azure_options_from_section(
      sec({{"account", "acct"}, {"client_id", "c1"}, {"client_secret", "s3cret"}}));
  REQUIRE_FALSE(half.ok());
  CHECK(half.status().message.find("needs tenant and client_id") != std::string::npos);
  CHECK(half.status().message.find("s3cret") == std::string::npos);
}
