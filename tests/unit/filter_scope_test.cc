// tests/unit/filter_scope_test.cc — what the engine asks a Filter besides include():
// excludes_dir (may a destination lie inside the source?) through Glob::matches_all_under,
// and age_needs_stored_mtime (is a HEAD of an S3/OSS object worth sending?).
#include <catch2/catch.hpp>

#include "sync/filter.h"
#include "sync/glob.h"

using namespace cpsync;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'700'000'000));

Filter build(const FilterOptions& o) {
  auto f = Filter::build(o, kNow);
  if (!f.ok()) FAIL(f.status().message);
  return std::move(f).value();
}

bool all_under(const char* pattern, const char* dir) {
  auto g = Glob::compile(pattern);
  REQUIRE(g.ok());
  return g->matches_all_under(dir);
}

}  // namespace

TEST_CASE("Glob::matches_all_under proves only what holds for every key", "[filter]") {
  CHECK(all_under("/backup/**", "backup/"));
  CHECK(all_under("/backup/**", "backup/deep/"));
  CHECK(all_under("backup/", "backup/"));
  CHECK(all_under("backup/", "x/backup/"));  // unanchored: at any directory boundary
  CHECK(all_under("**", "anything/"));
  CHECK(all_under("/back**", "backup/"));
  CHECK_FALSE(all_under("/backup/**", "backupx/"));
  CHECK_FALSE(all_under("/backup/**", "other/"));
  CHECK_FALSE(all_under("/backup/*", "backup/"));  // not the subdirectories
  CHECK_FALSE(all_under("*.bak", "backup/"));
  CHECK_FALSE(all_under("/x/backup/**", "backup/"));
}

TEST_CASE("Filter::excludes_dir: the first rule that could admit a key decides", "[filter]") {
  FilterOptions o;
  CHECK_FALSE(build(o).excludes_dir("backup/"));
  o.rules = {{FilterSource::exclude, "/backup/**"}};
  CHECK(build(o).excludes_dir("backup/"));
  CHECK_FALSE(build(o).excludes_dir("other/"));
  // An include before the exclusion may admit keys under the directory.
  o.rules = {{FilterSource::include, "*.jpg"}};  // adds the catch-all exclude
  CHECK_FALSE(build(o).excludes_dir("backup/"));
  o.rules = {"- /backup/**", {FilterSource::include, "*.jpg"}};
  CHECK(build(o).excludes_dir("backup/"));
  // --max-depth 1 admits no key below the first level.
  o = FilterOptions{};
  o.max_depth = 1;
  CHECK(build(o).excludes_dir("backup/"));
}

TEST_CASE("Filter::age_needs_stored_mtime: only upload times inside the window", "[filter]") {
  FilterOptions o;
  CHECK_FALSE(build(o).age_needs_stored_mtime(kNow));
  o.max_age = AgeLimit{std::chrono::nanoseconds(24h)};
  Filter young = build(o);
  CHECK(young.age_needs_stored_mtime(kNow - 1h));         // the stored mtime may be older
  CHECK_FALSE(young.age_needs_stored_mtime(kNow - 48h));  // older still: excluded for sure
  o = FilterOptions{};
  o.min_age = AgeLimit{std::chrono::nanoseconds(24h)};
  Filter old = build(o);
  CHECK(old.age_needs_stored_mtime(kNow - 1h));         // uploaded recently, maybe older
  CHECK_FALSE(old.age_needs_stored_mtime(kNow - 48h));  // included for sure
}
