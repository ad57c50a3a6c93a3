// tests/unit/s3_credentials_parse_test.cc — the pure parts of the S3 credential providers:
// which rejections count as "expired", the credentials JSON the container endpoint, IMDS
// and credential_process answer with, the container FULL_URI rule, and how a profile is
// merged from the shared credentials and config files. No network.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/time_format.h"
#include "remotes/s3/credentials/cache.h"
#include "remotes/s3/credentials/container_provider.h"
#include "remotes/s3/credentials/shared_files.h"

namespace cpsync::s3 {
namespace {

TEST_CASE("s3 credentials: which rejections mean expired", "[s3]") {
  CHECK(rejected_as_expired(400, "ExpiredToken", false));
  CHECK(rejected_as_expired(403, "InvalidToken", false));
  CHECK(rejected_as_expired(403, "TokenRefreshRequired", false));
  CHECK(rejected_as_expired(403, "RequestExpired", false));
  // InvalidAccessKeyId: a revoked temporary key, but a plain wrong static key.
  CHECK(rejected_as_expired(403, "InvalidAccessKeyId", true));
  CHECK_FALSE(rejected_as_expired(403, "InvalidAccessKeyId", false));
  CHECK_FALSE(rejected_as_expired(403, "AccessDenied", true));
  CHECK_FALSE(rejected_as_expired(403, "SignatureDoesNotMatch", true));
  CHECK_FALSE(rejected_as_expired(500, "ExpiredToken", true));
}

TEST_CASE("s3 credentials: the JSON credentials document", "[s3]") {
  auto c = credentials_from_json(
      R"({"Code":"Success","AccessKeyId":"AK","SecretAccessKey":"SK","Token":"T",)"
      R"("Expiration":"2026-12-07T14:05:00Z"})",
      "container credentials");
  REQUIRE(c.ok());
  CHECK(c->keys.access_key_id == "AK");
  CHECK(c->keys.session_token == "T");
  REQUIRE(c->expiry.has_value());
  CHECK(format_iso8601(*c->expiry) == "2026-12-07T14:05:00Z");
  CHECK(c->temporary());
  auto p = credentials_from_json(R"({"Version":1,"AccessKeyId":"AK","SecretAccessKey":"SK",)"
                                 R"("SessionToken":"S"})",
                                 "credential_process");
  REQUIRE(p.ok());
  CHECK(p->keys.session_token == "S");
  CHECK_FALSE(p->expiry.has_value());

  auto missing = credentials_from_json(R"({"AccessKeyId":"AK"})", "instance metadata");
  CHECK(missing.status().code == Errc::access_denied);
  CHECK(missing.status().message ==
        "instance metadata: malformed reply: AccessKeyId or SecretAccessKey missing");
  auto bad_time = credentials_from_json(
      R"({"AccessKeyId":"AK","SecretAccessKey":"SK","Expiration":"soon"})", "x");
  CHECK(bad_time.status().message ==
        "x: malformed reply: Expiration 'soon' is not an ISO 8601 time");
  CHECK(credentials_from_json("<html>", "x").status().message ==
        "x: malformed reply: not a JSON object");
}

TEST_CASE("s3 credentials: container FULL_URI must be https or a local address", "[s3]") {
  CHECK(ContainerProvider::check_full_uri("https://creds.example.com/v1") == "");
  CHECK(ContainerProvider::check_full_uri("http://127.0.0.1:8080/creds") == "");
  CHECK(ContainerProvider::check_full_uri("http://127.1.2.3/creds") == "");
  CHECK(ContainerProvider::check_full_uri("http://localhost/creds") == "");
  CHECK(ContainerProvider::check_full_uri("http://[::1]:80/creds") == "");
  CHECK(ContainerProvider::check_full_uri("http://169.254.170.2/v2/credentials/x") == "");
  CHECK(ContainerProvider::check_full_uri("http://169.254.170.23/v1/credentials") == "");
  CHECK(ContainerProvider::check_full_uri("http://[fd00:ec2::23]/v1/credentials") == "");
  CHECK(ContainerProvider::check_full_uri("http://192.0.2.7/creds") != "");
  CHECK(ContainerProvider::check_full_uri("http://127.0.0.1.evil.example/creds") != "");
  CHECK(ContainerProvider::check_full_uri("ftp://127.0.0.1/creds") != "");
}

TEST_CASE("s3 credentials: a profile merged from both shared files", "[s3]") {
  auto dir =
      std::filesystem::temp_directory_path() / ("cpsync-profile-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "credentials") << "# comment\n[dev]\naws_access_key_id = AKCRED\n"
                                          "aws_secret_access_key=SKCRED\n[default]\n"
                                          "aws_access_key_id = AKDEF\n";
    std::ofstream(dir / "config")
        << "[default]\nregion = us-west-2\n[profile   dev]\nregion = eu-west-1\n"
           "aws_access_key_id = AKCONF\ns3 =\n  max_concurrent_requests = 4\n"
           "; another comment\nrole_arn = arn:aws:iam::1:role/r\n[dev]\nregion = ignored\n";
  }
  SharedFiles f{(dir / "credentials").string(), (dir / "config").string()};
  auto dev = load_profile(f, "dev");
  REQUIRE(dev.ok());
  REQUIRE(dev->has_value());
  const Profile& p = **dev;
  CHECK(p.get("aws_access_key_id") == "AKCRED");  // the credentials file wins
  CHECK(p.get("aws_secret_access_key") == "SKCRED");
  CHECK(p.get("region") == "eu-west-1");  // "[dev]" in the config file is not the profile
  CHECK(p.get("role_arn") == "arn:aws:iam::1:role/r");
  CHECK(p.get("max_concurrent_requests") == "");  // nested settings are skipped
  auto def = load_profile(f, "default");
  REQUIRE(def.ok());
  REQUIRE(def->has_value());
  CHECK((*def)->get("region") == "us-west-2");
  CHECK((*def)->get("aws_access_key_id") == "AKDEF");
  auto none = load_profile(f, "absent");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cpsync::s3
