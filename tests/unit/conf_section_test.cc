// tests/unit/conf_section_test.cc — ConfigSection accessors (sizes in core/units.h's
// grammar, tested in units_test.cc) and the one-line error form.
#include <catch2/catch.hpp>

#include "conf/config_section.h"

using namespace cpsync;

namespace {

ConfigSection section() {
  ConfigSection s;
  s.name = "aws";
  s.type = "s3";
  s.origin = "/etc/c.conf";
  s.values = {{"flag", "yes"}, {"off", "0"},       {"bad", "maybe"},
              {"size", "16M"}, {"badsize", "16X"}, {"empty", ""}};
  s.lines = {{"", 2}, {"type", 3}, {"flag", 4}, {"bad", 5}, {"size", 6}, {"badsize", 7}};
  return s;
}

}  // namespace

TEST_CASE("ConfigSection get, get_or, get_bool, get_size", "[conf]") {
  ConfigSection s = section();
  CHECK(s.get("type") == "s3");
  CHECK(s.get("flag") == "yes");
  CHECK_FALSE(s.get("nope"));
  CHECK(s.get_or("nope", "d") == "d");
  CHECK(s.get_or("empty", "d") == "d");
  CHECK(s.get_or("flag", "d") == "yes");

  CHECK(s.get_bool("flag", false).value());
  CHECK_FALSE(s.get_bool("off", true).value());
  CHECK(s.get_bool("nope", true).value());
  CHECK(s.get_bool("empty", true).value());
  auto bad = s.get_bool("bad", false);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code == Errc::invalid_argument);
  CHECK(bad.status().message ==
        "remote 'aws' (/etc/c.conf:5): invalid boolean 'maybe' for key 'bad' (use true or "
        "false)");

  CHECK(s.get_size("size", 1).value() == 16u << 20);
  CHECK(s.get_size("nope", 7).value() == 7);
  auto badsize = s.get_size("badsize", 0);
  REQUIRE_FALSE(badsize.ok());
  CHECK(badsize.status().message.starts_with("remote 'aws' (/etc/c.conf:7): invalid size '16X'"));
  // One grammar with the flags: a bare number is KiB.
  s.values["bare"] = "1024";
  CHECK(s.get_size("bare", 0).value() == 1u << 20);
}

TEST_CASE("ConfigSection::error falls back to the section line, then the origin", "[conf]") {
  ConfigSection s = section();
  CHECK(s.error("type", "x").message == "remote 'aws' (/etc/c.conf:3): x");
  CHECK(s.error("absent", "x").message == "remote 'aws' (/etc/c.conf:2): x");
  s.lines.clear();
  CHECK(s.error("absent", "x").message == "remote 'aws' (/etc/c.conf): x");
  CHECK(s.error("absent", "x").code == Errc::invalid_argument);
}
