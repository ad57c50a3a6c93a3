// tests/unit/conf_option_reader_test.cc — conf/option_reader.h: a backend reads its keys
// through its option schema, so an absent key takes the default the docs show. Also: every
// built-in schema's defaults parse in their own type, and the backends' options carry them.
#include <catch2/catch.hpp>

#include "conf/option_reader.h"
#include "core/units.h"
#include "remotes/azure/azure_options.h"
#include "remotes/oss/options.h"
#include "remotes/registry.h"
#include "remotes/s3/options.h"

using namespace cpsync;

namespace {

constexpr OptionSpec kSchema[] = {
    {.key = "name", .type = OptionType::text, .default_value = "plain"},
    {.key = "fast", .type = OptionType::boolean, .default_value = "true"},
    {.key = "part", .type = OptionType::size, .default_value = "8Mi"},
    {.key = "pages", .type = OptionType::integer, .default_value = "250"},
    {.key = "style", .type = OptionType::boolean, .default_note = "`true` off AWS"},
};

ConfigSection section(std::map<std::string, std::string> values) {
  ConfigSection s;
  s.name = "r";
  s.type = "test";
  s.origin = "/etc/cpsync.conf";
  s.values = std::move(values);
  int line = 3;
  for (const auto& [k, v] : s.values) s.lines[k] = line++;
  return s;
}

const OptionSpec& spec_of(std::span<const OptionSpec> schema, std::string_view key) {
  for (const auto& o : schema)
    if (key == o.key) return o;
  FAIL("no key " << key);
  return schema[0];
}

uint64_t schema_size(std::span<const OptionSpec> schema, std::string_view key) {
  auto n = parse_size(spec_of(schema, key).default_value);
  REQUIRE(n.ok());
  return *n;
}

}  // namespace

TEST_CASE("option reader: absent and empty keys take the schema's default", "[conf]") {
  for (const auto& s : {section({}), section({{"name", ""}, {"part", ""}, {"pages", ""}})}) {
    auto r = OptionReader::open(s, kSchema, "test");
    REQUIRE(r.ok());
    CHECK(r->text("name") == "plain");
    CHECK(*r->boolean("fast") == true);
    CHECK(*r->size("part") == (8u << 20));
    CHECK(*r->integer("pages") == 250);
    CHECK(*r->boolean("style", false) == false);  // a default that depends: the caller's
  }
}

TEST_CASE("option reader: written values win, bad ones give one line", "[conf]") {
  const ConfigSection written =
      section({{"name", "x"}, {"fast", "no"}, {"part", "1G"}, {"pages", "7"}, {"style", "yes"}});
  auto r = OptionReader::open(written, kSchema, "test");
  REQUIRE(r.ok());
  CHECK(r->text("name") == "x");
  CHECK(*r->boolean("fast") == false);
  CHECK(*r->size("part") == *parse_size("1G"));
  CHECK(*r->integer("pages") == 7);
  CHECK(*r->boolean("style", false) == true);

  const ConfigSection lots = section({{"part", "lots"}});
  auto bad = OptionReader::open(lots, kSchema, "test");
  REQUIRE(bad.ok());
  auto size = bad->size("part");
  REQUIRE_FALSE(size.ok());
  CHECK(size.status().message.starts_with("remote 'r' (/etc/cpsync.conf:3): invalid size 'lots'"));
}

TEST_CASE("option reader: a key the schema does not declare is refused", "[conf]") {
  const ConfigSection typo = section({{"name", "x"}, {"prat", "1M"}});
  auto r = OptionReader::open(typo, kSchema, "test");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message == "remote 'r' (/etc/cpsync.conf:4): unknown key 'prat' for type test");
}

TEST_CASE("option schemas: every default parses in its key's type", "[conf][docs]") {
  for (const auto& backend : builtin_remotes().entries()) {
    const ConfigSection empty = section({});
    auto r = OptionReader::open(empty, backend.options, backend.type);
    REQUIRE(r.ok());
    for (const auto& o : backend.options) {
      INFO(backend.type << "." << o.key);
      CHECK_FALSE((*o.default_value && *o.default_note));  // one or the other
      if (!*o.default_value) continue;
      switch (o.type) {
        case OptionType::boolean:
          CHECK(r->boolean(o.key).ok());
          break;
        case OptionType::size:
          CHECK(r->size(o.key).ok());
          break;
        case OptionType::integer:
          CHECK(r->integer(o.key).ok());
          break;
        case OptionType::text:
          CHECK(r->text(o.key) == o.default_value);
          break;
      }
    }
  }
}

TEST_CASE("option schemas: the backends' options carry the schema's defaults", "[conf]") {
  auto s3o = s3::S3Options::from_section(
      section({{"provider", "Ceph"}, {"endpoint", "http://127.0.0.1:7480"}}));
  REQUIRE(s3o.ok());
  auto s3s = s3::option_schema();
  CHECK(s3o->chunk_size == schema_size(s3s, "chunk_size"));
  CHECK(s3o->upload_cutoff == schema_size(s3s, "upload_cutoff"));
  CHECK(s3o->copy_cutoff == schema_size(s3s, "copy_cutoff"));

  auto osso =
      oss::OssOptions::from_section(section({{"access_key_id", "AK"},
                                             {"access_key_secret", "SK"},
                                             {"endpoint", "oss-cn-hangzhou.aliyuncs.com"}}));
  REQUIRE(osso.ok());
  auto osss = oss::option_schema();
  CHECK(osso->chunk_size == schema_size(osss, "chunk_size"));
  CHECK(osso->copy_cutoff == schema_size(osss, "copy_cutoff"));
  CHECK(std::to_string(osso->list_chunk) == spec_of(osss, "list_chunk").default_value);
  CHECK(std::to_string(osso->list_version) == spec_of(osss, "list_version").default_value);
  CHECK(osso->signature == oss::SignatureVersion::v4);
  CHECK(osso->credential_provider.empty());  // "chain": the whole chain

  auto azo = azure::azure_options_from_section(section({{"use_emulator", "true"}}));
  REQUIRE(azo.ok());
  auto azs = azure::azure_options_schema();
  CHECK(azo->chunk_size == schema_size(azs, "chunk_size"));
  CHECK(azo->upload_cutoff == schema_size(azs, "upload_cutoff"));
  CHECK(std::to_string(azo->list_chunk) == spec_of(azs, "list_chunk").default_value);
}
