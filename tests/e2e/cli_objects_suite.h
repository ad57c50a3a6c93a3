// tests/e2e/cli_objects_suite.h — the object/listing command checks run against every
// backend through the cpsync binary: rcat/cat round trips (one stream large enough to
// become multipart), ls/lsl/lsjson/lsd on a small tree with a unicode key and a key with
// spaces, ranged cat, size, deletefile, delete of a prefix, link + curl, error exit codes.
// Test-thread only.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_harness.h"

namespace cpsync::testing {

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) nl = s.size();
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Runs and requires success, showing stderr when it fails.
inline RunResult run_ok(const std::string& config, const std::vector<std::string>& args,
                        const std::string& stdin_file = "") {
  RunResult r = run_cpsync(config, args, stdin_file);
  INFO("cpsync " << (args.empty() ? "" : args[0]) << " " << (args.size() > 1 ? args[1] : "")
                 << "\nstderr: " << r.err);
  REQUIRE(r.code == 0);
  return r;
}

// Stores data at location through rcat (stdin from a file in tmp).
inline void rcat(const std::string& config, const TempDir& tmp, const std::string& location,
                 const std::string& data) {
  const std::string in = tmp / "stdin.bin";
  write_file_text(in, data);
  run_ok(config, {"rcat", location}, in);
}

// Fetches url with curl; returns the body, or "" with *ok = false when curl fails.
inline std::string curl_get(const std::string& url, bool* ok) {
  REQUIRE(url.find('\'') == std::string::npos);
  FILE* p = ::popen(("curl -s -f --max-time 30 '" + url + "'").c_str(), "r");
  REQUIRE(p);
  std::string body;
  char buf[65536];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) body.append(buf, n);
  *ok = ::pclose(p) == 0;
  return body;
}

struct SuiteOptions {
  bool buckets = true;            // cloud remote: `remote:` lists buckets, missing bucket -> 3
  bool link = true;               // link works (presigned URL / SAS)
  size_t big = 20 * 1024 * 1024;  // the multipart stream
};

