// tests/e2e/oss_credentials_test.cc — OSS remotes without keys: cpsync takes Alibaba Cloud
// credentials from the environment (OSS_* and ALIBABA_CLOUD_*), the ECS instance's RAM role
// (instance metadata in hardening mode), RRSA's OIDC role (STS AssumeRoleWithOIDC) and a
// role_arn assumed on top (STS AssumeRole, RPC-signed), all served by tests/peers/imds
// (alibaba.js); the OSS test server (tests/peers/oss) checks every request's signature and
// security token against the credentials STS issued. Short-lived credentials are refreshed
// within a run, keys the server revokes early are renewed after its SecurityTokenExpired;
// each provider's failure is one line naming the provider and the remote with a documented
// exit code (7, or 5 when an endpoint does not answer); no secret or token at -vv.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/s3_credentials_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// Hides the developer's Alibaba Cloud variables and points the endpoints at the peer, for
// one scope; restores the old values after.
class OssCredEnv {
 public:
  OssCredEnv() {
    for (const char* v : {"OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET", "OSS_SESSION_TOKEN",
                          "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
                          "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
                          "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_ROLE_ARN",
                          "ALIBABA_CLOUD_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ECS_METADATA",
                          "ALIBABA_CLOUD_ECS_METADATA_DISABLED", "ALIBABA_CLOUD_IMDSV1_DISABLED",
                          "ALIBABA_CLOUD_STS_REGION", "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"})
      unset(v);
    set("CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT", peer_env("imds")["IMDS_ENDPOINT"]);
    set("CPSYNC_ALIBABA_STS_ENDPOINT", peer_env("imds")["IMDS_ENDPOINT"]);
  }
  ~OssCredEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
  }
  void set(const std::string& k, const std::string& v) {
    save(k);
    ::setenv(k.c_str(), v.c_str(), 1);
  }
  void unset(const std::string& k) {
    save(k);
    ::unsetenv(k.c_str());
  }

 private:
  void save(const std::string& k) {
    const char* v = std::getenv(k.c_str());
    saved_.emplace_back(k, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A section on the OSS test server without keys.
std::string keyless(const std::string& name, const std::string& extra) {
  auto e = peer_env("oss");
  return "[" + name + "]\ntype = oss\nendpoint = " + e["OSS_ENDPOINT"] +
         "\nregion = " + e["OSS_REGION"] + "\nenv_auth = true\n" + extra + "\n";
}

void make_tree(const TempDir& dir, int n) {
  for (int i = 0; i < n; ++i)
    write_file_text(dir / ("f" + std::to_string(i) + ".bin"), random_bytes(3000 + i, i));
}

int stat_of(const char* name) {
  return imds_stats()[name].get<int>();
}

// Temporary credentials straight from the peer's ECS metadata endpoint.
nlohmann::json ecs_credentials() {
  const std::string base = peer_env("imds")["IMDS_ENDPOINT"];
  HttpRequest put;
  put.method = "PUT";
  put.url = base + "/latest/api/token";
  put.headers = {{"X-aliyun-ecs-metadata-token-ttl-seconds", "60"}};
  auto t = http_client().send(put);
  REQUIRE(t.ok());
  REQUIRE(t->status == 200);
  HttpRequest get;
  get.url = base + "/latest/meta-data/ram/security-credentials/" +
            peer_env("imds")["IMDS_ALIBABA_ECS_ROLE"];
  get.headers = {{"X-aliyun-ecs-metadata-token", t->body}};
  auto r = http_client().send(get);
  REQUIRE(r.ok());
  REQUIRE(r->status == 200);
  return nlohmann::json::parse(r->body);
}

// No line of err holds any of the secrets.
void check_no_secrets(const RunResult& r, const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    INFO("leaked: " << s);
    CHECK(r.err.find(s) == std::string::npos);
    CHECK(r.out.find(s) == std::string::npos);
  }
  CHECK(r.err.find("CAIS") == std::string::npos);  // no security token the peer issued
}

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

int line_count(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

void reset_peer() {
  imds_control(
      {{"resetStats", true},
       {"alibaba", {{"mode", "ok"}, {"lifetime", 3600}, {"revokeAfter", 0}, {"hardened", true}}}});
}

}  // namespace

TEST_CASE("oss credentials: each provider authenticates against the OSS test server",
          "[osscreds]") {
  OssCredEnv env;
  reset_peer();
  auto imds = peer_env("imds");
  auto oss = peer_env("oss");
  TempDir dir;
  TempDir src;
  make_tree(src, 5);
  const std::string token_file = dir / "rrsa-token";
  write_file_text(token_file, imds["IMDS_ALIBABA_OIDC_TOKEN"] + "\n");
  const std::string config = write_config(
      dir, keyless("chain", "") + keyless("ecs", "credential_provider = ecs_ram_role") +
               keyless("ecsv1",
                       "signature_version = v1\necs_role_name = " + imds["IMDS_ALIBABA_ECS_ROLE"]) +
               keyless("rrsa", "credential_provider = oidc") +
               keyless("envrole", "credential_provider = environment\nrole_arn = " +
                                      imds["IMDS_ALIBABA_EXTERNAL_ROLE_ARN"] +
                                      "\nexternal_id = " + imds["IMDS_ALIBABA_EXTERNAL_ID"]) +
               keyless("ecsrole", "role_arn = " + imds["IMDS_ALIBABA_ROLE_ARN"] +
                                      "\nrole_session_name = cpsync-e2e"));
  const std::string bucket = unique_bucket("osscred");

  SECTION("the ECS RAM role (discovered), V4 and V1, a link, at -vv without a secret") {
    auto mk = run_cpsync(config, {"mkdir", "ecs:" + bucket, "-vv"});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    CHECK(mk.err.find("oss remote 'ecs': credentials from ECS RAM role " +
                      imds["IMDS_ALIBABA_ECS_ROLE"] + ", expires ") != std::string::npos);
    CHECK(stat_of("ali_role_list") == 1);  // the role's name asked of the endpoint
    auto cp = run_cpsync(config, {"copy", src.path(), "ecsv1:" + bucket + "/d", "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    check_no_secrets(cp, {});
    CHECK(stat_of("ali_role_list") == 1);  // ecs_role_name names it
    env.set("ALIBABA_CLOUD_ECS_METADATA", imds["IMDS_ALIBABA_ECS_ROLE"]);
    auto ls = run_cpsync(config, {"ls", "ecs:" + bucket + "/d"});
    CHECK(ls.code == 0);
    CHECK(ls.out.find("f4.bin") != std::string::npos);
    CHECK(stat_of("ali_role_list") == 1);  // and so does ALIBABA_CLOUD_ECS_METADATA
    auto check = run_cpsync(config, {"check", src.path(), "ecs:" + bucket + "/d"});
    INFO(check.err);
    CHECK(check.code == 0);
    for (const char* remote : {"ecs", "ecsv1"}) {
      auto link = run_cpsync(config, {"link", std::string(remote) + ":" + bucket + "/d/f2.bin"});
      REQUIRE(link.code == 0);
      HttpRequest get;
      get.url = link.out.substr(0, link.out.find('\n'));
      auto got = http_client().send(get);
      REQUIRE(got.ok());
      CHECK(got->status == 200);
      CHECK(got->body == random_bytes(3002, 2));
    }
    CHECK(stat_of("ali_token_puts") >= 4);  // one metadata session per process
  }

  SECTION("the environment: OSS_* with a security token, then ALIBABA_CLOUD_*") {
    auto c = ecs_credentials();
    const std::string secret = c["AccessKeySecret"].get<std::string>();
    env.set("OSS_ACCESS_KEY_ID", c["AccessKeyId"].get<std::string>());
    env.set("OSS_ACCESS_KEY_SECRET", secret);
    env.set("OSS_SESSION_TOKEN", c["SecurityToken"].get<std::string>());
    auto mk = run_cpsync(config, {"mkdir", "chain:" + bucket, "-vv"});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    CHECK(mk.err.find("credentials from environment (OSS_ACCESS_KEY_ID)") != std::string::npos);
    check_no_secrets(mk, {secret});
    // Without its token the temporary key is refused, as OSS refuses it.
    env.unset("OSS_SESSION_TOKEN");
    auto bare = run_cpsync(config, {"ls", "chain:" + bucket});
    CHECK(bare.code == 7);
    CHECK(bare.err.find("InvalidAccessKeyId") != std::string::npos);
    env.unset("OSS_ACCESS_KEY_ID");
    env.unset("OSS_ACCESS_KEY_SECRET");
    env.set("ALIBABA_CLOUD_ACCESS_KEY_ID", oss["OSS_ACCESS_KEY_ID"]);
    env.set("ALIBABA_CLOUD_ACCESS_KEY_SECRET", oss["OSS_ACCESS_KEY_SECRET"]);
    auto cp = run_cpsync(config, {"copy", src.path(), "chain:" + bucket, "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(cp.err.find("credentials from environment (ALIBABA_CLOUD_ACCESS_KEY_ID)") !=
          std::string::npos);
    check_no_secrets(cp, {oss["OSS_ACCESS_KEY_SECRET"]});
    CHECK(stat_of("ali_ecs_creds") == 1);  // only the test's own call
  }

  SECTION("RRSA: the OIDC token file, re-read at each AssumeRoleWithOIDC") {
    env.set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", token_file);
    env.set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", imds["IMDS_ALIBABA_OIDC_PROVIDER_ARN"]);
    env.set("ALIBABA_CLOUD_ROLE_ARN", imds["IMDS_ALIBABA_OIDC_ROLE_ARN"]);
    auto mk = run_cpsync(config, {"mkdir", "chain:" + bucket, "-vv"});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    CHECK(mk.err.find("credentials from OIDC role (RRSA) " + imds["IMDS_ALIBABA_OIDC_ROLE_ARN"]) !=
          std::string::npos);
    auto cp = run_cpsync(config, {"copy", src.path(), "rrsa:" + bucket});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(stat_of("ali_oidc") == 2);
    CHECK(stat_of("ali_ecs_creds") == 0);  // the chain stopped at RRSA
    // The projected token rotated to one STS does not accept.
    write_file_text(token_file, "a-rotated-unknown-token\n");
    auto ls = run_cpsync(config, {"ls", "rrsa:" + bucket});
    CHECK(ls.code == 7);
    CHECK(ls.err.find("oss remote 'rrsa': credentials from OIDC role (RRSA)") != std::string::npos);
    CHECK(ls.err.find("AuthenticationFail.OIDCToken.Invalid") != std::string::npos);
    CHECK(ls.err.find("a-rotated-unknown-token") == std::string::npos);
    CHECK(line_count(ls.err) == 1);
  }

  SECTION("role_arn on top: of the environment (with external_id) and of the ECS role") {
    env.set("OSS_ACCESS_KEY_ID", oss["OSS_ACCESS_KEY_ID"]);
    env.set("OSS_ACCESS_KEY_SECRET", oss["OSS_ACCESS_KEY_SECRET"]);
    auto mk = run_cpsync(config, {"mkdir", "envrole:" + bucket, "-vv"});
    INFO(mk.err);
    REQUIRE(mk.code == 0);
    CHECK(mk.err.find("credentials from assume role " + imds["IMDS_ALIBABA_EXTERNAL_ROLE_ARN"] +
                      " (from environment (OSS_ACCESS_KEY_ID))") != std::string::npos);
    check_no_secrets(mk, {oss["OSS_ACCESS_KEY_SECRET"]});
    env.unset("OSS_ACCESS_KEY_ID");
    env.unset("OSS_ACCESS_KEY_SECRET");
    // The ECS role's temporary keys sign AssumeRole (with their SecurityToken).
    auto cp = run_cpsync(config, {"copy", src.path(), "ecsrole:" + bucket, "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(cp.err.find("(from ECS RAM role " + imds["IMDS_ALIBABA_ECS_ROLE"] + ")") !=
          std::string::npos);
    CHECK(stat_of("ali_assume_role") == 2);
    auto check = run_cpsync(config, {"check", src.path(), "ecsrole:" + bucket});
    CHECK(check.code == 0);
  }
}

TEST_CASE("oss credentials: refreshed within a run, and renewed after the server revokes them",
          "[osscreds]") {
  OssCredEnv env;
  reset_peer();
  TempDir dir;
  TempDir src;
  make_tree(src, 12);
  const std::string config =
      write_config(dir, keyless("ecs", "credential_provider = ecs_ram_role"));
  const std::string bucket = unique_bucket("ossrefresh");
  REQUIRE(run_cpsync(config, {"mkdir", "ecs:" + bucket}).code == 0);

  SECTION("credentials due within the run are refreshed ahead of expiry") {
    // 182 s credentials are due (3 minutes ahead) 2 s after they are issued.
    imds_control({{"resetStats", true}, {"alibaba", {{"lifetime", 182}}}});
    // 36 KiB at 8 KiB/s: several seconds with --transfers 1.
    auto cp = run_cpsync(config, {"copy", src.path(), "ecs:" + bucket, "--bwlimit", "8k",
                                  "--transfers", "1", "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    // Every fetch after the first is one refresh, logged once.
    const int fetches = stat_of("ali_ecs_creds");
    CHECK(fetches >= 3);
    CHECK(count_of(cp.err, "credentials refreshed from ECS RAM role") == fetches - 1);
    CHECK(stat_of("ali_refused") == 0);
  }

  SECTION("keys revoked before their advertised expiry are renewed after SecurityTokenExpired") {
    // OSS stops accepting each issued key 2 s after issue; STS still says one hour.
    imds_control({{"resetStats", true}, {"alibaba", {{"revokeAfter", 2}}}});
    auto cp = run_cpsync(config, {"copy", src.path(), "ecs:" + bucket, "--bwlimit", "8k",
                                  "--transfers", "1", "-vv"});
    INFO(cp.err);
    REQUIRE(cp.code == 0);
    CHECK(cp.err.find("credentials rejected as expired; refreshing") != std::string::npos);
    CHECK(stat_of("ali_ecs_creds") >= 2);
    check_no_secrets(cp, {});
    imds_control({{"alibaba", {{"revokeAfter", 0}}}});
  }

  // Byte-identical: check compares MD5s, cat the bytes of one file.
  auto check = run_cpsync(config, {"check", src.path(), "ecs:" + bucket});
  INFO(check.err);
  CHECK(check.code == 0);
  auto cat = run_cpsync(config, {"cat", "ecs:" + bucket + "/f11.bin"});
  CHECK(cat.out == random_bytes(3011, 11));
}

TEST_CASE("oss credentials: each provider's failure is one line naming it and the remote",
          "[osscreds]") {
  OssCredEnv env;
  reset_peer();
  auto imds = peer_env("imds");
  TempDir dir;
  const std::string config = write_config(
      dir, keyless("chain", "") + keyless("ecs", "credential_provider = ecs_ram_role") +
               keyless("ecsnone", "ecs_role_name = no-such-role") +
               keyless("rrsa", "credential_provider = oidc") +
               keyless("badrole",
                       "credential_provider = ecs_ram_role\nrole_arn = "
                       "acs:ram::1234567890123456:role/no-such-role") +
               keyless("noext", "credential_provider = ecs_ram_role\nrole_arn = " +
                                    imds["IMDS_ALIBABA_EXTERNAL_ROLE_ARN"]) +
               keyless("envrole", "credential_provider = environment\nrole_arn = " +
                                      imds["IMDS_ALIBABA_ROLE_ARN"]));
  struct Case {
    std::string remote;
    int code;
    std::string says;
  };
  auto expect = [&](const Case& c) {
    auto r = run_cpsync(config, {"ls", c.remote + ":any-bucket"});
    INFO(c.remote << ": " << r.err);
    CHECK(r.code == c.code);
    CHECK(line_count(r.err) == 1);
    CHECK(r.err.find("oss remote '" + c.remote + "': credentials from " + c.says) !=
          std::string::npos);
    check_no_secrets(r, {});
  };

  expect({"rrsa", 7, "OIDC role (RRSA): ALIBABA_CLOUD_OIDC_TOKEN_FILE is not set"});
  env.set("ALIBABA_CLOUD_OIDC_TOKEN_FILE", dir / "missing-token");
  env.set("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", imds["IMDS_ALIBABA_OIDC_PROVIDER_ARN"]);
  env.set("ALIBABA_CLOUD_ROLE_ARN", imds["IMDS_ALIBABA_OIDC_ROLE_ARN"]);
  expect({"rrsa", 7,
          "OIDC role (RRSA) " + imds["IMDS_ALIBABA_OIDC_ROLE_ARN"] +
              ": cannot read ALIBABA_CLOUD_OIDC_TOKEN_FILE"});
  env.unset("ALIBABA_CLOUD_OIDC_TOKEN_FILE");
  expect({"ecsnone", 7, "ECS RAM role no-such-role"});
  expect({"badrole", 7,
          "assume role acs:ram::1234567890123456:role/no-such-role: STS "
          "AssumeRole refused (HTTP 404, EntityNotExist.Role)"});
  expect({"noext", 7,
          "assume role " + imds["IMDS_ALIBABA_EXTERNAL_ROLE_ARN"] +
              ": STS AssumeRole refused (HTTP 403, NoPermission)"});
  // STS checks the RPC signature: a wrong secret under the role is refused.
  env.set("OSS_ACCESS_KEY_ID", peer_env("oss")["OSS_ACCESS_KEY_ID"]);
  env.set("OSS_ACCESS_KEY_SECRET", "not-the-secret");
  expect({"envrole", 7,
          "assume role " + imds["IMDS_ALIBABA_ROLE_ARN"] +
              ": STS AssumeRole refused (HTTP 400, SignatureDoesNotMatch)"});
  env.unset("OSS_ACCESS_KEY_ID");
  env.unset("OSS_ACCESS_KEY_SECRET");
  imds_control({{"alibaba", {{"mode", "malformed"}}}});
  expect({"ecs", 7, "ECS RAM role (" + imds["IMDS_ENDPOINT"] + "): malformed reply"});
  imds_control({{"alibaba", {{"mode", "ok"}}}});
  // The metadata endpoint does not answer: temporary (exit 5).
  env.set("CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT", "http://127.0.0.1:9");
  env.set("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
  expect({"ecs", 5, "ECS RAM role (http://127.0.0.1:9): cannot reach 127.0.0.1:9"});
  env.set("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
  expect({"chain", 7, "the Alibaba Cloud chain: none found"});
}
