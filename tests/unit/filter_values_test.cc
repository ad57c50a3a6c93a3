// tests/unit/filter_values_test.cc — the age syntax (durations and dates) as
// parse_filter_age reads them; the size grammar is in units_test.cc.
#include <catch2/catch.hpp>

#include <string>

#include "sync/filter.h"

using namespace cpsync;
using namespace std::chrono_literals;
using std::chrono::nanoseconds;

TEST_CASE("ages are durations or dates", "[filter]") {
  const std::pair<const char*, nanoseconds> durations[] = {
      {"0", 0s},
      {"90", 90s},
      {"1.5", 1500ms},
      {"500ms", 500ms},
      {"10s", 10s},
      {"30m", 30min},
      {"2h", 2h},
      {"1h30m", 90min},
      {"1d", 24h},
      {"1d2h", 26h},
      {"2.5d", 60h},
      {"1w", 168h},
      {"1M", 720h},
      {"1y", 8760h},
      {"1y1M1w1d1h1m1s", 8760h + 720h + 168h + 24h + 1h + 1min + 1s},
      {"250us", 250us},
      {"7ns", 7ns},
  };
  for (const auto& [text, d] : durations) {
    INFO(text);
    auto r = parse_filter_age(text);
    REQUIRE(r.ok());
    REQUIRE(std::holds_alternative<nanoseconds>(*r));
    CHECK(std::get<nanoseconds>(*r) == d);
  }
  using namespace std::chrono;
  const TimePoint day = sys_days(2024y / May / 17);
  const std::pair<const char*, TimePoint> dates[] = {
      {"2024-05-17", day},
      {"2024-05-17T12:34:56", day + 12h + 34min + 56s},
      {"2024-05-17 12:34:56", day + 12h + 34min + 56s},
      {"2024-05-17T12:34:56Z", day + 12h + 34min + 56s},
      {"2024-05-17T12:34:56.25Z", day + 12h + 34min + 56s + 250ms},
      {"2024-05-17T12:34:56.123456789", day + 12h + 34min + 56s + 123456789ns},
      {"2024-05-17T12:34:56+02:00", day + 10h + 34min + 56s},
      {"2024-05-17T12:34:56-01:30", day + 14h + 4min + 56s},
      {"2024-02-29", sys_days(2024y / February / 29)},
  };
  for (const auto& [text, t] : dates) {
    INFO(text);
    auto r = parse_filter_age(text);
    REQUIRE(r.ok());
    REQUIRE(std::holds_alternative<TimePoint>(*r));
    CHECK(std::get<TimePoint>(*r) == t);
  }
  const char* bad[] = {"",
                       "d",
                       "1x",
                       "1d2",
                       "-1d",
                       "h1",
                       "1..5s",
                       "1 d",
                       "2024-13-01",
                       "2023-02-29",
                       "2024-05-17T25:00:00",
                       "2024-05-17X",
                       "2024-05-17T12:34",
                       "2024-05-17T12:34:56.Z",
                       "2024-05-17T12:34:56+2",
                       "99999999999y"};
  for (const char* text : bad) {
    INFO(text);
    auto r = parse_filter_age(text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::invalid_argument);
  }
}
