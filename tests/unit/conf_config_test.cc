// tests/unit/conf_config_test.cc — the config file: parsing with inih, line numbers, every
// one-line error (file, line, key, Errc), the default location and file permissions.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "conf/config_file.h"
#include "tests/unit/conf_test_registry.h"

using namespace cpsync;
using cpsync::testing::fake_registry;

namespace {

Result<Config> parse(const std::string& text, const Environment& env = {}) {
  return parse_config(text, "/etc/test.conf", env, fake_registry().schemas());
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/cpsync-conf-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    path = tmpl;
  }
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
  std::string write(const std::string& name, const std::string& text, mode_t mode = 0600) {
    std::string p = path + "/" + name;
    std::ofstream(p) << text;
    chmod(p.c_str(), mode);
    return p;
  }
};

}  // namespace

TEST_CASE("config parses sections, keys and line numbers", "[conf]") {
  auto cfg = parse(
      "; comment\n"
      "# another\n"
      "[aws]\n"
      "type = s3\n"
      "  region = eu-west-1   \n"  // indented: a key, not a continuation
      "endpoint: http://127.0.0.1:7480 ; inline comment\n"
      "\n"
      "[az]\r\n"
      "type=azureblob\r\n"
      "account = devstoreaccount1\r\n");
  REQUIRE(cfg.ok());
  REQUIRE(cfg->remotes.size() == 2);
  const ConfigSection& aws = cfg->remotes[0];
  CHECK(aws.name == "aws");
  CHECK(aws.type == "s3");
  CHECK(aws.origin == "/etc/test.conf");
  CHECK(aws.get("region") == "eu-west-1");
  CHECK(aws.get("endpoint") == "http://127.0.0.1:7480");
  CHECK(aws.values.count("type") == 0);
  CHECK(aws.lines.at("") == 3);
  CHECK(aws.lines.at("type") == 4);
  CHECK(aws.lines.at("region") == 5);
  CHECK(aws.lines.at("endpoint") == 6);
  CHECK(cfg->remotes[1].get("account") == "devstoreaccount1");
  CHECK(cfg->remotes[1].lines.at("account") == 10);
  CHECK(cfg->find("az") == &cfg->remotes[1]);
  CHECK(cfg->find("nope") == nullptr);
  CHECK(cfg->names() == std::vector<std::string>{"aws", "az"});
}

TEST_CASE("config keeps values longer than inih's 200-byte lines", "[conf]") {
  std::string sas =
      "https://acct.blob.core.windows.net/c?sv=2021-08-06&sig=" + std::string(400, 'x');
  auto cfg = parse("\xEF\xBB\xBF[az]\ntype = azureblob\naccount = a\nsas_url = " + sas +
                   "\nendpoint = e\n; " + std::string(300, 'c') + "\nuse_emulator = true\n");
  REQUIRE(cfg.ok());
  const ConfigSection& az = cfg->remotes.at(0);
  CHECK(az.get("sas_url") == sas);
  CHECK(az.lines.at("sas_url") == 4);
  CHECK(az.get("endpoint") == "e");
  CHECK(az.lines.at("endpoint") == 5);
  CHECK(az.lines.at("use_emulator") == 7);
}

TEST_CASE("config syntax errors name file and line, never the line's text", "[conf]") {
  auto cfg = parse("[aws]\ntype = s3\nsecret_access_key AKIASECRETVALUE\n");
  REQUIRE_FALSE(cfg.ok());
  CHECK(cfg.status().code == Errc::invalid_argument);
  CHECK(contains(cfg.status().message, "/etc/test.conf:3"));
  CHECK(contains(cfg.status().message, "syntax error"));
  CHECK_FALSE(contains(cfg.status().message, "AKIASECRETVALUE"));

  for (const char* line : {"key QXp1cmVLZXlWYWx1ZQ==", "QXp1cmVLZXlWYWx1ZQ==",
                           "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE=", "abc123def456 = x"}) {
    INFO(line);
    auto leaked = parse(std::string("[az]\ntype = azureblob\naccount = a\n") + line + "\n");
    REQUIRE_FALSE(leaked.ok());
    CHECK(contains(leaked.status().message, "/etc/test.conf:4: syntax error"));
    std::string lower_msg = leaked.status().message;
    for (char& c : lower_msg) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    CHECK_FALSE(contains(lower_msg, "qxp1"));
    CHECK_FALSE(contains(lower_msg, "wjalr"));
    CHECK_FALSE(contains(lower_msg, "abc123"));
  }

  auto unclosed = parse("[aws]\ntype = s3\n[az\n");
  REQUIRE_FALSE(unclosed.ok());
  CHECK(contains(unclosed.status().message, "/etc/test.conf:3"));
  CHECK(contains(unclosed.status().message, "']'"));

  auto outside = parse("region = x\n[aws]\ntype = s3\n");
  REQUIRE_FALSE(outside.ok());
  CHECK(contains(outside.status().message, "/etc/test.conf:1"));
  CHECK(contains(outside.status().message, "'region'"));

  auto longname = parse("[" + std::string(300, 'n') + "]\ntype = s3\n[ok]\ntype = s3\n");
  REQUIRE_FALSE(longname.ok());
  CHECK(contains(longname.status().message, "/etc/test.conf:1: invalid remote name"));

  auto trailing = parse("[aws] junk\ntype = s3\n");
  REQUIRE_FALSE(trailing.ok());
  CHECK(contains(trailing.status().message, "/etc/test.conf:1: syntax error"));

  auto badname = parse("[my remote]\ntype = s3\n");
  REQUIRE_FALSE(badname.ok());
  CHECK(contains(badname.status().message, "/etc/test.conf:1"));
  CHECK(contains(badname.status().message, "invalid remote name"));
}

