// tests/unit/conf_spec_test.cc — remote specs (`name:bucket/path`, `name:`, local paths),
// table-driven, and resolving them to a Remote through the registry.
#include <catch2/catch.hpp>

#include <filesystem>

#include "conf/remote_spec.h"
#include "remotes/resolve.h"
#include "tests/unit/conf_test_registry.h"

using namespace cpsync;
using cpsync::testing::fake_registry;

namespace {

Config test_config() {
  auto cfg = parse_config(
      "[aws]\ntype = s3\n[az]\ntype = azureblob\naccount = a\n"
      "[disk]\ntype = local\n[my-s3.b]\ntype = s3\n",
      "/etc/test.conf", {}, fake_registry().schemas());
  REQUIRE(cfg.ok());
  return std::move(cfg).value();
}

std::string cwd() {
  return std::filesystem::current_path().string();
}

bool contains(const std::string& hay, const std::string& needle) {
  return hay.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("remote specs parse into remote, bucket and path", "[conf]") {
  Config cfg = test_config();
  struct Case {
    std::string in, remote, bucket, path;
    bool local;
  };
  const std::string here = cwd();
  const Case cases[] = {
      {"aws:bucket/path/prefix", "aws", "bucket", "path/prefix", false},
      {"aws:bucket", "aws", "bucket", "", false},
      {"aws:bucket/", "aws", "bucket", "", false},
      {"aws:bucket/logs/", "aws", "bucket", "logs", false},
      {"aws:", "aws", "", "", false},
      {"az:container/a b/c", "az", "container", "a b/c", false},
      {"my-s3.b:x/y", "my-s3.b", "x", "y", false},
      {"aws:b/ключ/ü", "aws", "b", "ключ/ü", false},
      {"/abs/dir", "", "", "/abs/dir", true},
      {"/abs/dir/", "", "", "/abs/dir", true},
      {"/", "", "", "/", true},
      {"/a/./b/../c", "", "", "/a/c", true},
      {"./rel", "", "", here + "/rel", true},
      {"rel/dir", "", "", here + "/rel/dir", true},
      {"rel", "", "", here + "/rel", true},
      {".", "", "", here, true},
      {"./a:b", "", "", here + "/a:b", true},
      {"/tmp/x:y/z", "", "", "/tmp/x:y/z", true},
      {"disk:/srv/data", "disk", "", "/srv/data", true},
      {"disk:rel", "disk", "", here + "/rel", true},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto spec = parse_remote_spec(c.in, cfg);
    REQUIRE(spec.ok());
    CHECK(spec->text == c.in);
    CHECK(spec->remote == c.remote);
    CHECK(spec->bucket == c.bucket);
    CHECK(spec->path == c.path);
    CHECK(spec->is_local == c.local);
  }
}

TEST_CASE("bad remote specs give one clear line", "[conf]") {
  Config cfg = test_config();
  struct Case {
    std::string in, message_part;
  };
  const Case cases[] = {
      {":bucket", "missing remote name before ':'"},
      {"nope:bucket", "unknown remote 'nope' (configured remotes: aws, az, disk, my-s3.b"},
      {"report:2024.txt", "for a local path write ./report:2024.txt"},
      {"asw:b", "unknown remote 'asw' (did you mean 'aws'? configured remotes: aws,"},
      {"aws:/x", "empty bucket name (use aws:bucket/path)"},
      {"aws:/", "empty bucket name"},
      {"aws:bucket/../x", "'..' path segments are not allowed"},
      {"aws:bucket/./x", "'.' path segments are not allowed"},
      {"aws:bucket/x/..", "'..' path segments"},
      {"aws:../x", "'..' is not a bucket name"},
      {"aws:b//x", "empty path segment"},
      {"aws:b/x\ny", "control character"},
      {"aws:b/\x7f", "control character"},
      {"", "empty location"},
      {"bad name:x", "invalid remote name 'bad name'"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto spec = parse_remote_spec(c.in, cfg);
    REQUIRE_FALSE(spec.ok());
    CHECK(spec.status().code == Errc::invalid_argument);
    if (c.in.find_first_of("\n\x7f") == std::string::npos) {
      CHECK(contains(spec.status().message, "remote spec '" + c.in + "'"));
    }
    CHECK(contains(spec.status().message, c.message_part));
    CHECK(spec.status().message.find('\n') == std::string::npos);  // one line, always
  }
}

TEST_CASE("unknown remote without a config file says where it looked", "[conf]") {
  Config empty;
  empty.location = {"/home/u/.config/cpsync/cpsync.conf", "default"};
  auto spec = parse_remote_spec("aws:b", empty);
  REQUIRE_FALSE(spec.ok());
  CHECK(contains(spec.status().message,
                 "no remotes configured; config file /home/u/.config/cpsync/cpsync.conf "
                 "not found"));
}

TEST_CASE("resolve builds the remote through the registry", "[conf]") {
  Config cfg = test_config();
  auto r = resolve_remote("az:cont/dir/sub", cfg, fake_registry());
  REQUIRE(r.ok());
  CHECK(r->remote->name() == "az");
  CHECK(r->bucket == "cont");
  CHECK(r->prefix == "dir/sub");
  auto* fake = dynamic_cast<cpsync::testing::FakeRemote*>(r->remote.get());
  REQUIRE(fake);
  CHECK(fake->section().get("account") == "a");

  auto local = resolve_remote("/srv/x", cfg, fake_registry());
  REQUIRE(local.ok());
  CHECK(local->remote->name() == "local");
  CHECK(local->bucket == "");
  CHECK(local->prefix == "/srv/x");
  CHECK(local->spec.is_local);

  auto bad = resolve_remote("nope:x", cfg, fake_registry());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code == Errc::invalid_argument);

  RemoteRegistry no_local;
  auto missing = resolve_remote("/srv/x", cfg, no_local);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code == Errc::not_supported);
  CHECK(contains(missing.status().message, "type 'local' is not built into"));
}
