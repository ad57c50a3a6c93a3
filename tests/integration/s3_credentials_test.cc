// tests/integration/s3_credentials_test.cc — the S3 credential chain against real servers:
// Ceph RGW (static keys, and STS AssumeRole giving temporary keys whose session token RGW
// checks on every request) and the credentials endpoint of tests/peers/imds (IMDSv2 with
// its token rule, the container endpoint with its Authorization check), which hands out
// RGW STS keys. Each provider: one round trip that RGW accepts, the source it reports, and
// its failures as one line naming the provider and the remote.
#include <sys/stat.h>

#include "tests/integration/s3_credentials_support.h"

namespace cpsync::testing {
namespace {

std::string source_of(Remote& r) {
  return creds_of(r).describe();
}

void require_round_trip(Remote& r) {
  Status st = round_trip(r);
  INFO(st.message);
  REQUIRE(st.ok());
}

// The first request's failure (credentials are fetched on first use).
Status first_failure(Remote& r) {
  Status st = r.list_buckets([](std::vector<ObjectInfo>&) { return Status::OK(); });
  REQUIRE_FALSE(st.ok());
  return st;
}

void write_text(const std::string& path, const std::string& text, mode_t mode = 0600) {
  write_file_text(path, text);
  ::chmod(path.c_str(), mode);
}

TEST_CASE("s3 credentials: environment", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  env.set("AWS_ACCESS_KEY_ID", ceph["S3_ACCESS_KEY_ID"]);
  env.set("AWS_SECRET_ACCESS_KEY", ceph["S3_SECRET_ACCESS_KEY"]);
  auto r = chain_remote();
  require_round_trip(*r);
  CHECK(source_of(*r) == "environment");

  // A wrong secret reaches RGW, which refuses the signature (the strict gateway: the STS
  // one says AccessDenied to every failed authentication).
  env.set("AWS_SECRET_ACCESS_KEY", "not-the-secret-at-all-0123456789abcdefghi");
  auto bad = chain_remote({{"endpoint", ceph["S3_ENDPOINT"]}});
  Status st = first_failure(*bad);
  CHECK(st.provider_code == "SignatureDoesNotMatch");
  CHECK(st.message.find("not-the-secret") == std::string::npos);
}

TEST_CASE("s3 credentials: shared files, static keys and credential_process", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  const std::string home = env.home().path();
  write_text(home + "/.aws/credentials",
             "[default]\naws_access_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
                 "\naws_secret_access_key = " + ceph["S3_SECRET_ACCESS_KEY"] + "\n");
  // A script that prints the keys as credential_process JSON (Version 1).
  write_text(home + "/creds.sh",
             "#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": "
             "\"%s\"}' '" +
                 ceph["S3_ACCESS_KEY_ID"] + "' '" + ceph["S3_SECRET_ACCESS_KEY"] + "'\n",
             0700);
  write_text(home + "/.aws/config",
             "[default]\nregion = us-east-1\n\n[profile proc]\ncredential_process = " + home +
                 "/creds.sh\n\n[profile broken]\ncredential_process = sh -c 'exit 3'\n\n"
                 "[profile nokeys]\nregion = eu-west-1\n");

  SECTION("the default profile") {
    auto r = chain_remote();
    require_round_trip(*r);
    CHECK(source_of(*r) == "profile 'default' (static keys)");
  }
  SECTION("AWS_PROFILE picks credential_process") {
    env.set("AWS_PROFILE", "proc");
    auto r = chain_remote();
    require_round_trip(*r);
    CHECK(source_of(*r) == "credential_process of profile 'proc'");
  }
  SECTION("the remote's profile key, over the environment's keys") {
    env.set("AWS_ACCESS_KEY_ID", "AKIDNOTUSED");
    env.set("AWS_SECRET_ACCESS_KEY", "nope");
    auto r = chain_remote({{"profile", "proc"}});
    require_round_trip(*r);
    CHECK(source_of(*r) == "credential_process of profile 'proc'");
  }
  SECTION("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files") {
    std::filesystem::rename(home + "/.aws", home + "/moved");
    env.set("AWS_SHARED_CREDENTIALS_FILE", home + "/moved/credentials");
    env.set("AWS_CONFIG_FILE", home + "/moved/config");
    auto r = chain_remote();
    require_round_trip(*r);
    CHECK(source_of(*r) == "profile 'default' (static keys)");
  }
  SECTION("failures name the provider and the remote") {
    auto broken = chain_remote({{"profile", "broken"}});
    Status st = first_failure(*broken);
    CHECK(st.code == Errc::access_denied);
    CHECK(st.message ==
          "s3 remote 'rgw': credentials from credential_process of profile 'broken': the "
          "command failed (exit status 3)");
    auto missing = chain_remote({{"profile", "absent"}});
    st = first_failure(*missing);
    CHECK(st.message.find("s3 remote 'rgw': credentials from profile 'absent': not found in") == 0);
    auto nokeys = chain_remote({{"profile", "nokeys"}});
    st = first_failure(*nokeys);
    CHECK(st.message.find("profile 'nokeys': no credentials in it") != std::string::npos);
  }
}

TEST_CASE("s3 credentials: role_arn with source_profile assumes the role on RGW", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  const std::string home = env.home().path();
  write_text(home + "/.aws/config",
             "[profile base]\naws_access_key_id = " + ceph["S3_ACCESS_KEY_ID"] +
                 "\naws_secret_access_key = " + ceph["S3_SECRET_ACCESS_KEY"] +
                 "\n\n[profile roled]\nrole_arn = " + ceph["S3_ROLE_ARN"] +
                 "\nsource_profile = base\nrole_session_name = cpsync-test\n"
                 "duration_seconds = 900\n\n[profile denied]\nrole_arn = "
                 "arn:aws:iam:::role/no-such-role\nsource_profile = base\n");
  env.set("AWS_PROFILE", "roled");
  auto r = chain_remote();
  require_round_trip(*r);
  CHECK(source_of(*r).find("assume role " + ceph["S3_ROLE_ARN"] +
                           " (from profile 'base' (static keys)), expires ") == 0);
  auto now = creds_of(*r).current();
  REQUIRE(now.ok());
  // Temporary keys from STS, not the user's: RGW accepted their session token above.
  CHECK(now->creds->keys.access_key_id != ceph["S3_ACCESS_KEY_ID"]);
  CHECK_FALSE(now->creds->keys.session_token.empty());
  REQUIRE(now->creds->expiry.has_value());
  auto left = *now->creds->expiry - std::chrono::system_clock::now();
  CHECK(left > std::chrono::minutes(10));
  CHECK(left <= std::chrono::seconds(905));  // duration_seconds = 900 reached STS

  env.set("AWS_PROFILE", "denied");
  auto denied = chain_remote();
  Status st = first_failure(*denied);
  CHECK(st.code == Errc::access_denied);
  CHECK(st.message.find("s3 remote 'rgw': credentials from assume role "
                        "arn:aws:iam:::role/no-such-role: STS AssumeRole refused (HTTP 4") == 0);
}

TEST_CASE("s3 credentials: the remote's role_arn on top of the environment", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  env.set("AWS_ACCESS_KEY_ID", ceph["S3_ACCESS_KEY_ID"]);
  env.set("AWS_SECRET_ACCESS_KEY", ceph["S3_SECRET_ACCESS_KEY"]);
  auto r = chain_remote({{"role_arn", ceph["S3_ROLE_ARN"]},
                         {"role_session_name", "cross-account"},
                         {"external_id", "cpsync-ext-1"}});
  require_round_trip(*r);
  CHECK(source_of(*r).find("assume role " + ceph["S3_ROLE_ARN"] + " (from environment)") == 0);
  CHECK(creds_of(*r).current()->creds->temporary());

  // Static keys in the remote with a role: the role is assumed with them.
  auto keyed = make_s3_remote(ceph_section({{"force_path_style", "true"},
                                            {"endpoint", ceph["S3_STS_ENDPOINT"]},
                                            {"role_arn", ceph["S3_ROLE_ARN"]}}));
  REQUIRE(keyed.ok());
  require_round_trip(**keyed);
  CHECK(source_of(**keyed).find("(from the remote's access_key_id)") != std::string::npos);
}

TEST_CASE("s3 credentials: container endpoint", "[s3creds]") {
  ScopedAwsEnv env;
  auto imds = peer_env("imds");
  imds_reset();
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
          imds["IMDS_ENDPOINT"] + imds["IMDS_CONTAINER_PATH"]);