TEST_CASE("config rejects duplicate sections and keys", "[conf]") {
  auto dup = parse("[aws]\ntype = s3\n\n[aws]\ntype = s3\n");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().code == Errc::invalid_argument);
  CHECK(contains(dup.status().message, "/etc/test.conf:4"));
  CHECK(contains(dup.status().message, "duplicate section [aws]"));
  CHECK(contains(dup.status().message, "line 1"));

  auto key = parse("[aws]\ntype = s3\nregion = a\nregion = b\n");
  REQUIRE_FALSE(key.ok());
  CHECK(contains(key.status().message, "remote 'aws' (/etc/test.conf:4)"));
  CHECK(contains(key.status().message, "duplicate key 'region'"));
  CHECK(contains(key.status().message, "line 3"));
}

TEST_CASE("config validates type, keys and required keys against the schema", "[conf]") {
  auto unknown_type = parse("[aws]\ntype = s4\n");
  REQUIRE_FALSE(unknown_type.ok());
  CHECK(unknown_type.status().code == Errc::invalid_argument);
  CHECK(unknown_type.status().message ==
        "remote 'aws' (/etc/test.conf:2): unknown type 's4'; did you mean 's3'? "
        "(known types: azureblob, local, oss, s3)");

  auto no_type = parse("[aws]\nregion = x\n");
  REQUIRE_FALSE(no_type.ok());
  CHECK(contains(no_type.status().message, "remote 'aws' (/etc/test.conf:1)"));
  CHECK(contains(no_type.status().message, "missing key 'type'"));

  auto typo = parse("[aws]\ntype = s3\nregion = x\nregoin = eu-west-1\n");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.status().code == Errc::invalid_argument);
  CHECK(typo.status().message ==
        "remote 'aws' (/etc/test.conf:4): unknown key 'regoin' for type s3; did you mean "
        "'region'?");

  auto far = parse("[aws]\ntype = s3\nzzzzzz = 1\n");
  REQUIRE_FALSE(far.ok());
  CHECK(contains(far.status().message, "unknown key 'zzzzzz'"));
  CHECK_FALSE(contains(far.status().message, "did you mean"));

  auto with_required = [](const std::string& text) {
    return parse_config(text, "/etc/test.conf", {},
                        cpsync::testing::registry_with_required_key().schemas());
  };
  auto missing = with_required("[az]\ntype = needs\nkey = c2VjcmV0\n");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code == Errc::invalid_argument);
  CHECK(missing.status().message ==
        "remote 'az' (/etc/test.conf:1): missing required key 'account' for type needs");
  CHECK_FALSE(contains(missing.status().message, "c2VjcmV0"));

  auto empty_required = with_required("[az]\ntype = needs\naccount =\n");
  REQUIRE_FALSE(empty_required.ok());
  CHECK(contains(empty_required.status().message, "missing required key 'account'"));

  CHECK(parse("[disk]\ntype = local\n").ok());
  CHECK(parse("").ok());
  CHECK(parse("")->remotes.empty());
}

TEST_CASE("keys are case-insensitive, remote names are not", "[conf]") {
  auto cfg = parse("[AWS]\nTYPE = s3\nRegion = x\n");
  REQUIRE(cfg.ok());
  CHECK(cfg->find("AWS"));
  CHECK_FALSE(cfg->find("aws"));
  CHECK(cfg->remotes[0].type == "s3");
  CHECK(cfg->remotes[0].get("region") == "x");
}

