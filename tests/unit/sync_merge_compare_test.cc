// tests/unit/sync_merge_compare_test.cc — the merge join, comparison rules and sync state
// file, on in-memory listings (no server involved: these are pure planning rules).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "sync/compare.h"
#include "sync/merge.h"
#include "sync/sync_state.h"

using namespace cpsync;

namespace {

ObjectInfo obj(std::string key, uint64_t size = 1, int64_t mtime_s = 1000) {
  ObjectInfo o;
  o.key = std::move(key);
  o.size = size;
  o.mtime = TimePoint(std::chrono::seconds(mtime_s));
  return o;
}

struct Recorder : MergeVisitor {
  std::vector<std::string> events;
  Status src_only(const ObjectInfo& s) override {
    events.push_back("+" + s.key);
    return Status::OK();
  }
  Status dst_only(const ObjectInfo& d) override {
    events.push_back("-" + d.key);
    return Status::OK();
  }
  Status both(const ObjectInfo& s, const ObjectInfo&) override {
    events.push_back("=" + s.key);
    return Status::OK();
  }
};

}  // namespace

TEST_CASE("merge_sorted visits keys in byte order with the right callback", "[sync][merge]") {
  VectorStream src({obj("a"), obj("b/c"), obj("b\xc3\xa9"), obj("z")});
  VectorStream dst({obj("a"), obj("a-"), obj("b\xc3\xa9"), obj("y")});
  Recorder r;
  REQUIRE(merge_sorted(src, dst, r).ok());
  CHECK(r.events == std::vector<std::string>{"=a", "-a-", "+b/c", "=b\xc3\xa9", "-y", "+z"});
}

TEST_CASE("merge_sorted stops on an out-of-order or repeated key", "[sync][merge]") {
  VectorStream src({obj("a"), obj("c"), obj("b")});
  VectorStream dst({});
  Recorder r;
  Status st = merge_sorted(src, dst, r);
  CHECK(st.code == Errc::corrupt);
  CHECK(st.message.find("out of order") != std::string::npos);
  VectorStream src2({obj("a")});
  VectorStream dst2({obj("x"), obj("x")});
  Recorder r2;
  CHECK(merge_sorted(src2, dst2, r2).code == Errc::corrupt);
}

TEST_CASE("compare_objects follows size, mtime, checksum and etag rules", "[sync][compare]") {
  CompareOptions o;
  ObjectInfo s = obj("k", 10, 1000);
  s.mtime_from_metadata = true;       // a local source: its mtime is the source mtime
  ObjectInfo d = obj("k", 10, 5000);  // an S3 listing: LastModified, no metadata
  CHECK(compare_objects(s, d, o) == Verdict::need_dst_stat);
  d.metadata_known = true;
  d.metadata[kMetaMtime] = format_unix_seconds(s.mtime);
  CHECK(compare_objects(s, d, o) == Verdict::same);
  d.metadata[kMetaMtime] = format_unix_seconds(s.mtime + std::chrono::seconds(2));
  CHECK(compare_objects(s, d, o) == Verdict::differ);
  o.modify_window = std::chrono::seconds(3);
  CHECK(compare_objects(s, d, o) == Verdict::same);
  d.size = 11;
  CHECK(compare_objects(s, d, o) == Verdict::differ);

  // Equal MD5s on both sides decide without metadata.
  ObjectInfo s2 = obj("k", 10), d2 = obj("k", 10);
  s2.md5 = "00112233445566778899aabbccddeeff";
  d2.md5 = s2.md5;
  CHECK(compare_objects(s2, d2, CompareOptions{}) == Verdict::same);
  d2.md5 = "ffffffffffffffffffffffffffffffff";
  CHECK(compare_objects(s2, d2, CompareOptions{}) == Verdict::differ);

  CompareOptions cs;
  cs.mode = CompareMode::checksum;
  ObjectInfo s3 = obj("k", 10), d3 = obj("k", 10);
  d3.mtime_from_metadata = true;  // local destination: complete, but no md5
  CHECK(compare_objects(s3, d3, cs) == Verdict::need_hash);

  CompareOptions so;
  so.mode = CompareMode::size_only;
  CHECK(compare_objects(obj("k", 3, 1), obj("k", 3, 99), so) == Verdict::same);

  CompareOptions upd;
  upd.update = true;
  ObjectInfo newer = obj("k", 5, 2000);
  newer.mtime_from_metadata = true;
  CHECK(compare_objects(obj("k", 9, 1000), newer, upd) == Verdict::same);

  CompareOptions et;
  et.etags_comparable = true;
  ObjectInfo s4 = obj("k", 4), d4 = obj("k", 4);
  s4.etag = d4.etag = "abc-2";
  CHECK(compare_objects(s4, d4, et) == Verdict::same);

  CompareOptions ie;
  ie.ignore_existing = true;
  CHECK(compare_objects(obj("k", 1), obj("k", 2), ie) == Verdict::same);
}

