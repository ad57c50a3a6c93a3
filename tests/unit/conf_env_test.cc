// tests/unit/conf_env_test.cc — CPSYNC_CONFIG_<REMOTE>_<KEY> overrides: override, add,
// remotes defined only by the environment, longest-name matching, and errors naming the
// variable.
#include <catch2/catch.hpp>

#include "conf/config_file.h"
#include "tests/unit/conf_test_registry.h"

using namespace cpsync;
using cpsync::testing::fake_registry;

namespace {

Result<Config> parse(const std::string& text, const Environment& env) {
  return parse_config(text, "/etc/test.conf", env, fake_registry().schemas());
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("env overrides and adds keys of configured remotes", "[conf]") {
  Environment env{{"CPSYNC_CONFIG_AWS_REGION", "ap-south-1"},
                  {"CPSYNC_CONFIG_AWS_SECRET_ACCESS_KEY", "envsecret"},
                  {"CPSYNC_CONFIG_MY_S3_ENDPOINT", "http://e"},
                  {"CPSYNC_CONFIG", "/not/a/remote/key"},
                  {"CPSYNC_CONFIG_NOBODY_REGION", "ignored"},
                  {"AWS_REGION", "not ours"}};
  auto cfg = parse("[aws]\ntype = s3\nregion = eu-west-1\n[my-s3]\ntype = s3\n", env);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->remotes.size() == 2);
  const ConfigSection& aws = *cfg->find("aws");
  CHECK(aws.get("region") == "ap-south-1");
  CHECK(aws.lines.at("region") == 0);
  CHECK(aws.get("secret_access_key") == "envsecret");
  CHECK(cfg->find("my-s3")->get("endpoint") == "http://e");
}

TEST_CASE("a remote can be defined by the environment alone", "[conf]") {
  Environment env{{"CPSYNC_CONFIG_MYAZ_TYPE", "azureblob"},
                  {"CPSYNC_CONFIG_MYAZ_ACCOUNT", "devstoreaccount1"},
                  {"CPSYNC_CONFIG_MYAZ_USE_EMULATOR", "true"}};
  auto cfg = parse("", env);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->remotes.size() == 1);
  const ConfigSection& az = cfg->remotes[0];
  CHECK(az.name == "myaz");
  CHECK(az.type == "azureblob");
  CHECK(az.origin == "environment");
  CHECK(az.get("account") == "devstoreaccount1");
  CHECK(az.get_bool("use_emulator", false).value());
}

TEST_CASE("the longest remote name wins for env variables", "[conf]") {
  Environment env{{"CPSYNC_CONFIG_AWS_PROD_TYPE", "s3"},
                  {"CPSYNC_CONFIG_AWS_PROD_REGION", "prod-region"},
                  {"CPSYNC_CONFIG_AWS_REGION", "dev-region"}};
  auto cfg = parse("[aws]\ntype = s3\n", env);
  REQUIRE(cfg.ok());
  REQUIRE(cfg->remotes.size() == 2);
  CHECK(cfg->find("aws")->get("region") == "dev-region");
  CHECK(cfg->find("aws_prod")->get("region") == "prod-region");
  CHECK(cfg->find("aws_prod")->type == "s3");
}

TEST_CASE("env can change a remote's type", "[conf]") {
  auto cfg = parse("[x]\ntype = s3\n", {{"CPSYNC_CONFIG_X_TYPE", "local"}});
  REQUIRE(cfg.ok());
  CHECK(cfg->remotes[0].type == "local");
}

TEST_CASE("env errors name the variable and never its value", "[conf]") {
  auto typo = parse("[aws]\ntype = s3\n", {{"CPSYNC_CONFIG_AWS_REGOIN", "eu"}});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().code == Errc::invalid_argument);
  CHECK(typo.status().message ==
        "remote 'aws' (env CPSYNC_CONFIG_AWS_REGOIN): unknown key 'regoin' for type s3; "
        "did you mean 'region'?");

  auto type = parse("", {{"CPSYNC_CONFIG_Z_TYPE", "nosuch"}});
  REQUIRE_FALSE(type.ok());
  CHECK(contains(type.status().message, "remote 'z' (env CPSYNC_CONFIG_Z_TYPE)"));
  CHECK(contains(type.status().message, "unknown type 'nosuch'"));

  auto required =
      parse_config("", "/etc/test.conf",
                   {{"CPSYNC_CONFIG_AZ_TYPE", "needs"}, {"CPSYNC_CONFIG_AZ_KEY", "supersecretkey"}},
                   cpsync::testing::registry_with_required_key().schemas());
  REQUIRE_FALSE(required.ok());
  CHECK(required.status().message ==
        "remote 'az' (environment): missing required key 'account' for type needs");
  CHECK_FALSE(contains(required.status().message, "supersecretkey"));

  auto bad_bool = parse("[x]\ntype = s3\n", {{"CPSYNC_CONFIG_X_FORCE_PATH_STYLE", "maybe"}});
  // Typed keys are checked when the config loads (the schema says force_path_style is a
  // boolean), with the same one line the backend's own read would give.
  REQUIRE_FALSE(bad_bool.ok());
  CHECK(contains(bad_bool.status().message, "(env CPSYNC_CONFIG_X_FORCE_PATH_STYLE)"));
}

TEST_CASE("config_env_var upper-cases and maps '-' to '_'", "[conf]") {
  CHECK(config_env_var("my-s3", "secret_access_key") == "CPSYNC_CONFIG_MY_S3_SECRET_ACCESS_KEY");
}
