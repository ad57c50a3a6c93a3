// tests/unit/local_remote_test.cc — the local remote's own behaviours in a temp directory:
// byte-ordered walk, prefixes ending mid-name, delimiter mode, start_after, symlinks, hidden
// temp files, part bookkeeping on commit, mtimes, server-side copy, config errors.
// (The behaviours every remote shares are in tests/integration/contract.cc.)
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "remotes/local/local_list.h"
#include "remotes/local/local_remote.h"

using namespace cpsync;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/cpsync-local-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& rel) const { return path + "/" + rel; }
  void file(const std::string& rel, const std::string& body = "x") const {
    std::filesystem::create_directories(std::filesystem::path(*this / rel).parent_path());
    std::ofstream(*this / rel) << body;
  }
};

std::unique_ptr<Remote> make_remote(std::map<std::string, std::string> values = {}) {
  ConfigSection s;
  s.name = "disk";
  s.type = "local";
  s.origin = "test.conf";
  s.values = std::move(values);
  auto r = make_local_remote(s);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Lists into (keys relative to root, with a trailing '/' on directories); checks order.
std::vector<std::string> list(Remote& r, const TempDir& d, const std::string& rel_prefix,
                              bool recursive = true, const std::string& after_rel = "") {
  ListRequest req;
  req.prefix = d.path + "/" + rel_prefix;
  req.recursive = recursive;
  if (!after_rel.empty()) req.start_after = d.path + "/" + after_rel;
  std::vector<std::string> out;
  std::string last;
  Status s = r.list(req, [&](std::vector<ObjectInfo>& page) {
    for (auto& o : page) {
      CHECK(o.key > last);
      last = o.key;
      out.push_back(o.key.substr(d.path.size() + 1));
    }
    return Status::OK();
  });
  REQUIRE(s.ok());
  return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("local listing: byte order with directories sorting as name/", "[local]") {
  TempDir d;
  for (auto f : {"a/b", "a-c", "a0", "a.txt", "a/c/d", "a/b0", "B", "é", "z/日本"}) d.file(f);
  auto r = make_remote();
  CHECK(list(*r, d, "") == V{"B", "a-c", "a.txt", "a/b", "a/b0", "a/c/d", "a0", "z/日本", "é"});
  // Prefix ending mid-name; ending with '/'; naming one file; matching nothing.
  CHECK(list(*r, d, "a") == V{"a-c", "a.txt", "a/b", "a/b0", "a/c/d", "a0"});
  CHECK(list(*r, d, "a/") == V{"a/b", "a/b0", "a/c/d"});
  CHECK(list(*r, d, "a/b") == V{"a/b", "a/b0"});
  CHECK(list(*r, d, "nothing").empty());
  CHECK(list(*r, d, "nodir/x").empty());
  CHECK(list(*r, d, "a0/x").empty());  // a0 is a file
  // Delimiter mode: one level, directories with '/'.
  CHECK(list(*r, d, "", false) == V{"B", "a-c", "a.txt", "a/", "a0", "z/", "é"});
  CHECK(list(*r, d, "a/", false) == V{"a/b", "a/b0", "a/c/"});
  // start_after: exclusive, prunes whole subtrees, resumes inside one.
  CHECK(list(*r, d, "", true, "a/b") == V{"a/b0", "a/c/d", "a0", "z/日本", "é"});
  CHECK(list(*r, d, "", true, "a/zz") == V{"a0", "z/日本", "é"});
  CHECK(list(*r, d, "", false, "a/") == V{"a0", "z/", "é"});
}

TEST_CASE("local listing: pages, symlinks, temp files, other remotes' errors", "[local]") {
  TempDir d;
  for (int i = 0; i < 25; ++i) d.file("p/" + std::to_string(100 + i));
  d.file("p/.x.cpsync-tmp-0123456789abcdef");  // an upload in progress
  REQUIRE(::symlink((d / "p/100").c_str(), (d / "p/link").c_str()) == 0);
  local::WalkOptions o;
  o.remote = "disk";
  o.page_size = 10;
  o.warn_links = false;
  std::vector<size_t> pages;
  ListRequest req;
  req.prefix = d / "p/";
  REQUIRE(local::walk(o, req, [&](std::vector<ObjectInfo>& page) {
            pages.push_back(page.size());
            for (auto& e : page) {
              CHECK(e.metadata_known);
              CHECK(e.mtime_from_metadata);
              CHECK(e.size == 1);
              CHECK(e.etag.empty());
              CHECK_FALSE(e.md5);
            }
            return Status::OK();
          }).ok());
  CHECK(pages == std::vector<size_t>{10, 10, 5});
  // A sink error stops the walk and is returned.
  int calls = 0;
  Status s = local::walk(o, req, [&](std::vector<ObjectInfo>&) {
    ++calls;
    return Status{Errc::cancelled, "stop"};
  });
  CHECK(s.code == Errc::cancelled);
  CHECK(calls == 1);
  // Relative prefixes and buckets are rejected.
  auto r = make_remote();
  ListRequest rel;
  rel.prefix = "relative/path";
  CHECK(r->list(rel, [](std::vector<ObjectInfo>&) { return Status::OK(); }).code ==
        Errc::invalid_argument);
  ListRequest bucket;
  bucket.bucket = "b";
  CHECK(r->list(bucket, [](std::vector<ObjectInfo>&) { return Status::OK(); }).code ==
        Errc::invalid_argument);
}

TEST_CASE("local upload: parts in any order from threads; gaps refused", "[local]") {
  TempDir d;
  auto r = make_remote();
  const std::string key = d / "new/dir/obj";
  UploadOptions opts;
  opts.size = 300;
  opts.mtime = TimePoint(std::chrono::nanoseconds(1715949296123456789LL));
  auto up = r->begin_upload({"", key}, opts);
  REQUIRE(up.ok());
  std::string data(300, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>('a' + i % 26);
  std::vector<std::thread> ts;
  for (uint32_t p = 3; p >= 1; --p) {
    ts.emplace_back([&, p] {
      CHECK((*up)->write_part(p, (p - 1) * 100, data.data() + (p - 1) * 100, 100).ok());
    });
  }
  for (auto& t : ts) t.join();
  CHECK(list(*r, d, "new/").empty());  // nothing visible before commit
  auto info = (*up)->commit();
  REQUIRE(info.ok());
  CHECK(info->size == 300);
  CHECK(info->mtime == *opts.mtime);
  auto st = r->stat({"", key});
  REQUIRE(st.ok());
  CHECK(st->mtime.time_since_epoch().count() == 1715949296123456789LL);
  CHECK(st->metadata.at("mtime") == "1715949296.123456789");
  std::string back;
  REQUIRE(r->read({"", key}, {}, [&](const char* p, size_t n) {
             back.append(p, n);
             return Status::OK();
           }).ok());
  CHECK(back == data);

  // A missing part: commit fails and leaves nothing behind (no temp file either).
  auto gap = r->begin_upload({"", d / "new/gap"}, opts);
  REQUIRE(gap.ok());
  REQUIRE((*gap)->write_part(1, 0, data.data(), 100).ok());
  REQUIRE((*gap)->write_part(3, 200, data.data(), 100).ok());
  auto bad = (*gap)->commit();
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message, Catch::Contains("part 2 at offset 100 is missing"));
  CHECK((*gap)->write_part(2, 100, data.data(), 100).code == Errc::invalid_argument);
  // Wrong total size, duplicate part.
  auto shorter = r->begin_upload({"", d / "new/short"}, opts);
  REQUIRE((*shorter)->write_part(1, 0, data.data(), 100).ok());
  CHECK((*shorter)->write_part(1, 0, data.data(), 100).code == Errc::invalid_argument);
  CHECK_FALSE((*shorter)->commit().ok());
  // Dropped without commit: aborted by the destructor.
  {
    auto dropped = r->begin_upload({"", d / "new/dropped"}, opts);
    REQUIRE((*dropped)->write_part(1, 0, data.data(), 100).ok());
  }
  size_t entries = 0;
  for (auto& e : std::filesystem::directory_iterator(d / "new/dir")) entries += !e.path().empty();
  CHECK(entries == 1);  // only obj
  CHECK(std::filesystem::directory_iterator(d / "new") != std::filesystem::directory_iterator());
  CHECK(list(*r, d, "new/") == V{"new/dir/obj"});
  size_t in_new = 0;
  for (auto& e : std::filesystem::directory_iterator(d / "new")) in_new += !e.path().empty();
  CHECK(in_new == 1);  // just dir/: no temp files left
}

TEST_CASE("local: keys that cannot be files, conflicts, buckets, copy", "[local]") {
  TempDir d;
  auto r = make_remote();
  for (std::string bad :
       std::vector<std::string>{d / "a//b", d / "x/", d / "./y", std::string("relative")}) {
    auto p = r->put({"", bad}, "x", 1, {});
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code == Errc::invalid_argument);
    CHECK_THAT(p.status().message, Catch::Contains("local 'disk'"));
  }
  CHECK(r->put({"b", d / "x"}, "x", 1, {}).status().code == Errc::invalid_argument);
  d.file("f", "data");
  // A file where a directory is needed, a directory where a file should go.
  CHECK(r->put({"", d / "f/under"}, "x", 1, {}).status().code == Errc::conflict);
  std::filesystem::create_directories(d / "dir");
  CHECK(r->put({"", d / "dir"}, "x", 1, {}).status().code == Errc::conflict);
  CHECK(r->stat({"", d / "dir"}).status().code == Errc::not_found);
  CHECK(r->stat({"", d / "f/under"}).status().code == Errc::not_found);
  CHECK(r->remove({"", d / "f/under"}).ok());
  CHECK(r->remove({"", d / "absent"}).ok());

  CHECK(r->list_buckets([](std::vector<ObjectInfo>&) { return Status::OK(); }).code ==
        Errc::not_supported);
  CHECK(r->make_bucket(d / "m/n/o").ok());
  CHECK(r->make_bucket(d / "m/n/o").ok());
  CHECK(r->remove_bucket(d / "m/n").code == Errc::conflict);  // not empty
  CHECK(r->remove_bucket(d / "m/n/o").ok());
  CHECK(r->remove_bucket(d / "m/n/o").code == Errc::not_found);

  // Server-side copy keeps content and mtime.
  REQUIRE(r->features().server_side_copy);
  UploadOptions o;
  o.mtime = TimePoint(std::chrono::seconds(1000000000));
  REQUIRE(r->put({"", d / "src"}, "copy me", 7, o).ok());
  auto src = r->stat({"", d / "src"});
  auto c = r->copy_server_side({"", d / "src"}, {"", d / "sub/dst"}, *src);
  REQUIRE(c.ok());
  CHECK(c->size == 7);
  CHECK(c->mtime == *o.mtime);
  std::ifstream in(d / "sub/dst");
  std::string body((std::istreambuf_iterator<char>(in)), {});
  CHECK(body == "copy me");
  CHECK(r->copy_server_side({"", d / "nope"}, {"", d / "x"}, *src).status().code ==
        Errc::not_found);
}

TEST_CASE("local config: options checked", "[local]") {
  CHECK(make_remote({{"skip_links", "true"}})->name() == "disk");
  ConfigSection s;
  s.name = "disk";
  s.origin = "/etc/cpsync.conf";
  s.values = {{"skp_links", "true"}};
  s.lines = {{"skp_links", 7}};
  auto r = make_local_remote(s);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code == Errc::invalid_argument);
  CHECK(r.status().message ==
        "remote 'disk' (/etc/cpsync.conf:7): unknown key 'skp_links' for type local");
  s.values = {{"skip_links", "maybe"}};
  CHECK_FALSE(make_local_remote(s).ok());
  s.values = {{"copy_links", "true"}, {"links", "true"}};
  s.lines = {{"copy_links", 8}, {"links", 9}};
  auto both = make_local_remote(s);
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().message.find("copy_links and links exclude each other") !=
        std::string::npos);
  CHECK(local_option_schema().size() == 3);  // skip_links, copy_links, links
}