TEST_CASE("sync state trusts an entry only while both sides match it", "[sync][state]") {
  auto dir = std::filesystem::temp_directory_path() / ("cpsync-state-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string path = SyncState::default_path(dir.string(), "src", "dst");
  ObjectInfo a = obj("a\tb", 3, 100), b = obj("b", 4, 200), c = obj("c", 5, 300);
  ObjectInfo da = obj("a\tb", 3, 900), db = obj("b", 4, 900), dc = obj("c", 5, 900);
  da.etag = "e1";
  db.etag = "e2";
  dc.etag = "e3";
  {
    auto st = SyncState::open(path);
    REQUIRE(st.ok());
    CHECK_FALSE((*st)->unchanged(a, da));
    (*st)->record_in_order(a, da);
    (*st)->record_async(c, dc);  // a copy finished out of order
    (*st)->record_async(b, db);
    REQUIRE((*st)->commit().ok());
  }
  {
    auto st = SyncState::open(path);
    REQUIRE(st.ok());
    CHECK((*st)->unchanged(a, da));
    ObjectInfo db2 = db;
    db2.etag = "changed";  // someone overwrote the destination
    CHECK_FALSE((*st)->unchanged(b, db2));
    ObjectInfo c2 = c;
    c2.mtime += std::chrono::seconds(1);  // source touched
    CHECK_FALSE((*st)->unchanged(c2, dc));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("compare_objects stats a source whose listing shows only its server time",
          "[sync][compare]") {
  using std::chrono::seconds;
  CompareOptions o;
  ObjectInfo s = obj("k", 10, 5000);  // an S3 source listing: LastModified only
  ObjectInfo d = obj("k", 10, 6000);  // an Azure destination: metadata in the listing
  d.metadata_known = true;
  d.metadata[kMetaMtime] = format_unix_seconds(TimePoint(seconds(1000)));
  CHECK(compare_objects(s, d, o) == Verdict::need_src_stat);
  s.metadata_known = true;  // after the stat: the source's stored mtime decides
  s.metadata[kMetaMtime] = format_unix_seconds(TimePoint(seconds(1000)));
  CHECK(compare_objects(s, d, o) == Verdict::same);
  s.metadata[kMetaMtime] = format_unix_seconds(TimePoint(seconds(1500)));
  CHECK(compare_objects(s, d, o) == Verdict::differ);
  s.metadata.clear();  // no stored mtime: its LastModified is what a copy carried
  CHECK(compare_objects(s, d, o) == Verdict::differ);
  d.metadata[kMetaMtime] = format_unix_seconds(TimePoint(seconds(5000)));
  CHECK(compare_objects(obj("k", 10, 5000), d, o) == Verdict::same);  // no stat needed

  // A destination without a stored mtime gives nothing for the source's to match.
  ObjectInfo plain = obj("k", 10, 7000);
  plain.metadata_known = true;
  CHECK(compare_objects(obj("k", 10, 5000), plain, o) == Verdict::differ);
}