  SECTION("token from the variable") {
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", imds["IMDS_CONTAINER_TOKEN"]);
    auto r = chain_remote();
    require_round_trip(*r);
    CHECK(source_of(*r).find("container credentials (127.0.0.1:") == 0);
    CHECK(imds_stats()["container"] == 1);  // once for all the round trip's requests
  }
  SECTION("token from a file, read at each fetch") {
    const std::string f = env.home() / "token";
    write_text(f, imds["IMDS_CONTAINER_TOKEN"] + "\n");
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", f);
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-the-file-is-set");
    auto r = chain_remote();
    require_round_trip(*r);
  }
  SECTION("a wrong token, a missing token file, a disallowed URI") {
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong");
    Status st = first_failure(*chain_remote());
    CHECK(st.code == Errc::access_denied);
    CHECK(st.message.find("s3 remote 'rgw': credentials from container credentials: "
                          "127.0.0.1:") == 0);
    CHECK(st.message.find("refused (HTTP 403)") != std::string::npos);
    CHECK(st.message.find("wrong") == std::string::npos);

    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", env.home() / "no-such-file");
    st = first_failure(*chain_remote());
    CHECK(st.message.find("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") !=
          std::string::npos);

    env.unset("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.7/creds");
    const auto before = request_counters().total();
    st = first_failure(*chain_remote());
    CHECK(st.message.find("AWS_CONTAINER_CREDENTIALS_FULL_URI is not allowed") !=
          std::string::npos);
    CHECK(request_counters().total() == before);  // nothing was sent
  }
  SECTION("a malformed reply and an endpoint that is down") {
    env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", imds["IMDS_CONTAINER_TOKEN"]);
    imds_control({{"mode", "malformed"}});
    Status st = first_failure(*chain_remote());
    imds_reset();
    CHECK(st.message ==
          "s3 remote 'rgw': credentials from container credentials: malformed "
          "reply: AccessKeyId or SecretAccessKey missing");
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
    st = first_failure(*chain_remote());
    CHECK(st.code == Errc::transient);
    CHECK(st.message.find("s3 remote 'rgw': credentials from container credentials: cannot "
                          "reach 127.0.0.1:9") == 0);
  }
}

TEST_CASE("s3 credentials: EC2 instance metadata (IMDSv2)", "[s3creds]") {
  ScopedAwsEnv env;
  auto imds = peer_env("imds");
  imds_reset();
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds["IMDS_ENDPOINT"]);

