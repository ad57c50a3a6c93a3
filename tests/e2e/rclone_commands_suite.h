// tests/e2e/rclone_commands_suite.h — lsf, md5sum/hashsum, moveto, tree, purge and about
// through the cpsync binary, run against every backend (local, RGW, Azurite, the OSS test
// server): rclone's output formats, a multipart object written by cpsync showing its MD5,
// and the documented exit codes. Test-thread only.
#pragma once

#include <ctime>
#include <regex>
#include <string>

#include "core/crypto.h"
#include "tests/e2e/cli_objects_suite.h"

namespace cpsync::testing {

inline bool has_line(const std::string& out, const std::string& line) {
  for (const std::string& l : split_lines(out))
    if (l == line) return true;
  return false;
}

// base: an existing, empty bucket or directory ("s3:bkt", "/tmp/x/d"); cloud: whether base
// is a bucket on a cloud remote; tier: the storage tier its listing reports for new objects
// ("" for local files).
inline void run_rclone_commands_suite(const std::string& config, const TempDir& tmp,
                                      const std::string& base, bool cloud,
                                      const std::string& tier) {
  const std::string hello = "hello, world";
  const std::string hello_md5 = "e4d7f1b4ed2e42d15898f4b27b019da4";
  rcat(config, tmp, base + "/a.txt", hello);
  rcat(config, tmp, base + "/sub/b.txt", "bbb");
  rcat(config, tmp, base + "/sub/deep/c.txt", "c");
  // A multipart object written by cpsync: 3 parts of 5 MiB.
  const std::string big = random_bytes(12 * 1024 * 1024 + 7, 42);
  write_file_text(tmp / "big.bin", big);
  run_ok(config, {"copyto", tmp / "big.bin", base + "/big.bin", "--chunk-size", "5Mi",
                  "--upload-cutoff", "5Mi"});
  const std::string big_md5 = hex_lower(md5_raw(big));

  SECTION("lsf: one level by default, directories with a slash; -R, formats, separators") {
    RunResult r = run_ok(config, {"lsf", base});
    CHECK(split_lines(r.out) == std::vector<std::string>{"a.txt", "big.bin", "sub/"});
    r = run_ok(config, {"lsf", "-R", base});
    CHECK(split_lines(r.out) == std::vector<std::string>{"a.txt", "big.bin", "sub/", "sub/b.txt",
                                                         "sub/deep/", "sub/deep/c.txt"});
    r = run_ok(config, {"lsf", "-R", "--files-only", "--format", "psh", "--separator", "|", base});
    CHECK(split_lines(r.out) ==
          std::vector<std::string>{"a.txt|12|" + hello_md5,
                                   "big.bin|" + std::to_string(big.size()) + "|" + big_md5,
                                   "sub/b.txt|3|" + hex_lower(md5_raw("bbb")),
                                   "sub/deep/c.txt|1|" + hex_lower(md5_raw("c"))});
    r = run_ok(config, {"lsf", "-R", "--dirs-only", "--absolute", "--format", "ps", base});
    CHECK(split_lines(r.out) == std::vector<std::string>{"/sub/;-1", "/sub/deep/;-1"});
    r = run_ok(config, {"lsf", "--format", "tm", "--csv", base + "/a.txt"});
    CHECK(std::regex_match(
        r.out,
        std::regex("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,text/plain(; charset=utf-8)?\n")));
    // -t: rclone's named time formats; the object was written just now.
    r = run_ok(config, {"lsf", "-t", "unix", "--format", "t", base + "/a.txt"});
    const long long age = static_cast<long long>(std::time(nullptr)) - std::stoll(r.out);
    CHECK((age >= -5 && age < 600));
    r = run_ok(config, {"lsf", "--time-format", "RFC3339", "--format", "t", base + "/a.txt"});
    CHECK(std::regex_match(
        r.out, std::regex("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\n")));
    r = run_cpsync(config, {"lsf", "-t", "2006-01-02", "--format", "t", base});
    CHECK(r.code == 1);
    CHECK(split_lines(r.err).size() == 1);
    r = run_ok(config, {"lsf", "--format", "e", base + "/a.txt"});
    if (cloud) {
      CHECK(r.out.size() > 3);  // the object's ETag
    } else {
      CHECK(r.out == "\n");  // files have none
    }
  }

  SECTION("lsf T and lsjson Tier: the storage tier the listing and stat report") {
    // From the listing (one level: the directory's T is empty), with and without the HEAD
    // that t costs on S3/OSS, and for the multipart object.
    CHECK(split_lines(run_ok(config, {"lsf", "--format", "pT", base}).out) ==
          std::vector<std::string>{"a.txt;" + tier, "big.bin;" + tier, "sub/;"});
    RunResult r =
        run_ok(config, {"lsf", "--format", "Tpt", "--files-only", "-R", "--max-depth", "2", base});
    const std::vector<std::string> lines = split_lines(r.out);
    REQUIRE(lines.size() == 3);
    for (const std::string& l : lines) CHECK(l.starts_with(tier + ";"));
    // A single object is a stat (HEAD) on the cloud remotes.
    CHECK(run_ok(config, {"lsf", "--format", "T", base + "/sub/b.txt"}).out == tier + "\n");
    auto j = nlohmann::json::parse(run_ok(config, {"lsjson", base}).out);
    REQUIRE(j.size() == 3);
    for (const auto& e : j) {
      if (tier.empty() || e["IsDir"].get<bool>())
        CHECK_FALSE(e.contains("Tier"));
      else
        CHECK(e["Tier"] == tier);
    }
  }

  SECTION("md5sum and hashsum: stored hashes, also of the multipart object; --download") {
    RunResult r = run_ok(config, {"md5sum", base});
    const std::vector<std::string> want{hello_md5 + "  a.txt", big_md5 + "  big.bin",
                                        hex_lower(md5_raw("bbb")) + "  sub/b.txt",
                                        hex_lower(md5_raw("c")) + "  sub/deep/c.txt"};
    CHECK(split_lines(r.out) == want);
    CHECK(split_lines(run_ok(config, {"md5sum", "--download", base}).out) == want);
    CHECK(split_lines(run_ok(config, {"hashsum", "MD5", base}).out) == want);
    r = run_ok(config, {"hashsum", "sha-256", "--download", base + "/a.txt"});
    CHECK(r.out == hex_lower(sha256_raw(hello)) + "  a.txt\n");
    r = run_ok(config, {"md5sum", "--base64", base + "/a.txt"});
    std::string raw;
    REQUIRE(hex_decode(hello_md5, raw));
    CHECK(r.out == base64_encode(raw) + "  a.txt\n");
    CHECK(run_ok(config, {"hashsum"}).out.find("* md5") != std::string::npos);
    // -C: the listing against a sum file (the sum file is the source, as in rclone's check).
    write_file_text(tmp / "good.md5", run_ok(config, {"md5sum", base}).out);
    r = run_cpsync(config, {"md5sum", "-C", tmp / "good.md5", base});
    CHECK(r.code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.find("cpsync: 4 matching files\ncpsync: 0 differences found\n") !=
          std::string::npos);
    write_file_text(tmp / "bad.md5", std::string(32, '0') + "  a.txt\n" + want[1] + "\n" + want[2] +
                                         "\n" + hello_md5 + " *gone.txt\n");
    r = run_cpsync(config, {"md5sum", "--checkfile", tmp / "bad.md5", base});
    CHECK(r.code == 1);
    for (const char* e : {"a.txt: md5 differ", "sub/deep/c.txt: file not in",
                          "gone.txt: file not in", "2 matching files", "3 differences found"}) {
      CHECK(r.err.find(e) != std::string::npos);
    }
    write_file_text(tmp / "junk.md5", "not a sum line\n");
    r = run_cpsync(config, {"md5sum", "-C", tmp / "junk.md5", base});
    CHECK(r.code == 1);
    CHECK(split_lines(r.err).size() == 1);
    r = run_cpsync(config, {"hashsum", "crc99", base});
    CHECK(r.code == 1);
    CHECK(split_lines(r.err).size() == 1);
  }

  SECTION("tree draws the directories and objects, with sizes and a level limit") {
    RunResult r = run_ok(config, {"tree", base});
    CHECK(r.out ==
          "/\n"
          "├── a.txt\n"
          "├── big.bin\n"
          "└── sub\n"
          "    ├── b.txt\n"
          "    └── deep\n"
          "        └── c.txt\n"
          "\n"
          "2 directories, 4 files\n");
    r = run_ok(config, {"tree", "-s", "--level", "1", "--noreport", base});
    CHECK(r.out == "/\n├── [         12]  a.txt\n├── [" +
                       std::string(11 - std::to_string(big.size()).size(), ' ') +
                       std::to_string(big.size()) + "]  big.bin\n└── [          0]  sub\n");
  }

  SECTION("purge deletes everything below the path, filters ignored") {
    RunResult p = run_ok(config, {"purge", base + "/sub", "--include", "nothing-matches"});
    CHECK(p.err.find("purge ignores the filter flags") != std::string::npos);
    CHECK(split_lines(run_ok(config, {"lsf", "-R", base}).out) ==
          std::vector<std::string>{"a.txt", "big.bin"});
    RunResult r = run_cpsync(config, {"purge", base + "/no-such-dir"});
    CHECK(r.code == (cloud ? 0 : 3));
  }
  SECTION("moveto: the copy is there, the source gone; a missing source is exit 4") {
    run_ok(config, {"moveto", base + "/a.txt", base + "/moved/a2.txt"});
    CHECK(run_ok(config, {"cat", base + "/moved/a2.txt"}).out == hello);
    CHECK(run_cpsync(config, {"cat", base + "/a.txt"}).code == 4);
    run_ok(config, {"moveto", base + "/big.bin", tmp / "back/big.bin"});
    CHECK(read_file_text(tmp / "back/big.bin") == big);
    CHECK(run_cpsync(config, {"cat", base + "/big.bin", "--count", "1"}).code == 4);
    RunResult r = run_cpsync(config, {"moveto", base + "/a.txt", base + "/x.txt"});
    CHECK(r.code == 4);
    CHECK(split_lines(r.err).size() == 1);
    r = run_cpsync(config, {"moveto", base + "/sub/b.txt", base + "/sub/b.txt"});
    CHECK(r.code == 1);
    CHECK(run_ok(config, {"cat", base + "/sub/b.txt"}).out == "bbb");
  }
}

}  // namespace cpsync::testing
