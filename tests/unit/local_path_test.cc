// tests/unit/local_path_test.cc — which keys the local remote accepts, temp names, mtimes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "remotes/local/local_path.h"

using namespace cpsync;
using namespace cpsync::local;

TEST_CASE("local keys: absolute file paths only", "[local]") {
  CHECK(check_key("l", "/a").ok());
  CHECK(check_key("l", "/data/dir with space/é 日本 +%=&?#~.txt").ok());
  CHECK(check_key("l", "/" + std::string(255, 'x')).ok());
  for (std::string bad :
       std::vector<std::string>{"", "a/b", "/", "/a/", "/a//b", "//a", "/a/./b", "/a/../b", "/..",
                                "/a/.", std::string("/a\0b", 4), "/" + std::string(256, 'x')}) {
    Status s = check_key("mine", bad);
    INFO("key: " << bad);
    CHECK(s.code == Errc::invalid_argument);
    CHECK_THAT(s.message, Catch::StartsWith("local 'mine': key \""));
  }
  CHECK_THAT(check_key("l", "/a//b").message, Catch::Contains("\"//\""));
  CHECK(check_dir("l", "/a/b/").ok());
  CHECK(check_dir("l", "/").ok());
  CHECK(check_dir("l", "/a//b").code == Errc::invalid_argument);
}

TEST_CASE("local temp names: same directory, hidden, within NAME_MAX", "[local]") {
  std::string t = temp_path_for("/d/e/file.txt");
  CHECK_THAT(t, Catch::StartsWith("/d/e/.file.txt.cpsync-tmp-"));
  CHECK(t.size() == std::string("/d/e/.file.txt.cpsync-tmp-").size() + 16);
  CHECK(is_temp_name(t.substr(5)));
  CHECK(temp_path_for("/d/e/file.txt") != t);
  std::string longname(255, 'n');
  std::string lt = temp_path_for("/d/" + longname);
  CHECK(lt.size() - 3 <= 255);
  CHECK(is_temp_name(lt.substr(3)));
  CHECK_FALSE(is_temp_name("file.txt"));
  CHECK_FALSE(is_temp_name(".file.cpsync-tmp-short"));
  CHECK_FALSE(is_temp_name("x.file.cpsync-tmp-0123456789abcdef"));
  CHECK(parent_dir("/a/b/c") == "/a/b");
  CHECK(parent_dir("/a") == "/");
}

TEST_CASE("local upload mtime: option, else rclone's mtime metadata", "[local]") {
  UploadOptions o;
  CHECK_FALSE(upload_mtime(o));
  o.metadata[kMetaMtime] = "1715949296.123456789";
  REQUIRE(upload_mtime(o));
  CHECK(upload_mtime(o)->time_since_epoch().count() == 1715949296123456789LL);
  o.mtime = TimePoint(std::chrono::seconds(5));
  CHECK(upload_mtime(o) == o.mtime);
}