  SECTION("disabled by AWS_EC2_METADATA_DISABLED: nothing left in the chain") {
    Status st = first_failure(*chain_remote());
    CHECK(st.code == Errc::access_denied);
    CHECK(st.message.find("s3 remote 'rgw': credentials from the AWS chain: none found") == 0);
    CHECK(imds_stats()["token_puts"] == 0);
  }
  SECTION("token, role name, then the role's keys") {
    env.unset("AWS_EC2_METADATA_DISABLED");
    auto r = chain_remote();
    require_round_trip(*r);
    CHECK(source_of(*r).find("instance metadata (IMDSv2), role cpsync-test-role, expires ") == 0);
    auto s = imds_stats();
    CHECK(s["token_puts"] == 1);
    CHECK(s["imds_role_list"] == 1);
    CHECK(s["imds_creds"] == 1);
    CHECK(s["refused"] == 0);  // every GET carried a valid token
  }
  SECTION("an expired session token is fetched again") {
    env.unset("AWS_EC2_METADATA_DISABLED");
    auto r = chain_remote();
    REQUIRE(creds_of(*r).current().ok());
    imds_control({{"expireTokens", true}});
    auto again = creds_of(*r).refresh_after_rejection(creds_of(*r).current()->generation);
    INFO(again.status().message);
    REQUIRE(again.ok());
    auto s = imds_stats();
    CHECK(s["token_puts"] == 2);
    CHECK(s["refused"] == 1);  // the GET with the forgotten token
  }
  SECTION("endpoint down and malformed reply") {
    env.unset("AWS_EC2_METADATA_DISABLED");
    imds_control({{"mode", "malformed"}});
    Status st = first_failure(*chain_remote());
    imds_reset();
    CHECK(st.message.find("s3 remote 'rgw': credentials from instance metadata (" +
                          imds["IMDS_ENDPOINT"] + "): malformed reply") == 0);
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9");
    st = first_failure(*chain_remote());
    CHECK(st.message.find("cannot reach 127.0.0.1:9") != std::string::npos);
  }
}