// base: an existing, empty bucket or directory, e.g. "s3:bkt" or "/tmp/x/bkt".
// remote_root: "s3:" for cloud remotes ("" for local); bucket: the bucket's name.
inline void run_object_suite(const std::string& config, const TempDir& tmp, const std::string& base,
                             const std::string& remote_root, const std::string& bucket,
                             const SuiteOptions& so) {
  const std::string tree = base + "/tree";
  const std::string hello = "hello, world";
  rcat(config, tmp, tree + "/a.txt", hello);
  rcat(config, tmp, tree + "/sp ace.txt", "spaces");
  rcat(config, tmp, tree + "/sub/\xc3\xbc.txt", "unicode!");
  rcat(config, tmp, tree + "/sub/deep/z.bin", std::string(1000, 'z'));

  SECTION("cat returns what rcat stored, also ranges") {
    CHECK(run_ok(config, {"cat", tree + "/a.txt"}).out == hello);
    CHECK(run_ok(config, {"cat", tree + "/a.txt", "--offset", "7", "--count", "3"}).out == "wor");
    CHECK(run_ok(config, {"cat", tree + "/a.txt", "--offset", "-5"}).out == "world");
    CHECK(run_ok(config, {"cat", tree + "/a.txt", "--offset", "100"}).out.empty());
    CHECK(run_ok(config, {"cat", tree + "/sub/\xc3\xbc.txt"}).out == "unicode!");
  }

  SECTION("ls and lsl print sizes and paths relative to the location") {
    auto ls = run_ok(config, {"ls", tree});
    CHECK(split_lines(ls.out) == std::vector<std::string>{"       12 a.txt", "        6 sp ace.txt",
                                                          "     1000 sub/deep/z.bin",
                                                          "        8 sub/\xc3\xbc.txt"});
    auto lsl = run_ok(config, {"lsl", tree + "/sub"});
    auto lines = split_lines(lsl.out);
    REQUIRE(lines.size() == 2);
    const std::regex re(R"( +(\d+) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} (.+))");
    std::smatch m;
    REQUIRE(std::regex_match(lines[0], m, re));
    CHECK(m[1] == "1000");
    CHECK(m[2] == "deep/z.bin");
    REQUIRE(std::regex_match(lines[1], m, re));
    CHECK(m[2] == "\xc3\xbc.txt");
    CHECK(split_lines(run_ok(config, {"ls", tree, "--max-depth", "1"}).out) ==
          std::vector<std::string>{"       12 a.txt", "        6 sp ace.txt"});
    // A location naming one object lists that object.
    CHECK(run_ok(config, {"ls", tree + "/a.txt"}).out == "       12 a.txt\n");
  }

  SECTION("lsjson: one level with directories, -R, --files-only, --dirs-only") {
    auto j = nlohmann::json::parse(run_ok(config, {"lsjson", tree}).out);
    REQUIRE(j.is_array());
    REQUIRE(j.size() == 3);
    CHECK(j[0]["Path"] == "a.txt");
    CHECK(j[0]["Name"] == "a.txt");
    CHECK(j[0]["Size"] == 12);
    CHECK(j[0]["IsDir"] == false);
    CHECK(j[0]["MimeType"] == "text/plain; charset=utf-8");
    CHECK(std::regex_match(j[0]["ModTime"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z)")));
    CHECK(j[1]["Path"] == "sp ace.txt");
    CHECK(j[2]["Path"] == "sub");
    CHECK(j[2]["IsDir"] == true);
    CHECK(j[2]["Size"] == -1);
    auto r = nlohmann::json::parse(run_ok(config, {"lsjson", "-R", tree}).out);
    std::vector<std::string> paths;
    for (auto& e : r) paths.push_back(e["Path"]);
    CHECK(paths == std::vector<std::string>{"a.txt", "sp ace.txt", "sub", "sub/deep",
                                            "sub/deep/z.bin", "sub/\xc3\xbc.txt"});
    for (auto& e : r) {
      if (e["Path"] == "sub/\xc3\xbc.txt") CHECK(e["Name"] == "\xc3\xbc.txt");
    }
    auto files = nlohmann::json::parse(run_ok(config, {"lsjson", "-R", "--files-only", tree}).out);
    CHECK(files.size() == 4);
    auto dirs = nlohmann::json::parse(run_ok(config, {"lsjson", "-R", "--dirs-only", tree}).out);
    CHECK(dirs.size() == 2);
  }

  SECTION("lsd at one level and one down; at the root the buckets") {
    auto lsd = split_lines(run_ok(config, {"lsd", tree}).out);
    REQUIRE(lsd.size() == 1);
    CHECK(std::regex_match(lsd[0], std::regex(R"( +-1 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d +-1 sub)")));
    auto down = split_lines(run_ok(config, {"lsd", tree + "/sub"}).out);
    REQUIRE(down.size() == 1);
    CHECK(down[0].ends_with(" deep"));
    if (so.buckets) {
      auto root = run_ok(config, {"lsd", remote_root});
      CHECK(root.out.find(" " + bucket + "\n") != std::string::npos);
    }
  }

  SECTION("size counts objects and bytes") {
    CHECK(run_ok(config, {"size", tree}).out ==
          "Total objects: 4 (4)\nTotal size: 1.002 KiB (1026 Byte)\n");
    auto j = nlohmann::json::parse(run_ok(config, {"size", tree, "--json"}).out);
    CHECK(j["count"] == 4);
    CHECK(j["bytes"] == 1026);
  }

  SECTION("a stream larger than a part becomes multipart and reads back intact") {
    const std::string big = random_bytes(so.big, 42);
    rcat(config, tmp, base + "/big/stream.bin", big);
    auto out = run_ok(config, {"cat", base + "/big/stream.bin"});
    CHECK(out.out.size() == big.size());
    CHECK(out.out == big);
    auto mid = run_ok(config, {"cat", base + "/big/stream.bin", "--offset",
                               std::to_string(so.big / 2), "--count", "1000"});
    CHECK(mid.out == big.substr(so.big / 2, 1000));
  }

  SECTION("copyto, deletefile and delete of a prefix") {
    run_ok(config, {"copyto", tree + "/a.txt", base + "/copies/a copy.txt"});
    CHECK(run_ok(config, {"cat", base + "/copies/a copy.txt"}).out == hello);
    run_ok(config, {"deletefile", base + "/copies/a copy.txt"});
    auto gone = run_cpsync(config, {"cat", base + "/copies/a copy.txt"});
    CHECK(gone.code == 4);
    auto again = run_cpsync(config, {"deletefile", base + "/copies/a copy.txt"});
    CHECK(again.code == 4);

    run_ok(config, {"delete", "--dry-run", tree + "/sub"});
    CHECK(run_ok(config, {"size", tree}).out.starts_with("Total objects: 4 "));
    run_ok(config, {"delete", tree + "/sub", "--exclude", "*.bin"});
    CHECK(split_lines(run_ok(config, {"ls", tree}).out) ==
          std::vector<std::string>{"       12 a.txt", "        6 sp ace.txt",
                                   "     1000 sub/deep/z.bin"});
    run_ok(config, {"delete", tree});
    CHECK(run_ok(config, {"ls", base}).out.find("tree/") == std::string::npos);
  }

  SECTION("link gives a URL curl can fetch") {
    auto link = run_cpsync(config, {"link", tree + "/a.txt", "--expire", "10m"});
    if (!so.link) {
      CHECK(link.code == 2);
      CHECK(split_lines(link.err).size() == 1);
      return;
    }
    INFO(link.err);
    REQUIRE(link.code == 0);
    REQUIRE(split_lines(link.out).size() == 1);
    bool ok = false;
    CHECK(curl_get(split_lines(link.out)[0], &ok) == hello);
    CHECK(ok);
    auto bad = run_cpsync(config, {"link", tree + "/a.txt", "--expire", "soon"});
    CHECK(bad.code == 1);
  }

  SECTION("errors: one line and the documented exit code") {
    auto missing = run_cpsync(config, {"cat", tree + "/no-such-object"});
    CHECK(missing.code == 4);
    CHECK(split_lines(missing.err).size() == 1);
    CHECK(missing.err.starts_with("cpsync: error: "));
    if (so.buckets) {
      const std::string nob = remote_root + unique_bucket("cpsync-missing");
      auto nobucket = run_cpsync(config, {"ls", nob});
      CHECK(nobucket.code == 3);
      CHECK(split_lines(nobucket.err).size() == 1);
      auto nobucket_cat = run_cpsync(config, {"cat", nob + "/x.txt"});
      CHECK(nobucket_cat.code == 3);
      CHECK(split_lines(nobucket_cat.err).size() == 1);
      auto bad = run_cpsync(config, {"ls", remote_root + "/x"});
      CHECK(bad.code == 1);
    }
    auto nosuch = run_cpsync(config, {"ls", "nosuchremote:bucket"});
    CHECK(nosuch.code == 1);
    CHECK(split_lines(nosuch.err).size() == 1);
  }
}

// Makes a fresh bucket on remote, runs body, then empties and removes the bucket.
template <class Body>
inline void with_bucket(const std::string& config, const std::string& remote, Body&& body) {
  const std::string bucket = unique_bucket("cpsync-e2e");
  run_ok(config, {"mkdir", remote + ":" + bucket});
  body(bucket);
  run_cpsync(config, {"delete", remote + ":" + bucket});
  run_cpsync(config, {"rmdir", remote + ":" + bucket});
}

inline void suite_on(const std::string& section, const std::string& remote) {
  TempDir tmp;
  const std::string config = write_config(tmp, section);
  with_bucket(config, remote, [&](const std::string& bucket) {
    run_object_suite(config, tmp, remote + ":" + bucket, remote + ":", bucket, SuiteOptions{});
  });
}

inline void bucket_cycle(const std::string& section, const std::string& remote) {
  TempDir tmp;
  const std::string config = write_config(tmp, section);
  const std::string bucket = unique_bucket("cpsync-mk");
  const std::string loc = remote + ":" + bucket;
  run_ok(config, {"mkdir", loc});
  run_ok(config, {"mkdir", loc});  // already ours: fine, as in rclone
  CHECK(run_ok(config, {"lsd", remote + ":"}).out.find(" " + bucket + "\n") != std::string::npos);
  const std::string in = tmp / "in";
  write_file_text(in, "x");
  run_ok(config, {"rcat", loc + "/dir/x"}, in);
  auto busy = run_cpsync(config, {"rmdir", loc});
  CHECK(busy.code != 0);
  CHECK(split_lines(busy.err).size() == 1);
  auto dir_busy = run_cpsync(config, {"rmdir", loc + "/dir"});
  CHECK(dir_busy.code != 0);
  run_ok(config, {"deletefile", loc + "/dir/x"});
  run_ok(config, {"rmdir", loc});
  CHECK(run_ok(config, {"lsd", remote + ":"}).out.find(" " + bucket + "\n") == std::string::npos);
  auto gone = run_cpsync(config, {"ls", loc});
  CHECK(gone.code == 3);
  auto root = run_cpsync(config, {"mkdir", remote + ":"});
  CHECK(root.code == 1);
}

}  // namespace cpsync::testing
