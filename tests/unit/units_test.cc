// tests/unit/units_test.cc — core/units.h: the one size grammar (rclone's suffixes, a bare
// number is KiB), the one duration grammar (rclone's units, combinable) and the dates of the
// age filters; bad input gives one line that quotes it.
#include <catch2/catch.hpp>

#include <string>

#include "core/units.h"

using namespace cpsync;
using namespace std::chrono_literals;
using std::chrono::nanoseconds;

TEST_CASE("sizes: rclone's suffixes, a bare number is KiB", "[units]") {
  const std::pair<const char*, uint64_t> good[] = {
      {"0", 0},
      {"1024", 1u << 20},  // KiB, for every flag and config key alike
      {"100", 100 * 1024},
      {"1.5", 1536},
      {".5k", 512},
      {"5.", 5120},
      {"100b", 100},
      {"100B", 100},
      {"0b", 0},
      {"16777216b", 16u << 20},
      {"1k", 1024},
      {"1K", 1024},
      {"1Ki", 1024},
      {"1KiB", 1024},
      {"1kib", 1024},
      {"512k", 512u << 10},
      {"16M", 16u << 20},
      {"5Mi", 5u << 20},
      {"5MiB", 5u << 20},
      {"1.5M", 1572864},
      {"2G", 2ull << 30},
      {"1.5G", 3ull << 29},
      {"2T", 2ull << 40},
      {"1P", 1ull << 50},
      {"1E", 1ull << 60},
      {"15E", 15ull << 60},
      {" 8M ", 8u << 20},
      {"0.0000001k", 0},  // rounds down to whole bytes
      {"1.9999b", 1},
      {"18446744073709551615b", UINT64_MAX},
  };
  for (const auto& [text, bytes] : good) {
    INFO(text);
    auto r = parse_size(text);
    REQUIRE(r.ok());
    CHECK(*r == bytes);
  }
  const char* bad[] = {"",
                       "b",
                       "k",
                       "Mi",
                       "abc",
                       "1x",
                       "-1",
                       "+1",
                       "1.2.3",
                       "1kB",
                       "5MB",
                       "1 M",
                       "16E",
                       "20000P",
                       "1Xi",
                       "1XiB",
                       ".",
                       "16X",
                       "16Mx",
                       "1e3",
                       "99999999999999999999",
                       "18446744073709551616b"};
  for (const char* text : bad) {
    INFO(text);
    auto r = parse_size(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::invalid_argument);
    const std::string& m = r.status().message;
    CHECK_THAT(m, Catch::StartsWith(std::string("bad size \"") + text + "\" ("));
    CHECK(m.find('\n') == std::string::npos);
  }
  CHECK(parse_size("lots").status().message ==
        "bad size \"lots\" (use a number with b, k, M, G, T, P or E, e.g. 512k, 16Mi, 1.5G; a "
        "bare number is KiB)");
}

TEST_CASE("durations: rclone's units, combinable, a bare number is seconds", "[units]") {
  const std::pair<const char*, nanoseconds> good[] = {
      {"0", 0s},
      {"90", 90s},
      {"1.5", 1500ms},
      {"7ns", 7ns},
      {"250us", 250us},
      {"250\xC2\xB5s", 250us},
      {"1ms", 1ms},
      {"500ms", 500ms},
      {"10s", 10s},
      {"30m", 30min},
      {"2h", 2h},
      {"1h30m", 90min},
      {"30m1h", 90min},
      {"1d", 24h},
      {"1d2h", 26h},
      {"2.5d", 60h},
      {"1w", 168h},
      {"1M", 720h},
      {"1y", 8760h},
      {"1y1M1w1d1h1m1s", 8760h + 720h + 168h + 24h + 1h + 1min + 1s},
      {"1h0.5s", 1h + 500ms},
      {"0.1ns", 0ns},
      {"292y", 292 * 8760h},
  };
  for (const auto& [text, d] : good) {
    INFO(text);
    auto r = parse_duration(text);
    REQUIRE(r.ok());
    CHECK(*r == d);
  }
  const char* bad[] = {"",    "d",  "1x", "1d2",   "1h30", "-1d",  "-1",   "h1",           "1..5s",
                       "1 d", "1H", "1S", "1.5.s", ".",    "1ms5", "293y", "99999999999y", "soon"};
  for (const char* text : bad) {
    INFO(text);
    auto r = parse_duration(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::invalid_argument);
    const std::string& m = r.status().message;
    CHECK_THAT(m, Catch::StartsWith(std::string("bad duration \"") + text + "\" ("));
    CHECK(m.find('\n') == std::string::npos);
  }
}

TEST_CASE("dates: the absolute forms the age filters take", "[units]") {
  using namespace std::chrono;
  const sys_time<nanoseconds> day = sys_days(2024y / May / 17);
  CHECK(parse_date_time("2024-05-17") == day);
  CHECK(parse_date_time("2024-05-17 12:34:56") == day + 12h + 34min + 56s);
  CHECK(parse_date_time("2024-05-17T12:34:56.5+02:00") == day + 10h + 34min + 56s + 500ms);
  for (const char* text : {"2024-13-01", "2023-02-29", "2024-05-17T12:34", "17-05-2024", ""}) {
    INFO(text);
    CHECK_FALSE(parse_date_time(text));
  }
}