TEST_CASE("load_config: explicit missing file, default missing file, permissions", "[conf]") {
  TempDir dir;
  Environment env;

  auto missing = load_config({dir.path + "/nope.conf", "--config"}, env, fake_registry().schemas());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code == Errc::not_found);
  CHECK(missing.status().message ==
        "config file not found: " + dir.path + "/nope.conf (from --config)");

  auto from_env =
      load_config({dir.path + "/nope.conf", "CPSYNC_CONFIG"}, env, fake_registry().schemas());
  REQUIRE_FALSE(from_env.ok());
  CHECK(contains(from_env.status().message, "(from CPSYNC_CONFIG)"));

  auto dflt = load_config({dir.path + "/nope.conf", "default"}, env, fake_registry().schemas());
  REQUIRE(dflt.ok());
  CHECK_FALSE(dflt->file_found);
  CHECK(dflt->remotes.empty());

  auto isdir = load_config({dir.path, "--config"}, env, fake_registry().schemas());
  REQUIRE_FALSE(isdir.ok());
  CHECK(contains(isdir.status().message, "is a directory"));

  std::string priv = dir.write("priv.conf", "[aws]\ntype = s3\n", 0600);
  auto ok = load_config({priv, "--config"}, env, fake_registry().schemas());
  REQUIRE(ok.ok());
  CHECK(ok->file_found);
  CHECK(ok->warnings.empty());
  CHECK(ok->remotes.at(0).origin == priv);

  std::string open = dir.write("open.conf", "[aws]\ntype = s3\n", 0644);
  auto warned = load_config({open, "--config"}, env, fake_registry().schemas());
  REQUIRE(warned.ok());
  REQUIRE(warned->warnings.size() == 1);
  CHECK(contains(warned->warnings[0], open));
  CHECK(contains(warned->warnings[0], "0644"));
  CHECK(contains(warned->warnings[0], "chmod 600"));

  std::string bad = dir.write("bad.conf", "[aws]\ntype = s3\nregoin = x\n");
  auto badcfg = load_config({bad, "--config"}, env, fake_registry().schemas());
  REQUIRE_FALSE(badcfg.ok());
  CHECK(contains(badcfg.status().message, bad + ":3"));
}

TEST_CASE("locate_config: --config, then CPSYNC_CONFIG, then XDG, then HOME", "[conf]") {
  Environment env{{"HOME", "/home/u"}};
  CHECK(locate_config("", env).path == "/home/u/.config/cpsync/cpsync.conf");
  CHECK(locate_config("", env).source == "default");
  env["XDG_CONFIG_HOME"] = "/xdg";
  CHECK(locate_config("", env).path == "/xdg/cpsync/cpsync.conf");
  env["XDG_CONFIG_HOME"] = "relative";  // ignored, as the XDG spec says
  CHECK(locate_config("", env).path == "/home/u/.config/cpsync/cpsync.conf");
  env["CPSYNC_CONFIG"] = "~/my.conf";
  CHECK(locate_config("", env).path == "/home/u/my.conf");
  CHECK(locate_config("", env).source == "CPSYNC_CONFIG");
  CHECK(locate_config("/etc/x.conf", env).path == "/etc/x.conf");
  CHECK(locate_config("/etc/x.conf", env).source == "--config");
}

TEST_CASE("secrets are redacted by schema and by name", "[conf]") {
  std::span<const OptionSpec> s3 = cpsync::testing::schema_of("s3");
  REQUIRE(!s3.empty());
  CHECK(display_value(s3, "secret_access_key", "wJalrXUtnFEMI") == "***");
  CHECK(display_value(s3, "session_token", "tok") == "***");
  CHECK(display_value(s3, "access_key_id", "AKIA") == "AKIA");
  CHECK(display_value(s3, "region", "eu") == "eu");
  CHECK(display_value(s3, "secret_access_key", "") == "");
  std::span<const OptionSpec> none;
  for (const char* k : {"key", "account_key", "access_key_secret", "sas_url", "password",
                        "connection_string", "session_token"}) {
    INFO(k);
    CHECK(is_secret_key(none, k));
  }
  CHECK_FALSE(is_secret_key(none, "access_key_id"));
  CHECK_FALSE(is_secret_key(none, "endpoint"));
}

TEST_CASE("nearest_word suggests close keys only", "[conf]") {
  std::vector<std::string> keys{"region", "endpoint", "secret_access_key", "access_key_id"};
  CHECK(nearest_word("regoin", keys) == "region");
  CHECK(nearest_word("endpiont", keys) == "endpoint");
  CHECK(nearest_word("secret", keys) == "secret_access_key");
  CHECK(nearest_word("bucket", keys) == "");
}
