// tests/unit/time_parse_bounds_test.cc — the time parsers on values a TimePoint cannot hold
// (found by fuzz/s3_listing: year 9999 overflowed int64 nanoseconds): they answer nullopt.
#include <catch2/catch.hpp>

#include "core/time_format.h"

using namespace cpsync;

TEST_CASE("time parsers refuse what a TimePoint cannot hold", "[time]") {
  CHECK_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  CHECK_FALSE(parse_iso8601("0001-01-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("2024-05-17T25:00:00Z"));
  CHECK_FALSE(parse_iso8601("2024-05-17T12:-1:00Z"));
  CHECK_FALSE(parse_rfc1123("Fri, 17 May 99999999 12:34:56 GMT"));
  CHECK_FALSE(parse_rfc1123("Fri, 17 May 2024 12:34:99 GMT"));
  CHECK_FALSE(parse_unix_seconds("99999999999999999999999"));
  CHECK_FALSE(parse_unix_seconds("9300000000"));
  CHECK(parse_iso8601("2261-12-31T23:59:59Z"));
  CHECK(parse_iso8601("1970-01-01T00:00:00Z")->time_since_epoch().count() == 0);
  CHECK(parse_unix_seconds("8999999999.5"));
  CHECK(parse_unix_seconds("-86400"));
}
