// tests/unit/s3_options_test.cc — S3Options::from_section: defaults, endpoints, addressing,
// env_auth and the one-line errors for bad sections. No network.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "remotes/s3/client.h"
#include "remotes/s3/options.h"
#include "remotes/s3/s3_remote.h"

using namespace cpsync;

namespace {

ConfigSection section(std::map<std::string, std::string> values) {
  ConfigSection s;
  s.name = "aws";
  s.type = "s3";
  s.origin = "/tmp/cpsync.conf";
  s.values = std::move(values);
  int line = 2;
  for (const auto& [k, v] : s.values) s.lines[k] = line++;
  return s;
}

}  // namespace

TEST_CASE("s3 options: AWS defaults are virtual-hosted on the region endpoint", "[s3]") {
  auto o = s3::S3Options::from_section(
      section({{"access_key_id", "AK"}, {"secret_access_key", "SK"}, {"region", "eu-west-1"}}));
  REQUIRE(o.ok());
  CHECK(o->endpoint_url() == "https://s3.eu-west-1.amazonaws.com");
  CHECK_FALSE(o->path_style);
  CHECK(o->location_constraint == "eu-west-1");
  CHECK(o->chunk_size == 5 * s3::kS3MiB);
  s3::S3Client c(*o);
  CHECK(c.host_for("my-bucket") == "my-bucket.s3.eu-west-1.amazonaws.com");
  CHECK(c.path_for("my-bucket", "a b/c") == "/a%20b/c");
  CHECK(c.path_style_for("my.dotted.bucket"));  // https certificate would not match
  CHECK(c.path_style_for("Upper_Case"));
  CHECK(c.path_for("Upper_Case", "k") == "/Upper_Case/k");
}

TEST_CASE("s3 options: custom endpoints are path style by default", "[s3]") {
  auto o = s3::S3Options::from_section(section({{"provider", "Ceph"},
                                                {"endpoint", "http://127.0.0.1:7480/"},
                                                {"access_key_id", "AK"},
                                                {"secret_access_key", "SK"},
                                                {"chunk_size", "16Mi"}}));
  REQUIRE(o.ok());
  CHECK(o->endpoint_url() == "http://127.0.0.1:7480");
  CHECK(o->path_style);
  CHECK(o->region == "us-east-1");
  CHECK(o->location_constraint.empty());
  CHECK(o->chunk_size == 16 * s3::kS3MiB);
  auto r = make_s3_remote(section({{"provider", "Minio"},
                                   {"endpoint", "https://minio.example:9000"},
                                   {"access_key_id", "AK"},
                                   {"secret_access_key", "SK"}}));
  REQUIRE(r.ok());
  CHECK((*r)->endpoint_id() == "s3|https://minio.example:9000|AK|");  // |role_arn
  CHECK((*r)->features().parts.min_part == 5 * s3::kS3MiB);
  CHECK((*r)->features().parts.max_parts == 10000);
  CHECK((*r)->features().server_side_copy);
  // The size keys reach the transfer through features() (their defaults here).
  CHECK((*r)->features().chunk_size == 5 * s3::kS3MiB);
  CHECK((*r)->features().upload_cutoff == 200 * s3::kS3MiB);
}

TEST_CASE("s3 options: bad sections give one line naming the remote and key", "[s3]") {
  auto bad = [](std::map<std::string, std::string> v) {
    auto o = s3::S3Options::from_section(section(std::move(v)));
    REQUIRE_FALSE(o.ok());
    CHECK(o.status().code == Errc::invalid_argument);
    CHECK(o.status().message.find("remote 'aws'") != std::string::npos);
    CHECK(o.status().message.find('\n') == std::string::npos);
    return o.status().message;
  };
  CHECK(bad({{"regoin", "x"}}).find("unknown key 'regoin'") != std::string::npos);
  CHECK(bad({{"access_key_id", "AK"}}).find("secret_access_key") != std::string::npos);
  CHECK(bad({{"provider", "Ceph"}}).find("endpoint") != std::string::npos);
  CHECK(bad({{"endpoint", "ftp://x"}}).find("http") != std::string::npos);
  CHECK(bad({{"endpoint", "http://x/path"}}).find("without a path") != std::string::npos);
  CHECK(bad({{"chunk_size", "1M"}}).find("chunk_size") != std::string::npos);
  CHECK(bad({{"force_path_style", "maybe"}}).find("force_path_style") != std::string::npos);
  // The secret never appears in a message.
  CHECK(bad({{"secret_access_key", "sup3rs3cret"}, {"chunk_size", "1M"}}).find("sup3rs3cret") ==
        std::string::npos);
}

TEST_CASE("s3 options: env_auth takes the region from the host; keys come at first use", "[s3]") {
  setenv("AWS_ACCESS_KEY_ID", "ENVAK", 1);
  setenv("AWS_REGION", "ap-south-1", 1);
  auto o = s3::S3Options::from_section(section({{"env_auth", "true"}}));
  unsetenv("AWS_REGION");
  REQUIRE(o.ok());
  // The credential chain (remotes/s3/credentials/chain.h) reads the keys when the remote
  // first needs them, so a refreshed environment or profile is picked up.
  CHECK(o->creds.access_key_id.empty());
  CHECK(o->env_auth);
  CHECK_FALSE(o->anonymous());
  CHECK(o->region == "ap-south-1");
  setenv("AWS_DEFAULT_REGION", "eu-north-1", 1);
  auto d = s3::S3Options::from_section(section({{"env_auth", "true"}}));
  unsetenv("AWS_DEFAULT_REGION");
  unsetenv("AWS_ACCESS_KEY_ID");
  REQUIRE(d.ok());
  CHECK(d->region == "eu-north-1");
  // A role without keys uses the chain too.
  auto role = s3::S3Options::from_section(section({{"role_arn", "arn:aws:iam::1:role/r"}}));
  REQUIRE(role.ok());
  CHECK_FALSE(role->anonymous());
  // No keys and no env_auth: anonymous.
  auto anon = s3::S3Options::from_section(section({}));
  REQUIRE(anon.ok());
  CHECK(anon->anonymous());
}
