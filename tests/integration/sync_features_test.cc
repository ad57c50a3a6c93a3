// tests/integration/sync_features_test.cc — --files-from (stat, never list the source),
// listing only under the filters' fixed prefix, --delete-excluded and --backup-dir, on the
// local remote and on Ceph RGW. Counts come from a counting wrapper around each side, and
// for S3 also from the transport's request counters.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>

#include "core/http.h"
#include "sync/backup_dir.h"
#include "sync/filter.h"
#include "tests/integration/forwarding_remote.h"
#include "tests/integration/peer_remotes.h"
#include "tests/integration/sync_test_support.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

const TimePoint kMtime{std::chrono::seconds(1700000000)};

// Records every list request's prefix and counts stats.
class CountingRemote : public ForwardingRemote {
 public:
  using ForwardingRemote::ForwardingRemote;
  Status list(const ListRequest& r, const PageSink& s) override {
    {
      std::lock_guard lock(mu_);
      list_prefixes.push_back(r.prefix);
    }
    return inner().list(r, s);
  }
  Result<ObjectInfo> stat(const ObjectRef& r) override {
    ++stats;
    return inner().stat(r);
  }
  std::mutex mu_;
  std::vector<std::string> list_prefixes;
  std::atomic<int> stats{0};
};

void put(PeerBucket& b, const std::string& rel, const std::string& data) {
  Status st = put_object(*b.remote, b.bucket, b.prefix + rel, data, kMtime);
  INFO(rel << ": " << st.to_string());
  REQUIRE(st.ok());
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("cpsync-" + name + "-" + std::to_string(getpid()) + ".txt");
  std::ofstream(path) << text;
  return path.string();
}

Filter build_filter(const FilterOptions& fo) {
  auto f = Filter::build(fo, std::chrono::system_clock::now());
  INFO(f.status().to_string());
  REQUIRE(f.ok());
  return std::move(f).value();
}

size_t count_op(const std::string& op) {
  for (const auto& [name, n] : request_counters().snapshot())
    if (name == op) return n;
  return 0;
}

// --files-from on `kind`: the source is stat'ed per named key and never listed.
void files_from_case(const std::string& kind) {
  PeerBucket src(kind), dst(kind);
  for (int i = 0; i < 20; ++i)
    put(src, "in/d" + std::to_string(i % 3) + "/k" + std::to_string(i),
        content_for("k" + std::to_string(i), 100 + i));
  put(src, "other/x", "x");
  // Three named keys that exist, one that does not; unsorted with a comment and a repeat.
  const std::string list =
      temp_file("files-from", "# wanted\nin/d1/k4\nin/d0/k3\n/in/d2/k5\nin/d0/missing\nin/d0/k3\n");
  FilterOptions fo;
  fo.files_from = list;
  Filter filter = build_filter(fo);

  CountingRemote csrc(*src.remote), cdst(*dst.remote);
  SyncEndpoint s{&csrc, src.bucket, src.prefix, "src"},
      d{&cdst, dst.bucket, dst.prefix + "m/", "dst"};
  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  runner.options.filter = &filter;
  request_counters().reset();
  SyncStats first;
  Status st = runner.run(s, d, first);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(first.transferred == 3);
  CHECK(csrc.list_prefixes.empty());
  CHECK(csrc.stats == 4);  // the three keys and the missing one, each once
  if (kind == "s3") {
    // The destination (same kind) was stat'ed too, plus one listing to learn that its
    // bucket exists; copies within one endpoint are server-side.
    CHECK(cdst.list_prefixes.size() <= 1);
    CHECK(count_op("list") == cdst.list_prefixes.size());
    CHECK(count_op("head") == 8);  // 4 named keys on each side
    std::cerr << "files-from on S3, first run:";
    for (const auto& [op, n] : request_counters().snapshot()) std::cerr << " " << op << "=" << n;
    std::cerr << "\n";
  } else {
    // Local listings carry mtimes: the destination is listed under the keys' common prefix.
    for (const auto& p : cdst.list_prefixes) CHECK(p == d.prefix + "in/d");
  }
  auto got = snapshot(*dst.remote, dst.bucket, dst.prefix + "m/");
  CHECK(got.size() == 3);
  CHECK(got.count("in/d0/k3") == 1);
  CHECK(got.count("in/d1/k4") == 1);
  CHECK(got.count("in/d2/k5") == 1);

  // A second run copies nothing and still lists nothing at the source.
  csrc.list_prefixes.clear();
  SyncStats second;
  REQUIRE(runner.run(s, d, second).ok());
  CHECK(second.transferred == 0);
  CHECK(second.matched == 3);
  CHECK(csrc.list_prefixes.empty());
  std::filesystem::remove(list);
}

