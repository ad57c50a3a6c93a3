// tests/unit/filter_flags_test.cc — add_filter_flags: rules keep command-line order, values
// are parsed with rclone's syntax, bad values fail the parse naming the flag.
#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/filter_flags.h"

using namespace cpsync;
using namespace std::chrono_literals;

namespace {

void parse(CLI::App& app, std::vector<std::string> args) {
  args.insert(args.begin(), "cpsync");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("filter flags keep rule order across flags", "[filter][flags]") {
  CLI::App app;
  FilterOptions o;
  add_filter_flags(app, o);
  parse(app, {"--include", "*.jpg", "--exclude", "tmp/", "--filter", "+ *.png", "--include=*.gif",
              "--filter-from", "f.txt", "--exclude-from", "e.txt", "--include-from", "i.txt",
              "--filter", "!", "--exclude", "x"});
  const std::vector<std::pair<FilterSource, std::string>> want = {
      {FilterSource::include, "*.jpg"},      {FilterSource::exclude, "tmp/"},
      {FilterSource::filter, "+ *.png"},     {FilterSource::include, "*.gif"},
      {FilterSource::filter_from, "f.txt"},  {FilterSource::exclude_from, "e.txt"},
      {FilterSource::include_from, "i.txt"}, {FilterSource::filter, "!"},
      {FilterSource::exclude, "x"},
  };
  REQUIRE(o.rules.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("rule " << i);
    CHECK(o.rules[i].source == want[i].first);
    CHECK(o.rules[i].value == want[i].second);
  }
}

TEST_CASE("filter flags parse limits and files-from", "[filter][flags]") {
  CLI::App app;
  FilterOptions o;
  add_filter_flags(app, o);
  parse(app, {"--min-size", "1M", "--max-size=2G", "--min-age", "1d2h", "--max-age", "2024-05-17",
              "--max-depth", "3", "--files-from", "list.txt"});
  CHECK(o.min_size == std::optional<uint64_t>(1 << 20));
  CHECK(o.max_size == std::optional<uint64_t>(2ull << 30));
  REQUIRE(o.min_age);
  CHECK(std::get<std::chrono::nanoseconds>(*o.min_age) == 26h);
  REQUIRE(o.max_age);
  CHECK(std::holds_alternative<TimePoint>(*o.max_age));
  CHECK(o.max_depth == 3);
  CHECK(o.files_from == std::optional<std::string>("list.txt"));
  CHECK(o.rules.empty());
}

TEST_CASE("filter flags: unset by default, 'off' clears", "[filter][flags]") {
  CLI::App app;
  FilterOptions o;
  add_filter_flags(app, o);
  parse(app, {"--min-size", "off", "--max-age", "off"});
  CHECK_FALSE(o.min_size);
  CHECK_FALSE(o.max_age);
  CHECK_FALSE(o.files_from);
  CHECK(o.max_depth == -1);
  CHECK_FALSE(o.ignore_case);
  CHECK_FALSE(o.delete_excluded);
  CHECK_FALSE(o.files_from_raw);
}

TEST_CASE("filter flags: --files-from-raw, --ignore-case, --delete-excluded", "[filter][flags]") {
  CLI::App app;
  FilterOptions o;
  add_filter_flags(app, o);
  parse(app, {"--files-from-raw", "raw.txt", "--ignore-case", "--delete-excluded"});
  CHECK(o.files_from == std::optional<std::string>("raw.txt"));
  CHECK(o.files_from_raw);
  CHECK(o.ignore_case);
  CHECK(o.delete_excluded);
  CLI::App app2;
  FilterOptions o2;
  add_filter_flags(app2, o2);
  parse(app2, {"--files-from-raw", "raw.txt", "--files-from", "list.txt"});
  CHECK(o2.files_from == std::optional<std::string>("list.txt"));
  CHECK_FALSE(o2.files_from_raw);
}

TEST_CASE("bad filter flag values fail the parse naming the flag", "[filter][flags]") {
  const std::vector<std::vector<std::string>> cases = {
      {"--min-size", "12x"},       {"--max-size", "-1"},   {"--min-age", "3q"},
      {"--max-age", "2024-13-01"}, {"--max-depth", "two"},
  };
  for (const auto& args : cases) {
    INFO(args[0] << " " << args[1]);
    CLI::App app;
    FilterOptions o;
    add_filter_flags(app, o);
    try {
      parse(app, args);
      FAIL("parse accepted a bad value");
    } catch (const CLI::ParseError& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains(args[0]));
    }
  }
}
