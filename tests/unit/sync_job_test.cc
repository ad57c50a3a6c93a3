// tests/unit/sync_job_test.cc — sync/job.h over local remotes in temp directories (no
// servers): a source naming one object, a destination naming one, run-level retries summing
// the attempts' stats, and the state file's identity (one per pair and per shard).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/buffer_pool.h"
#include "remotes/local/local_remote.h"
#include "sync/job.h"
#include "tests/integration/forwarding_remote.h"

using namespace cpsync;
namespace fs = std::filesystem;

namespace {

struct Dir {
  fs::path path;
  Dir() {
    std::string tmpl = (fs::temp_directory_path() / "cpsync-job-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~Dir() { fs::remove_all(path); }
  void file(const std::string& rel, const std::string& body) const {
    fs::create_directories((path / rel).parent_path());
    std::ofstream(path / rel, std::ios::binary) << body;
  }
  std::set<std::string> files() const {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(path))
      if (e.is_regular_file()) out.insert(fs::relative(e.path(), path).string());
    return out;
  }
};

std::unique_ptr<Remote> local_remote() {
  ConfigSection s;
  s.name = "disk";
  s.type = "local";
  auto r = make_local_remote(s);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Fails its first listing (a transient error, as a dropped connection gives), then forwards.
class FirstListFails : public testing::ForwardingRemote {
 public:
  using ForwardingRemote::ForwardingRemote;
  Status list(const ListRequest& r, const PageSink& s) override {
    if (!failed_) {
      failed_ = true;
      return Status{Errc::transient, "injected listing failure"};
    }
    return inner().list(r, s);
  }

 private:
  bool failed_ = false;
};

struct Fixture {
  Dir src, dst, state;
  std::unique_ptr<Remote> disk = local_remote();
  BufferPool pool{64 * kMiB, 16 * kMiB};

  JobRequest request(Remote& from, const std::string& src_rel, SyncMode mode) {
    JobRequest r;
    r.src = {&from, "", (src.path / src_rel).string(), "src"};
    r.dst = {disk.get(), "", dst.path.string(), "dst"};
    r.options.mode = mode;
    r.options.transfer.pool = &pool;
    r.state_dir = state.path.string();
    return r;
  }
};

}  // namespace

TEST_CASE("SyncJob: a source naming one object copies that object alone", "[sync][job]") {
  Fixture f;
  f.src.file("dir/a.txt", "aaa");
  f.src.file("dir/b.txt", "bbb");
  SyncJob job(f.request(*f.disk, "dir/a.txt", SyncMode::copy));
  REQUIRE(job.prepare(nullptr).ok());
  CHECK(job.src().prefix == (f.src.path / "dir").string() + "/");
  SyncStats stats;
  REQUIRE(job.run(stats).ok());
  CHECK(f.dst.files() == std::set<std::string>{"a.txt"});
  CHECK(stats.transferred == 1);
}

TEST_CASE("SyncJob: a destination naming an object is refused before anything runs",
          "[sync][job]") {
  Fixture f;
  f.src.file("a.txt", "aaa");
  f.dst.file("file", "x");
  JobRequest r = f.request(*f.disk, "", SyncMode::sync);
  r.dst.path = (f.dst.path / "file").string();
  r.dst.display = "dst/file";
  SyncJob job(std::move(r));
  Status st = job.prepare(nullptr);
  CHECK(st.code == Errc::invalid_argument);
  CHECK(st.message ==
        "dst/file: is an object, not a directory (use copyto to copy to one "
        "object name)");
  CHECK(f.dst.files() == std::set<std::string>{"file"});
}

TEST_CASE("SyncJob: a failed attempt is retried and the stats add up", "[sync][job]") {
  Fixture f;
  for (int i = 0; i < 5; ++i) f.src.file("k" + std::to_string(i), std::string(100 + i, 'x'));
  FirstListFails flaky(*f.disk);
  JobRequest r = f.request(flaky, "", SyncMode::copy);
  r.retries = 3;
  SyncJob job(std::move(r));
  REQUIRE(job.prepare(nullptr).ok());
  SyncStats stats;
  int attempts = 0;
  Status st = job.run(stats, [&](SyncStats&) -> std::shared_ptr<void> {
    ++attempts;
    return nullptr;
  });
  REQUIRE(st.ok());
  CHECK(attempts == 2);
  CHECK(stats.transferred == 5);
  CHECK(stats.listed_src == 5);
  CHECK(stats.errors == 0);
  CHECK(f.dst.files().size() == 5);

  // One attempt only: the failure is the result.
  Fixture g;
  g.src.file("k", "v");
  FirstListFails once(*g.disk);
  JobRequest single = g.request(once, "", SyncMode::copy);
  single.retries = 1;
  SyncJob job1(std::move(single));
  REQUIRE(job1.prepare(nullptr).ok());
  SyncStats s1;
  CHECK(job1.run(s1).code == Errc::transient);
  CHECK(g.dst.files().empty());
}

TEST_CASE("SyncJob: one state file per pair and per shard, none for check or dry-run",
          "[sync][job]") {
  Fixture f;
  f.src.file("a", "1");
  auto run = [&](SyncMode mode, bool dry_run, KeyRange range) {
    JobRequest r = f.request(*f.disk, "", mode);
    r.options.dry_run = dry_run;
    r.options.range = std::move(range);
    SyncJob job(std::move(r));
    REQUIRE(job.prepare(nullptr).ok());
    SyncStats stats;
    REQUIRE(job.run(stats).ok());
  };
  run(SyncMode::check, false, {});
  run(SyncMode::sync, true, {});
  CHECK(f.state.files().empty());
  run(SyncMode::sync, false, {});
  CHECK(f.state.files().size() == 1);
  run(SyncMode::sync, false, {});  // the same pair: the same file
  CHECK(f.state.files().size() == 1);
  KeyRange shard;
  shard.hi = "m";
  run(SyncMode::sync, false, shard);
  CHECK(f.state.files().size() == 2);
}