TEST_CASE("s3 credentials: web identity, the token file read at every refresh", "[s3creds]") {
  // STS here is the credentials endpoint speaking AssumeRoleWithWebIdentity (RGW's own needs
  // an OIDC provider with a TLS issuer); the keys it returns are RGW STS keys.
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  auto imds = peer_env("imds");
  imds_reset();
  env.set("AWS_ENDPOINT_URL_STS", imds["IMDS_ENDPOINT"]);
  const std::string token_file = env.home() / "token";
  write_text(token_file, "token-one\n");
  imds_control({{"webTokens", {"token-one"}}});
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  env.set("AWS_ROLE_ARN", ceph["S3_ROLE_ARN"]);
  env.set("AWS_ROLE_SESSION_NAME", "pod-1");
  auto r = chain_remote();
  require_round_trip(*r);
  CHECK(source_of(*r).find("web identity " + ceph["S3_ROLE_ARN"] + ", expires ") == 0);
  CHECK(imds_stats()["web_identity"] == 1);

  // The kubelet rotates the token: STS now takes only the new one.
  imds_control({{"webTokens", {"token-two"}}});
  write_text(token_file, "token-two\n");
  auto again = creds_of(*r).refresh_after_rejection(creds_of(*r).current()->generation);
  INFO(again.status().message);
  REQUIRE(again.ok());
  CHECK(imds_stats()["web_identity"] == 2);
  require_round_trip(*r);

  // A token STS refuses, and a role it refuses.
  write_text(token_file, "token-three\n");
  auto refused = creds_of(*r).refresh_after_rejection(creds_of(*r).current()->generation);
  CHECK(refused.status().code == Errc::access_denied);
  CHECK(refused.status().message ==
        "s3 remote 'rgw': credentials from web identity " + ceph["S3_ROLE_ARN"] +
            ": STS AssumeRoleWithWebIdentity refused (HTTP 400, InvalidIdentityToken): The web "
            "identity token is not valid");
  CHECK(refused.status().message.find("token-three") == std::string::npos);
  env.set("AWS_ROLE_ARN", "arn:aws:iam:::role/other");
  write_text(token_file, "token-two");
  Status st = first_failure(*chain_remote());
  CHECK(st.message.find("STS AssumeRoleWithWebIdentity refused (HTTP 403, AccessDenied)") !=
        std::string::npos);
  imds_reset();
}

}  // namespace
}  // namespace cpsync::testing
