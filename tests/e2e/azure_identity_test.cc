// tests/e2e/azure_identity_test.cc — Azure remotes without a key or SAS: cpsync takes an
// Azure AD token from a service principal's secret or certificate (a client assertion the
// peer verifies against the registered certificate), a workload identity's federated token
// file (AKS), the VM's instance metadata or the App Service identity endpoint (the token
// endpoints of tests/peers/imds, which mint JWTs), and Azurite in OAuth mode over HTTPS
// (tests/peers/azurite-oauth) checks each token on every request. Short-lived tokens are
// refreshed within a run; a refused identity is one line naming the provider, exit 7;
// no secret or token appears in the output at -vv. Copies from a token-authenticated source
// to another account (Azurite's, through tests/peers/azurite-front) are server-side, from
// user delegation SAS URLs signed with one cached key.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <string>

#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/s3_credentials_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// Hides the developer's Azure identity variables and trusts the test CA, for one scope.
struct AzureIdentityEnv : ScopedAwsEnv {
  AzureIdentityEnv() {
    for (const char* v :
         {"AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_FEDERATED_TOKEN_FILE",
          "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
          "AZURE_AUTHORITY_HOST", "AZURE_POD_IDENTITY_AUTHORITY_HOST", "IDENTITY_ENDPOINT",
          "IDENTITY_HEADER", "AZURE_STORAGE_CONNECTION_STRING", "AZURE_STORAGE_KEY",
          "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_ACCOUNT"})
      unset(v);
    set("CURL_CA_BUNDLE", peer_env("azurite-oauth")["AZURE_OAUTH_CA"]);
    set("AZURE_AUTHORITY_HOST", peer_env("imds")["IMDS_HTTPS_ENDPOINT"]);
    set("AZURE_POD_IDENTITY_AUTHORITY_HOST", peer_env("imds")["IMDS_ENDPOINT"]);
  }
};

std::string oauth_section(const std::string& name, const std::string& keys) {
  auto e = peer_env("azurite-oauth");
  return "[" + name + "]\ntype = azureblob\naccount = " + e["AZURE_OAUTH_ACCOUNT"] +
         "\nendpoint = " + e["AZURE_OAUTH_ENDPOINT"] + "\n" + keys + "\n";
}

// A local tree of n files.
void make_tree(const TempDir& dir, int n) {
  for (int i = 0; i < n; ++i)
    write_file_text(dir / ("f" + std::to_string(i) + ".bin"), random_bytes(3000 + i, i));
}

