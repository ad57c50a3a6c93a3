// tests/unit/filter_rules_test.cc — Filter::build and include(): rule order, the implicit
// exclude after --include, "!", rule files, files-from, size/age/depth limits and errors.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sync/filter.h"

using namespace cpsync;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'700'000'000));

Filter build(const FilterOptions& o) {
  auto f = Filter::build(o, kNow);
  if (!f.ok()) FAIL(f.status().message);
  return std::move(f).value();
}

Status build_error(const FilterOptions& o) {
  auto f = Filter::build(o, kNow);
  REQUIRE_FALSE(f.ok());
  return f.status();
}

// A file under the test's temp dir holding text; removed with the directory.
class TempFiles {
 public:
  TempFiles() {
    dir_ = std::filesystem::temp_directory_path() /
           ("cpsync_filter_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  ~TempFiles() { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  std::string missing() const { return (dir_ / "does-not-exist").string(); }

 private:
  std::filesystem::path dir_;
};

struct KeyCase {
  const char* key;
  bool included;
};

void check_keys(const Filter& f, std::initializer_list<KeyCase> cases) {
  for (const KeyCase& c : cases) {
    INFO("key \"" << c.key << "\"");
    CHECK(f.include(c.key, 100, kNow - 1h) == c.included);
    CHECK(f.include_path(c.key) == c.included);
  }
}

}  // namespace

TEST_CASE("an empty filter includes everything and is inactive", "[filter]") {
  Filter def;
  CHECK_FALSE(def.active());
  CHECK(def.include("a/b", 0, TimePoint{}));
  const Filter f = build({});
  CHECK_FALSE(f.active());
  CHECK_FALSE(f.delete_excluded());
  FilterOptions o;
  o.delete_excluded = true;
  CHECK(build(o).delete_excluded());
  CHECK_FALSE(build(o).active());  // not a filter by itself
  CHECK(f.files_from() == nullptr);
  check_keys(f, {{"a", true}, {"a/b/c.txt", true}});
}

TEST_CASE("rules: first match wins, unmatched keys follow rclone", "[filter]") {
  struct RuleCase {
    std::vector<FilterRule> rules;
    std::vector<KeyCase> keys;
  };
  const std::vector<RuleCase> cases = {
      // Only excludes: everything else is included.
      {{{FilterSource::exclude, "*.tmp"}}, {{"a.tmp", false}, {"d/a.tmp", false}, {"a.txt", true}}},
      // --include adds an implicit "- **" after all rules.
      {{{FilterSource::include, "*.jpg"}}, {{"a.jpg", true}, {"d/a.jpg", true}, {"a.png", false}}},
      {{{FilterSource::include, "*.jpg"}, {FilterSource::include, "/docs/**"}},
       {{"x.jpg", true}, {"docs/a/b.txt", true}, {"x/docs/a", false}}},
      // --filter "+ ..." alone does not (rclone): the rest stays included.
      {{"+ *.jpg"}, {{"a.jpg", true}, {"a.png", true}}},
      {{"+ *.jpg", "- **"}, {{"a.jpg", true}, {"a.png", false}}},
      // First match wins, in the order given.
      {{"- secret/**", "+ *.txt", "- **"},
       {{"secret/a.txt", false}, {"b.txt", true}, {"x/b.txt", true}, {"c.bin", false}}},
      {{"+ *.txt", "- secret/**"}, {{"secret/a.txt", true}, {"secret/a.bin", false}}},
      // Command-line order across --include and --exclude.
      {{{FilterSource::include, "*.txt"}, {FilterSource::exclude, "a.txt"}},
       {{"a.txt", true}, {"b.txt", true}, {"b.bin", false}}},
      {{{FilterSource::exclude, "a.txt"}, {FilterSource::include, "*.txt"}},
       {{"a.txt", false}, {"b.txt", true}, {"b.bin", false}}},
      // "!" clears the rules so far.
      {{"- *.txt", "!", "- *.bin"}, {{"a.txt", true}, {"a.bin", false}}},
      // A directory rule covers everything under it.
      {{"- /logs/"}, {{"logs/a", false}, {"logs/x/y", false}, {"logs", true}, {"a/logs/b", true}}},
      {{"+ /keep/", "- **"}, {{"keep/a", true}, {"keep/b/c", true}, {"other", false}}},
      {{"- cache/", "+ **"}, {{"a/cache/b", false}, {"a/cachex/b", true}}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    FilterOptions o;
    o.rules = cases[i].rules;
    const Filter f = build(o);
    CHECK(f.active());
    for (const KeyCase& k : cases[i].keys) {
      INFO("key \"" << k.key << "\"");
      CHECK(f.include(k.key, 1, kNow) == k.included);
    }
  }
}

TEST_CASE("describe() lists the effective rules with the implicit exclude last", "[filter]") {
  FilterOptions o;
  o.rules = {{FilterSource::include, "*.jpg"}, "- tmp/", {FilterSource::exclude, "*.bak"}};
  CHECK(build(o).describe() == std::vector<std::string>{"+ *.jpg", "- tmp/", "- *.bak", "- /**"});
  o.rules = {"- a", "!", "+ b"};
  CHECK(build(o).describe() == std::vector<std::string>{"+ b"});
}

TEST_CASE("rule files: --filter-from, --include-from, --exclude-from", "[filter]") {
  TempFiles t;
  FilterOptions o;
  SECTION("filter-from with comments, blanks, CRLF, spaces and '!'") {
    const std::string p = t.write("rules.txt",
                                  "# comment\r\n"
                                  "; another comment\n"
                                  "\n"
                                  "- *.old\n"
                                  "!\n"
                                  "   - *.tmp   \r\n"
                                  "+ /keep/**\n"
                                  "+ *.txt\n"
                                  "- **\n");
    o.rules = {{FilterSource::filter_from, p}};
    const Filter f = build(o);
    CHECK(f.describe() == std::vector<std::string>{"- *.tmp", "+ /keep/**", "+ *.txt", "- **"});
    check_keys(f, {{"a.old", false},  // cleared by "!", then caught by "- **"
                   {"keep/a.tmp", false},
                   {"keep/x.bin", true},
                   {"d/n.txt", true},
                   {"d/n.bin", false}});
  }
  SECTION("filter-from rules keep their place among other rules") {
    const std::string p = t.write("rules.txt", "- b.txt\n");
    o.rules = {"- a.txt", {FilterSource::filter_from, p}, "+ *.txt", "- **"};
    check_keys(build(o), {{"a.txt", false}, {"b.txt", false}, {"c.txt", true}, {"c", false}});
  }
  SECTION("include-from implies the exclude of everything else") {
    const std::string p = t.write("inc.txt", "*.jpg\n# no\n/docs/**\n");
    o.rules = {{FilterSource::include_from, p}};
    check_keys(build(o), {{"x/a.jpg", true}, {"docs/y", true}, {"a.png", false}});
  }
  SECTION("an empty include-from still excludes everything (rclone)") {
    o.rules = {{FilterSource::include_from, t.write("empty.txt", "")}};
    check_keys(build(o), {{"a", false}});
  }
  SECTION("exclude-from") {
    o.rules = {{FilterSource::exclude_from, t.write("exc.txt", "*.tmp\n.git/\n")}};
    check_keys(build(o), {{"a.tmp", false}, {"r/.git/HEAD", false}, {"a.txt", true}});
  }
  SECTION("a malformed line names the file and line") {
    const std::string p = t.write("bad.txt", "- a\n\n*.jpg\n");
    o.rules = {{FilterSource::filter_from, p}};
    const Status s = build_error(o);
    CHECK(s.code == Errc::invalid_argument);
    CHECK_THAT(s.message, Catch::StartsWith("--filter-from " + p + ":3: malformed rule"));
  }
  SECTION("a bad pattern in a file names the file and line") {
    const std::string p = t.write("bad.txt", "ok\n[x\n");
    o.rules = {{FilterSource::exclude_from, p}};
    CHECK_THAT(build_error(o).message,
               Catch::StartsWith("--exclude-from " + p + ":2: bad pattern"));
  }
  SECTION("an unreadable file names the flag and path") {
    for (FilterSource s :
         {FilterSource::filter_from, FilterSource::include_from, FilterSource::exclude_from}) {
      o.rules = {{s, t.missing()}};
      const Status st = build_error(o);
      CHECK(st.code == Errc::invalid_argument);
      CHECK_THAT(st.message, Catch::Contains(t.missing() + ": cannot read"));
    }
  }
}

TEST_CASE("bad rules are invalid_argument naming the flag", "[filter]") {
  const std::pair<FilterRule, const char*> cases[] = {
      {"x", "--filter: malformed rule \"x\""},
      {"+", "--filter: malformed rule"},
      {"+ ", "--filter: malformed rule"},
      {"+x", "--filter: malformed rule"},
      {"* *.jpg", "--filter: malformed rule"},
      {"+ [a", "--filter: bad pattern \"[a\": missing ']'"},
      {{FilterSource::include, "{a"}, "--include: bad pattern \"{a\""},
      {{FilterSource::exclude, ""}, "--exclude: bad pattern \"\": empty pattern"},
      {{FilterSource::exclude, "***"}, "--exclude: bad pattern"},
  };
  for (const auto& [rule, message] : cases) {
    INFO("rule \"" << rule.value << "\"");
    FilterOptions o;
    o.rules = {rule};
    const Status s = build_error(o);
    CHECK(s.code == Errc::invalid_argument);
    CHECK_THAT(s.message, Catch::StartsWith(message));
  }
}

TEST_CASE("files-from: sorted, de-duplicated, comments and slashes stripped", "[filter]") {
  TempFiles t;
  FilterOptions o;
  o.files_from = t.write("list.txt",
                         "b/x.txt\n"
                         "/a.txt\n"
                         "# c.txt\n"
                         "; d.txt\n"
                         "\n"
                         "  b/x.txt  \r\n"
                         "//dir/sub/\n"
                         "/\n"
                         "\xC3\xA9.txt\n"
                         "Z.txt\n");
  const Filter f = build(o);
  CHECK(f.active());
  REQUIRE(f.files_from() != nullptr);
  CHECK(*f.files_from() ==
        std::vector<std::string>{"Z.txt", "a.txt", "b/x.txt", "dir/sub", "\xC3\xA9.txt"});
  check_keys(f, {{"a.txt", true},
                 {"b/x.txt", true},
                 {"c.txt", false},
                 {"b", false},
                 {"dir/sub", true},
                 {"dir/sub/x", false}});

  SECTION("other filters still apply to listed keys") {
    o.rules = {{FilterSource::exclude, "*.txt"}};
    o.max_size = 10;
    const Filter g = build(o);
    CHECK_FALSE(g.include("a.txt", 1, kNow));
    CHECK(g.include("dir/sub", 10, kNow));
    CHECK_FALSE(g.include("dir/sub", 11, kNow));
  }
  SECTION("a missing files-from file is an error") {
    o.files_from = t.missing();
    CHECK_THAT(build_error(o).message, Catch::StartsWith("--files-from " + t.missing()));
  }
}

TEST_CASE("files-from-raw keeps lines as written", "[filter]") {
  TempFiles t;
  FilterOptions o;
  o.files_from = t.write("raw.txt", "# not a comment\r\n a b \n\n/x/\n");
  o.files_from_raw = true;
  const Filter f = build(o);
  REQUIRE(f.files_from() != nullptr);
  CHECK(*f.files_from() == std::vector<std::string>{" a b ", "# not a comment", "x"});
  o.files_from_raw = false;
  CHECK(*build(o).files_from() == std::vector<std::string>{"a b", "x"});
  o.files_from = t.missing();
  o.files_from_raw = true;
  CHECK_THAT(build_error(o).message, Catch::StartsWith("--files-from-raw "));
}

TEST_CASE("ignore_case applies to every rule", "[filter]") {
  FilterOptions o;
  o.rules = {{FilterSource::include, "*.jpg"}, "- /Tmp/"};
  o.ignore_case = true;
  check_keys(build(o), {{"A.JPG", true}, {"a.png", false}});
  o.rules = {"- /Tmp/"};
  check_keys(build(o), {{"TMP/a", false}, {"x/tmp/a", true}});
  o.ignore_case = false;
  check_keys(build(o), {{"tmp/a", true}, {"Tmp/a", false}});
}

TEST_CASE("size limits are inclusive", "[filter]") {
  struct SizeCase {
    std::optional<uint64_t> min, max;
    uint64_t size;
    bool included;
  };
  const SizeCase cases[] = {
      {10, std::nullopt, 9, false},
      {10, std::nullopt, 10, true},
      {10, std::nullopt, 1u << 30, true},
      {std::nullopt, 20, 20, true},
      {std::nullopt, 20, 21, false},
      {std::nullopt, 0, 0, true},
      {10, 20, 15, true},
      {10, 20, 9, false},
      {10, 20, 21, false},
      {5, 5, 5, true},
      {0, std::nullopt, 0, true},
  };
  for (const SizeCase& c : cases) {
    INFO("size " << c.size);
    FilterOptions o;
    o.min_size = c.min;
    o.max_size = c.max;
    const Filter f = build(o);
    CHECK(f.active());
    CHECK(f.include("k", c.size, kNow) == c.included);
    CHECK(f.include_path("k"));  // size does not apply to include_path
  }
  FilterOptions o;
  o.min_size = 21;
  o.max_size = 20;
  CHECK(build_error(o).message == "--min-size can't be larger than --max-size");
}

TEST_CASE("age limits against a fixed now, durations and dates", "[filter]") {
  const TimePoint date = kNow - 48h;
  struct AgeCase {
    std::optional<AgeLimit> min, max;
    TimePoint mtime;
    bool included;
  };
  const AgeCase cases[] = {
      // --min-age: only older objects.
      {AgeLimit(1h), std::nullopt, kNow - 2h, true},
      {AgeLimit(1h), std::nullopt, kNow - 1h, true},  // boundary is inclusive
      {AgeLimit(1h), std::nullopt, kNow - 30min, false},
      {AgeLimit(1h), std::nullopt, kNow + 1h, false},
      // --max-age: only younger objects.
      {std::nullopt, AgeLimit(24h), kNow - 25h, false},
      {std::nullopt, AgeLimit(24h), kNow - 24h, true},
      {std::nullopt, AgeLimit(24h), kNow - 1s, true},
      {std::nullopt, AgeLimit(24h), kNow + 1h, true},
      // Absolute dates: "modified since" and "modified before".
      {std::nullopt, AgeLimit(date), date - 1s, false},
      {std::nullopt, AgeLimit(date), date, true},
      {std::nullopt, AgeLimit(date), kNow, true},
      {AgeLimit(date), std::nullopt, date + 1s, false},
      {AgeLimit(date), std::nullopt, date - 24h, true},
      // Both: a window.
      {AgeLimit(1h), AgeLimit(3h), kNow - 2h, true},
      {AgeLimit(1h), AgeLimit(3h), kNow - 4h, false},
      {AgeLimit(1h), AgeLimit(3h), kNow - 10min, false},
  };
  for (size_t i = 0; i < std::size(cases); ++i) {
    INFO("case " << i);
    FilterOptions o;
    o.min_age = cases[i].min;
    o.max_age = cases[i].max;
    const Filter f = build(o);
    CHECK(f.active());
    CHECK(f.include("k", 1, cases[i].mtime) == cases[i].included);
    CHECK(f.include_path("k"));
  }
  FilterOptions o;
  o.min_age = AgeLimit(2h);
  o.max_age = AgeLimit(1h);
  CHECK(build_error(o).message == "--min-age can't be larger than --max-age");
}

TEST_CASE("max-depth counts path levels", "[filter]") {
  struct DepthCase {
    int depth;
    const char* key;
    bool included;
  };
  const DepthCase cases[] = {
      {-1, "a/b/c/d", true}, {0, "a", false},     {1, "a", true},     {1, "a/b", false},
      {2, "a/b", true},      {2, "a/b/c", false}, {3, "a/b/c", true}, {1, "\xC3\xA9", true},
  };
  for (const DepthCase& c : cases) {
    INFO("depth " << c.depth << " key " << c.key);
    FilterOptions o;
    o.max_depth = c.depth;
    const Filter f = build(o);
    CHECK(f.active() == (c.depth >= 0));
    CHECK(f.include(c.key, 1, kNow) == c.included);
    CHECK(f.include_path(c.key) == c.included);
  }
}

TEST_CASE("required_prefix: the listing prefix every included key shares", "[filter]") {
  struct PrefixCase {
    std::vector<FilterRule> rules;
    std::string prefix;
  };
  const std::vector<PrefixCase> cases = {
      {{}, ""},
      {{{FilterSource::include, "/logs/2024/**"}}, "logs/2024/"},
      {{{FilterSource::include, "/logs/2024/**"}, {FilterSource::include, "/logs/2023/*.gz"}},
       "logs/202"},
      {{{FilterSource::include, "*.jpg"}}, ""},
      {{{FilterSource::include, "/logs/**"}, {FilterSource::include, "*.jpg"}}, ""},
      {{"+ /a/**"}, ""},  // no catch-all exclude: everything else is included
      {{"+ /a/**", "- **"}, "a/"},
      {{"+ /a/**", "- /**"}, "a/"},
      {{"- /a/x/**", "+ /a/**", "- **"}, "a/"},
      {{"+ /{a,ab}/**", "- **"}, "a"},
      {{"+ /a/{x,y}/**", "- **"}, "a/"},
      {{"+ /\xC3\xA9"
        "1/**",
        "+ /\xC3\xAA"
        "2/**",
        "- **"},
       ""},  // never half a character
      {{"+ /\xC3\xA9"
        "1/**",
        "+ /\xC3\xA9"
        "2/**",
        "- **"},
       "\xC3\xA9"},
      {{"+ /a/**", "- **", "+ /b/**"}, "a/"},  // rules after a catch-all never apply
      {{"- **"}, ""},
      {{{FilterSource::include, "/dir/"}}, "dir/"},
      {{{FilterSource::include, "/d?r/x"}}, "d"},
  };
  std::vector<std::string> keys = {"a",
                                   "a/x/1",
                                   "ab/c",
                                   "b/1",
                                   "dir/x",
                                   "dr/x",
                                   "dar/x",
                                   "logs/2024/1",
                                   "logs/2023/a.gz",
                                   "x.jpg",
                                   "logs/2022/a.gz",
                                   "\xC3\xA9"
                                   "1/a"};
  for (size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i);
    FilterOptions o;
    o.rules = cases[i].rules;
    const Filter f = build(o);
    CHECK(f.required_prefix() == cases[i].prefix);
    for (const auto& k : keys)
      if (f.include_path(k)) CHECK(std::string_view(k).starts_with(f.required_prefix()));
  }
  FilterOptions o;
  o.rules = {{FilterSource::include, "/logs/**"}};
  o.ignore_case = true;
  CHECK(build(o).required_prefix().empty());  // listings are case-sensitive
}

TEST_CASE("required_prefix also follows files-from", "[filter]") {
  TempFiles t;
  FilterOptions o;
  o.files_from = t.write("list.txt", "a/x/2\na/x/1\n");
  CHECK(build(o).required_prefix() == "a/x/");
  o.rules = {"+ /a/**", "- **"};
  CHECK(build(o).required_prefix() == "a/x/");
  o.rules = {"+ /b/**", "- **"};  // contradictory: nothing is included; any answer is safe
  CHECK(build(o).required_prefix() == "b/");
  o.files_from = t.write("one.txt", "only/key\n");
  o.rules.clear();
  CHECK(build(o).required_prefix() == "only/key");
}
