// tests/unit/time_format_test.cc — provider date forms round-trip.
#include <catch2/catch.hpp>

#include "core/time_format.h"

using namespace cpsync;

TEST_CASE("dates format and parse in every provider form", "[time]") {
  auto t = parse_iso8601("2024-05-17T12:34:56.000Z");
  REQUIRE(t);
  CHECK(format_iso8601_basic(*t) == "20240517T123456Z");
  CHECK(format_date_basic(*t) == "20240517");
  CHECK(format_iso8601(*t) == "2024-05-17T12:34:56Z");
  CHECK(format_rfc1123(*t) == "Fri, 17 May 2024 12:34:56 GMT");
  CHECK(parse_rfc1123("Fri, 17 May 2024 12:34:56 GMT") == t);
  CHECK(format_unix_seconds(*t) == "1715949296.000000000");
  auto frac = parse_unix_seconds("1715949296.123456789");
  REQUIRE(frac);
  CHECK(format_unix_seconds(*frac) == "1715949296.123456789");
  CHECK(parse_iso8601("2024-05-17T12:34:56.1234567Z")->time_since_epoch().count() ==
        1715949296123456700LL);
  CHECK_FALSE(parse_unix_seconds("12a"));
  CHECK_FALSE(parse_iso8601("yesterday"));
}