// A self-signed RSA certificate and its key, made by the openssl command: cert.pem (the
// certificate alone) and both.pem (key and certificate, as AZURE_CLIENT_CERTIFICATE_PATH
// wants them) in dir/prefix-*.
void make_certificate(const TempDir& dir, const std::string& prefix) {
  const std::string p = dir / prefix;
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -keyout '" + p +
                          "-key.pem' -out '" + p + "-cert.pem' -subj /CN=cpsync-test -days 2 " +
                          ">/dev/null 2>&1 && cat '" + p + "-key.pem' '" + p + "-cert.pem' > '" +
                          p + "-both.pem'";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

// GET url with curl (the test CA trusted through CURL_CA_BUNDLE); the HTTP status, the body
// in *body.
int curl_status(const std::string& url, std::string* body) {
  FILE* p = ::popen(("curl -s --max-time 30 -w '\\n%{http_code}' '" + url + "'").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  const auto nl = out.rfind('\n');
  if (nl == std::string::npos) return 0;
  *body = out.substr(0, nl);
  return std::atoi(out.c_str() + nl + 1);
}

int stat_of(const char* name) {
  return imds_stats()[name].get<int>();
}

// Empties and removes a container; the exit code of the last step.
int remove_container(const std::string& config, const std::string& spec) {
  const int emptied = run_cpsync(config, {"delete", spec}).code;
  return emptied != 0 ? emptied : run_cpsync(config, {"rmdir", spec}).code;
}

}  // namespace

TEST_CASE("azure identities: each token provider authenticates against Azurite's OAuth",
          "[azidentity]") {
  AzureIdentityEnv env;
  auto imds = peer_env("imds");
  imds_control({{"resetStats", true}, {"azure", {{"mode", "ok"}, {"tokenLifetime", 3600}}}});
  TempDir dir;
  TempDir src;
  make_tree(src, 5);
  const std::string secret = imds["IMDS_AZURE_CLIENT_SECRET"];
  const std::string token_file = dir / "federated-token";
  write_file_text(token_file, imds["IMDS_AZURE_FEDERATED_TOKEN"] + "\n");
  const std::string config = write_config(
      dir,
      oauth_section("sp", "tenant = " + imds["IMDS_AZURE_TENANT_ID"] + "\nclient_id = " +
                              imds["IMDS_AZURE_CLIENT_ID"] + "\nclient_secret = " + secret) +
          oauth_section("vm", "use_msi = true") +
          oauth_section("uami",
                        "use_msi = true\nmsi_client_id = " + imds["IMDS_AZURE_MI_CLIENT_ID"]) +
          oauth_section("nobody",
                        "use_msi = true\nmsi_client_id = 00000000-0000-0000-0000-000000000000") +
          oauth_section("env", "env_auth = true"));
  const std::string container = unique_bucket("azid");

  SECTION("a service principal's secret: mkdir, copy, check, at -vv without the secret") {
    auto mk = run_cpsync(config, {"mkdir", "sp:" + container});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    auto cp = run_cpsync(config, {"copy", src.path(), "sp:" + container + "/d", "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(cp.err.find(secret) == std::string::npos);
    CHECK(cp.err.find("eyJ") == std::string::npos);  // no JWT
    CHECK(cp.err.find("client secret (tenant " + imds["IMDS_AZURE_TENANT_ID"]) !=
          std::string::npos);
    auto check = run_cpsync(config, {"check", src.path(), "sp:" + container + "/d"});
    INFO(check.err);
    CHECK(check.code == 0);
    // Copy Blob within the account: the source is read with the same token.
    auto ssc = run_cpsync(
        config, {"copyto", "sp:" + container + "/d/f1.bin", "sp:" + container + "/e/f1.bin", "-v"});
    INFO(ssc.err);
    CHECK(ssc.code == 0);
    auto cat = run_cpsync(config, {"cat", "sp:" + container + "/e/f1.bin"});
    CHECK(cat.out == random_bytes(3001, 1));
    CHECK(stat_of("azure_client_secret") >= 2);  // one token per process
    CHECK(remove_container(config, "sp:" + container) == 0);
  }

  SECTION("workload identity: the federated token file, re-read at each token request") {
    env.set("AZURE_STORAGE_ACCOUNT", peer_env("azurite-oauth")["AZURE_OAUTH_ACCOUNT"]);
    env.set("AZURE_TENANT_ID", imds["IMDS_AZURE_TENANT_ID"]);
    env.set("AZURE_CLIENT_ID", imds["IMDS_AZURE_CLIENT_ID"]);
    env.set("AZURE_FEDERATED_TOKEN_FILE", token_file);
    auto mk = run_cpsync(config, {"mkdir", "env:" + container});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    CHECK(stat_of("azure_client_assertion") == 1);
    // The projected token rotated to one the authority no longer accepts.
    write_file_text(token_file, "an-expired-projected-token\n");
    auto ls = run_cpsync(config, {"ls", "env:" + container});
    CHECK(ls.code == 7);
    CHECK(ls.err.find("workload identity") != std::string::npos);
    CHECK(ls.err.find("an-expired-projected-token") == std::string::npos);
    CHECK(std::count(ls.err.begin(), ls.err.end(), '\n') == 1);
    write_file_text(token_file, imds["IMDS_AZURE_FEDERATED_TOKEN"] + "\n");
    CHECK(run_cpsync(config, {"rmdir", "env:" + container}).code == 0);
  }

  SECTION("a service principal's certificate: a client assertion the authority verifies") {
    make_certificate(dir, "app");
    make_certificate(dir, "other");
    imds_control({{"azure", {{"certificates", {read_file_text(dir / "app-cert.pem")}}}}});
    env.set("AZURE_STORAGE_ACCOUNT", peer_env("azurite-oauth")["AZURE_OAUTH_ACCOUNT"]);
    env.set("AZURE_TENANT_ID", imds["IMDS_AZURE_TENANT_ID"]);
    env.set("AZURE_CLIENT_ID", imds["IMDS_AZURE_CLIENT_ID"]);
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", dir / "app-both.pem");
    auto shown = run_cpsync(config, {"config", "show", "env"});
    CHECK(shown.out.find("; credentials: service principal (certificate " + dir / "app-both.pem" +
                         "), tenant " + imds["IMDS_AZURE_TENANT_ID"]) != std::string::npos);
    auto mk = run_cpsync(config, {"mkdir", "env:" + container});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    auto cp = run_cpsync(config, {"copy", src.path(), "env:" + container, "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(cp.err.find("client certificate (tenant") != std::string::npos);
    CHECK(cp.err.find("eyJ") == std::string::npos);  // neither the assertion nor the token
    CHECK(cp.err.find("PRIVATE KEY") == std::string::npos);
    CHECK(stat_of("azure_client_certificate") == 2);
    // A certificate the app does not have: the authority refuses it, one line, exit 7.
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", dir / "other-both.pem");
    auto refused = run_cpsync(config, {"ls", "env:" + container});
    CHECK(refused.code == 7);
    CHECK(refused.err.find("client certificate (tenant") != std::string::npos);
    CHECK(refused.err.find("AADSTS700027") != std::string::npos);
    CHECK(std::count(refused.err.begin(), refused.err.end(), '\n') == 1);
    // The key of one certificate with another certificate: refused before any request.
    write_file_text(dir / "mixed.pem",
                    read_file_text(dir / "other-key.pem") + read_file_text(dir / "app-cert.pem"));
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", dir / "mixed.pem");
    auto mixed = run_cpsync(config, {"ls", "env:" + container});
    CHECK(mixed.code == 7);
    CHECK(mixed.err.find("the private key does not match the certificate") != std::string::npos);
    CHECK(stat_of("azure_client_certificate") == 2);
    env.set("AZURE_CLIENT_CERTIFICATE_PATH", dir / "app-both.pem");
    CHECK(remove_container(config, "env:" + container) == 0);
    imds_control({{"azure", {{"certificates", nlohmann::json::array()}}}});
  }

  SECTION("managed identities: the VM's, a user-assigned one, App Service's; an unknown one") {
    auto mk = run_cpsync(config, {"mkdir", "vm:" + container});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    auto cp = run_cpsync(config, {"copy", src.path(), "uami:" + container});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(stat_of("azure_imds") == 2);
    env.set("IDENTITY_ENDPOINT", imds["IMDS_ENDPOINT"] + imds["IMDS_IDENTITY_PATH"]);
    env.set("IDENTITY_HEADER", imds["IMDS_IDENTITY_HEADER"]);
    auto ls = run_cpsync(config, {"ls", "vm:" + container});
    INFO(ls.err);
    CHECK(ls.code == 0);
    CHECK(ls.out.find("f4.bin") != std::string::npos);
    CHECK(stat_of("azure_app_service") == 1);
    env.unset("IDENTITY_ENDPOINT");
    auto none = run_cpsync(config, {"ls", "nobody:" + container});
    CHECK(none.code == 7);
    CHECK(none.err.find("managed identity (instance metadata), client 00000000") !=
          std::string::npos);
    CHECK(remove_container(config, "vm:" + container) == 0);
  }
}

TEST_CASE("azure identities: link is a user delegation SAS that Azurite checks", "[azidentity]") {
  AzureIdentityEnv env;
  auto imds = peer_env("imds");
  imds_control({{"resetStats", true}, {"azure", {{"mode", "ok"}, {"tokenLifetime", 3600}}}});
  TempDir dir;
  TempDir src;
  make_tree(src, 2);
  const std::string config = write_config(
      dir, oauth_section("sp", "tenant = " + imds["IMDS_AZURE_TENANT_ID"] +
                                   "\nclient_id = " + imds["IMDS_AZURE_CLIENT_ID"] +
                                   "\nclient_secret = " + imds["IMDS_AZURE_CLIENT_SECRET"]));
  const std::string container = unique_bucket("azlink");
  REQUIRE(run_cpsync(config, {"mkdir", "sp:" + container}).code == 0);
  REQUIRE(run_cpsync(config, {"copy", src.path(), "sp:" + container}).code == 0);

  auto link = run_cpsync(config, {"link", "sp:" + container + "/f1.bin", "--expire", "1h", "-vv"});
  INFO(link.err);
  REQUIRE(link.code == 0);
  const std::string url = link.out.substr(0, link.out.find('\n'));
  for (const char* field : {"skoid=", "sktid=", "skt=", "ske=", "sks=b", "skv=", "sp=r", "sig="})
    CHECK(url.find(field) != std::string::npos);
  CHECK(link.err.find("sig=") == std::string::npos);  // the URL only on stdout
  std::string body;
  CHECK(curl_status(url, &body) == 200);
  CHECK(body == random_bytes(3001, 1));
  // Tampered: another blob under the same signature, a widened permission, another signature.
  std::string other = url;
  other.replace(other.find("/f1.bin"), 7, "/f0.bin");
  CHECK(curl_status(other, &body) == 403);
  std::string widened = url;
  widened.replace(widened.find("sp=r"), 4, "sp=rw");
  CHECK(curl_status(widened, &body) == 403);
  std::string resigned = url;
  const auto sig = resigned.find("sig=") + 4;
  resigned[sig] = resigned[sig] == 'A' ? 'B' : 'A';
  CHECK(curl_status(resigned, &body) == 403);

  // Beyond a delegation key's 7 days: refused before any request, one line, exit 1.
  auto long_link = run_cpsync(config, {"link", "sp:" + container + "/f1.bin", "--expire", "8d"});
  CHECK(long_link.code == 1);
  CHECK(long_link.err.find("user delegation SAS) lasts at most 7 days") != std::string::npos);
  CHECK(std::count(long_link.err.begin(), long_link.err.end(), '\n') == 1);
  CHECK(remove_container(config, "sp:" + container) == 0);
}

TEST_CASE("azure identities: tokens that expire within the run are refreshed", "[azidentity]") {
  AzureIdentityEnv env;
  // 121 s tokens are due for refresh (2 minutes ahead) a second after they are issued.
  imds_control({{"resetStats", true}, {"azure", {{"mode", "ok"}, {"tokenLifetime", 121}}}});
  TempDir dir;
  TempDir src;
  make_tree(src, 12);
  const std::string config = write_config(dir, oauth_section("vm", "use_msi = true"));
  const std::string container = unique_bucket("azrefresh");
  REQUIRE(run_cpsync(config, {"mkdir", "vm:" + container}).code == 0);
  // 36 KiB at 8 KiB/s: a few seconds, one token for the first second only.
  auto cp = run_cpsync(config, {"copy", src.path(), "vm:" + container, "--bwlimit", "8k",
                                "--transfers", "1", "-vv"});
  INFO(cp.err);
  REQUIRE(cp.code == 0);
  CHECK(cp.err.find("credentials refreshed from managed identity") != std::string::npos);
  CHECK(stat_of("azure_imds") >= 3);
  auto check = run_cpsync(config, {"check", src.path(), "vm:" + container});
  INFO(check.err);
  CHECK(check.code == 0);
  imds_control({{"azure", {{"tokenLifetime", 3600}}}});
  CHECK(remove_container(config, "vm:" + container) == 0);
}

TEST_CASE("azure identities: a token source copies to another account server-side",
          "[azidentity]") {
  AzureIdentityEnv env;
  auto imds = peer_env("imds");
  auto plain = peer_env("azurite");
  imds_control({{"resetStats", true}, {"azure", {{"mode", "ok"}, {"tokenLifetime", 3600}}}});
  TempDir dir;
  TempDir src;
  make_tree(src, 2);                                                   // Put Blob From URL
  write_file_text(src / "big.bin", random_bytes(9 * 1024 * 1024, 7));  // 3 blocks From URL
  // The destination: the plain Azurite's account through the front, which fetches the
  // source URLs itself; a counting proxy between cpsync and the front.
  FaultProxy counter(url_origin(peer_env("azurite-front")["AZURE_FRONT_ENDPOINT"]), {});
  const std::string config = write_config(
      dir, oauth_section("sp", "tenant = " + imds["IMDS_AZURE_TENANT_ID"] +
                                   "\nclient_id = " + imds["IMDS_AZURE_CLIENT_ID"] +
                                   "\nclient_secret = " + imds["IMDS_AZURE_CLIENT_SECRET"]) +
               "[az]\ntype = azureblob\naccount = " + plain["AZURE_ACCOUNT"] + "\nkey = " +
               plain["AZURE_KEY"] + "\nendpoint = " + counter.url("/" + plain["AZURE_ACCOUNT"]) +
               "\ncopy_from_url = true\n");
  const std::string from = "sp:" + unique_bucket("azudsrc");
  const std::string to = "az:" + unique_bucket("azuddst");
  REQUIRE(run_cpsync(config, {"mkdir", from}).code == 0);
  REQUIRE(run_cpsync(config, {"mkdir", to}).code == 0);
  REQUIRE(run_cpsync(config, {"copy", src.path(), from}).code == 0);

  auto r = run_cpsync(
      config, {"sync", from, to, "--json", "-vv", "--upload-cutoff", "4Mi", "--chunk-size", "4Mi"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto s = nlohmann::json::parse(r.out);
  CHECK(s["server_side_copies"] == 3);
  CHECK(s["server_side_bytes"] == 3000 + 3001 + 9 * 1024 * 1024);
  CHECK(s["client_bytes"] == 0);
  CHECK(s["requests"].value("get", 0) == 0);
  CHECK(s["requests"].value("put_from_url", 0) == 2);
  CHECK(s["requests"].value("part_from_url", 0) == 3);
  // One delegation key for all the run's source URLs (a probe per object, one per request).
  CHECK(s["requests"].value("user delegation key", 0) == 1);
  CHECK(counter.stats()["bytesUp"].get<uint64_t>() < 4096);  // no body byte from cpsync
  // Neither the URLs, the delegation key nor the token are shown.
  CHECK(r.err.find("user delegation key until") != std::string::npos);  // -vv: when, not what
  CHECK(r.err.find("<Value>") == std::string::npos);
  CHECK(r.err.find("sig=") == std::string::npos);
  CHECK(r.err.find("skoid") == std::string::npos);
  CHECK(r.err.find("eyJ") == std::string::npos);
  auto check = run_cpsync(config, {"check", src.path(), to, "--download"});
  INFO(check.err);
  CHECK(check.code == 0);
  CHECK(remove_container(config, from) == 0);
  CHECK(remove_container(config, to) == 0);
}
