// tests/unit/conf_config_edit_test.cc — conf/config_edit.h: key=value words checked against
// a schema, sections added, updated in place and deleted with the rest of the text kept,
// and the atomic write (mode 0600, no temporary file left, a symlink's target written).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "conf/config_edit.h"

using namespace cpsync;

namespace {

constexpr OptionSpec kOptions[] = {
    {.key = "region", .default_value = "us-east-1"},
    {.key = "path_style", .type = OptionType::boolean},
    {.key = "chunk_size", .type = OptionType::size},
    {.key = "secret_key", .secret = Secret::yes},
};
const BackendSchema kSchema{"s3", "test", kOptions};

const char* kText =
    "# my remotes\n"
    "[a]\n"
    "type = s3\n"
    "region = eu  ; inline comment\n"
    "\n"
    "; about b\n"
    "[b]\n"
    "type = local\n"
    "\n"
    "[c]\n"
    "type = s3\n";

}  // namespace

TEST_CASE("key=value words are checked against the schema", "[config_edit]") {
  auto ok =
      parse_key_values({"Region=eu-west-1", "path_style=true", "secret_key=a=b"}, kSchema, "x");
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 3);
  CHECK((*ok)[0].key == "region");
  CHECK((*ok)[2].value == "a=b");
  CHECK(parse_key_values({"regoin=x"}, kSchema, "x").status().message ==
        "unknown key 'regoin' for type s3; did you mean 'region'? (cpsync config keys s3 lists "
        "them)");
  CHECK(parse_key_values({"path_style=maybe"}, kSchema, "x")
            .status()
            .message.find("invalid boolean 'maybe'") != std::string::npos);
  CHECK(parse_key_values({"chunk_size=16MB"}, kSchema, "x").status().code ==
        Errc::invalid_argument);
  auto word = parse_key_values({"SECRETVALUE123"}, kSchema, "x").status().message;
  CHECK(word.find("SECRETVALUE123") == std::string::npos);
  CHECK(parse_key_values({"region=a\nb"}, kSchema, "x").status().code == Errc::invalid_argument);
  CHECK(parse_key_values({"type=s3"}, kSchema, "x").status().code == Errc::invalid_argument);
  CHECK(parse_key_values({"region=a", "region=b"}, kSchema, "x").status().code ==
        Errc::invalid_argument);
}

TEST_CASE("sections are added, updated in place and deleted, the rest kept", "[config_edit]") {
  CHECK(config_text_create(kText, "d", "s3", {{"region", "x"}}) ==
        std::string(kText) + "\n[d]\ntype = s3\nregion = x\n");
  CHECK(config_text_create("", "d", "local", {}) == "[d]\ntype = local\n");

  auto up = config_text_update(kText, "a", {{"region", "us"}, {"path_style", "true"}});
  REQUIRE(up.ok());
  CHECK(*up ==
        "# my remotes\n[a]\ntype = s3\nregion = us\npath_style = true\n\n; about b\n[b]\n"
        "type = local\n\n[c]\ntype = s3\n");
  auto last = config_text_update(kText, "c", {{"region", "r"}});
  REQUIRE(last.ok());
  CHECK(last->ends_with("[c]\ntype = s3\nregion = r\n"));
  CHECK(config_text_update(kText, "zz", {{"region", "r"}}).status().code == Errc::not_found);

  auto del = config_text_delete(kText, "b");
  REQUIRE(del.ok());
  CHECK(*del ==
        "# my remotes\n[a]\ntype = s3\nregion = eu  ; inline comment\n\n; about b\n"
        "[c]\ntype = s3\n");
  auto first = config_text_delete(kText, "a");
  REQUIRE(first.ok());
  CHECK(first->starts_with("# my remotes\n; about b\n[b]\n"));
  CHECK(config_text_delete(kText, "zz").status().code == Errc::not_found);
}

TEST_CASE("the config file is written atomically with mode 0600", "[config_edit]") {
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/cpsync-edit-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  const fs::path dir = tmpl;
  const fs::path file = dir / "sub" / "cpsync.conf";
  REQUIRE(write_config_file(file.string(), "[a]\ntype = local\n").ok());
  struct stat st {};
  REQUIRE(stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat(file.parent_path().c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  // A symlinked config: the target is replaced, the link stays.
  const fs::path link = dir / "link.conf";
  fs::create_symlink(file, link);
  REQUIRE(write_config_file(link.string(), "[b]\ntype = local\n").ok());
  CHECK(fs::is_symlink(link));
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == "[b]\ntype = local\n");
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(file.parent_path())) entries += e.exists();
  CHECK(entries == 1);  // no temporary file left
  CHECK(write_config_file((dir / "no-dir-file" / "x").string(), "x").ok());
  fs::permissions(dir / "sub", fs::perms::owner_read | fs::perms::owner_exec);
  if (::geteuid() != 0) {  // root writes anyway
    auto denied = write_config_file(file.string(), "[c]\ntype = local\n");
    CHECK(denied.code == Errc::permanent);
    CHECK(denied.message.find(file.string()) != std::string::npos);
  }
  fs::permissions(dir / "sub", fs::perms::owner_all);
  fs::remove_all(dir);
}