// --include "/photos/2024/**" (anchored): both sides are listed under photos/2024/ only; sync
// deletes extras there, keeps excluded objects, and deletes them too with --delete-excluded.
void required_prefix_case(const std::string& kind) {
  PeerBucket src(kind), dst(kind);
  for (const char* k : {"photos/2024/a.jpg", "photos/2024/x/b.jpg", "photos/2023/c.jpg", "docs/d"})
    put(src, std::string("s/") + k, content_for(k, 50));
  for (const char* k : {"photos/2024/old.jpg", "docs/keep", "photos/2023/c.jpg"})
    put(dst, std::string("t/") + k, content_for(k, 60));
  CountingRemote csrc(*src.remote), cdst(*dst.remote);
  SyncEndpoint s{&csrc, src.bucket, src.prefix + "s/", "src"};
  SyncEndpoint d{&cdst, dst.bucket, dst.prefix + "t/", "dst"};
  FilterOptions fo;
  fo.rules = {FilterRule(FilterSource::include, "/photos/2024/**")};
  Filter filter = build_filter(fo);
  REQUIRE(filter.required_prefix() == "photos/2024/");
  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  runner.options.filter = &filter;
  SyncStats stats;
  REQUIRE(runner.run(s, d, stats).ok());
  CHECK(csrc.list_prefixes == std::vector<std::string>{s.prefix + "photos/2024/"});
  CHECK(cdst.list_prefixes == std::vector<std::string>{d.prefix + "photos/2024/"});
  CHECK(stats.listed_src == 2);  // only what the narrowed listing returned
  CHECK(stats.transferred == 2);
  CHECK(stats.deleted == 1);  // photos/2024/old.jpg
  auto got = snapshot(*dst.remote, dst.bucket, dst.prefix + "t/");
  CHECK(got.size() == 4);
  for (const char* k :
       {"docs/keep", "photos/2023/c.jpg", "photos/2024/a.jpg", "photos/2024/x/b.jpg"})
    CHECK(got.count(k) == 1);

  fo.delete_excluded = true;
  Filter with_delete = build_filter(fo);
  runner.options.filter = &with_delete;
  csrc.list_prefixes.clear();
  cdst.list_prefixes.clear();
  SyncStats again;
  REQUIRE(runner.run(s, d, again).ok());
  CHECK(csrc.list_prefixes == std::vector<std::string>{s.prefix + "photos/2024/"});
  CHECK(cdst.list_prefixes == std::vector<std::string>{d.prefix});  // all of it
  CHECK(again.transferred == 0);
  CHECK(again.deleted == 2);  // docs/keep and photos/2023/c.jpg: excluded
  got = snapshot(*dst.remote, dst.bucket, dst.prefix + "t/");
  CHECK(got.size() == 2);
  CHECK(got.count("photos/2024/a.jpg") == 1);
}

// --backup-dir: the overwritten and the deleted object land in the backup directory (with
// the suffix) before the destination changes; the destination ends equal to the source.
void backup_dir_case(const std::string& kind, const std::string& suffix) {
  PeerBucket src(kind), dst(kind);
  put(src, "a", content_for("a", 100));
  put(src, "dir/b", content_for("b", 200, 2));  // changed
  put(dst, "cur/a", content_for("a", 100));
  put(dst, "cur/dir/b", content_for("b", 150));
  put(dst, "cur/dir/c", content_for("c", 300));  // extra: deleted
  SyncEndpoint s = src.endpoint(""), d = dst.endpoint("cur/");
  BackupTarget backup{dst.endpoint("old/"), suffix};
  REQUIRE(check_backup_dir(d, backup.where).ok());
  SyncRunner runner;
  runner.options.mode = SyncMode::sync;
  runner.options.backup = &backup;
  SyncStats stats;
  Status st = runner.run(s, d, stats);
  INFO(st.to_string());
  REQUIRE(st.ok());
  CHECK(stats.transferred == 1);
  CHECK(stats.deleted == 1);
  CHECK(stats.backed_up == 2);
  CHECK(snapshot(*dst.remote, dst.bucket, dst.prefix + "cur/") ==
        snapshot(*src.remote, src.bucket, src.prefix));
  auto kept = snapshot(*dst.remote, dst.bucket, dst.prefix + "old/");
  CHECK(kept.size() == 2);
  CHECK(kept["dir/b" + suffix] == hex_lower(md5_raw(content_for("b", 150))));
  CHECK(kept["dir/c" + suffix] == hex_lower(md5_raw(content_for("c", 300))));
}

}  // namespace

TEST_CASE("--files-from stats the named keys and never lists the source (local)", "[local][sync]") {
  files_from_case("local");
}

TEST_CASE("--files-from stats the named keys and never lists the source (S3)", "[s3][sync]") {
  files_from_case("s3");
}

TEST_CASE("filters with a fixed prefix list only under it; --delete-excluded (local)",
          "[local][sync]") {
  required_prefix_case("local");
}

TEST_CASE("filters with a fixed prefix list only under it; --delete-excluded (S3)", "[s3][sync]") {
  required_prefix_case("s3");
}

TEST_CASE("--backup-dir keeps overwritten and deleted objects (local)", "[local][sync]") {
  backup_dir_case("local", "");
  backup_dir_case("local", ".bak");
}

TEST_CASE("--backup-dir keeps overwritten and deleted objects (S3)", "[s3][sync]") {
  backup_dir_case("s3", "");
  backup_dir_case("s3", "~1");
}

TEST_CASE("--backup-dir must be on the destination's remote and apart from it", "[local][sync]") {
  PeerBucket a("local");
  auto other = make_peer_remote("local");
  SyncEndpoint d = a.endpoint("dst/");
  CHECK(check_backup_dir(d, a.endpoint("backup/")).ok());
  auto inside = check_backup_dir(d, a.endpoint("dst/old/"));
  CHECK(inside.code == Errc::invalid_argument);
  CHECK(inside.message.find("overlap") != std::string::npos);
  CHECK(check_backup_dir(a.endpoint("dst/old/"), a.endpoint("dst/")).code ==
        Errc::invalid_argument);
  // A different remote: the name differs.
  struct Renamed : ForwardingRemote {
    using ForwardingRemote::ForwardingRemote;
    const std::string& name() const override { return name_; }
    std::string name_ = "elsewhere";
  } renamed(*other);
  auto elsewhere = check_backup_dir(d, SyncEndpoint{&renamed, "", a.prefix + "b/", "elsewhere:b"});
  CHECK(elsewhere.code == Errc::invalid_argument);
  CHECK(elsewhere.message.find("same remote") != std::string::npos);
}
