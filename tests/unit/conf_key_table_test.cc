// tests/unit/conf_key_table_test.cc — the key tables of docs/remotes/*.md are the backends'
// option schemas (conf/key_table.h); a drift fails here. CPSYNC_UPDATE_KEY_TABLES=1 rewrites
// the docs from the schemas instead (after a schema change). Also: typed values are checked
// when the config is loaded, one line naming file, line and key.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "conf/config_file.h"
#include "conf/key_table.h"
#include "remotes/registry.h"
#include "tests/unit/conf_test_registry.h"

using namespace cpsync;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("docs/remotes key tables are generated from the option schemas", "[conf][docs]") {
  const bool update = std::getenv("CPSYNC_UPDATE_KEY_TABLES") != nullptr;
  for (auto [type, doc] : {std::pair{"s3", "s3.md"},
                           {"azureblob", "azure.md"},
                           {"oss", "oss.md"},
                           {"local", "local.md"}}) {
    // A path, not string appends: GCC 12 warns falsely (-Warray-bounds) on those here.
    const std::string path =
        (std::filesystem::path(CPSYNC_SOURCE_DIR) / "docs" / "remotes" / doc).string();
    INFO(path << " (after a schema change: CPSYNC_UPDATE_KEY_TABLES=1 ./build/tests/unit_tests "
                 "'[docs]')");
    const std::string text = read_file(path);
    const BackendEntry* backend = builtin_remotes().find(type);
    REQUIRE(backend != nullptr);
    const std::string table = markdown_key_table(backend->options);
    if (update) {
      auto spliced = splice_key_table(text, type, table);
      REQUIRE(spliced.has_value());
      std::ofstream(path, std::ios::binary) << *spliced;
      continue;
    }
    auto in_doc = generated_key_table(text, type);
    REQUIRE(in_doc.has_value());
    CHECK(*in_doc == table);
  }
}

TEST_CASE("markdown_key_table: types, defaults, secrets, required keys, pipes", "[conf]") {
  constexpr OptionSpec schema[] = {
      {.key = "size", .type = OptionType::size, .default_value = "5Mi", .help = "a | b"},
      {.key = "secret", .help = "the key", .secret = Secret::yes},
      {.key = "url", .default_value = "`https://<x>`", .help = "where", .required = true},
      {.key = "plain", .type = OptionType::boolean, .help = "no default"},
  };
  CHECK(markdown_key_table(schema) ==
        "| key | type | default | meaning |\n|---|---|---|---|\n"
        "| `size` | size | `5Mi` | a \\| b |\n"
        "| `secret` | text |  | the key. **Secret**: shown as `***`, never logged |\n"
        "| `url` | text | required | where |\n"
        "| `plain` | boolean |  | no default |\n");
  const std::string doc = "intro\n<!-- keys: t -->\nold\n<!-- /keys -->\nafter\n";
  CHECK(generated_key_table(doc, "t") == "old\n");
  CHECK(splice_key_table(doc, "t", "new\n") ==
        "intro\n<!-- keys: t -->\nnew\n<!-- /keys -->\nafter\n");
  CHECK_FALSE(generated_key_table(doc, "other").has_value());
}

TEST_CASE("config load checks boolean, size and integer values by the schema", "[conf]") {
  auto load = [](const std::string& text) {
    return parse_config(text, "/etc/test.conf", {}, testing::fake_registry().schemas());
  };
  auto b = load("[aws]\ntype = s3\nenv_auth = maybe\n");
  REQUIRE_FALSE(b.ok());
  CHECK(b.status().message ==
        "remote 'aws' (/etc/test.conf:3): invalid boolean 'maybe' for key 'env_auth' (use true "
        "or false)");
  auto s = load("[az]\ntype = azureblob\naccount = a\nchunk_size = 4 MiB\n");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().message.find("remote 'az' (/etc/test.conf:4): invalid size '4 MiB' for key "
                                "'chunk_size'") == 0);
  auto i = load("[o]\ntype = oss\nendpoint = http://127.0.0.1:1\nlist_chunk = 10x\n");
  REQUIRE_FALSE(i.ok());
  CHECK(i.status().message ==
        "remote 'o' (/etc/test.conf:4): invalid number '10x' for key 'list_chunk'");
  CHECK(load("[aws]\ntype = s3\nenv_auth = yes\nchunk_size = 8Mi\n").ok());
}
