// tests/e2e/cli_log_test.cc — the cpsync binary's logging on local remotes: --log-file
// (rclone's timestamped lines, appended, mode 0600, stderr left to the stats block),
// --log-level against -v/-q, --use-json-log, a log file that cannot be opened, and --stats
// blocks logged during a slow (--bwlimit) copy.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "tests/e2e/cli_objects_suite.h"

namespace {

using namespace cpsync::testing;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

// A source tree of two small files and one of 2 MiB.
std::string make_source(const TempDir& tmp) {
  const std::string src = tmp / "src";
  write_file_text(src + "/a.txt", "alpha");
  write_file_text(src + "/sub/b.txt", "bravo");
  write_file_text(src + "/big.bin", random_bytes(2 << 20, 7));
  return src;
}

}  // namespace

TEST_CASE("--log-file takes the log lines, timestamped as rclone's, appended", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("disk"));
  const std::string src = make_source(tmp);
  const std::string log = tmp / "logs/cpsync.log";  // the directory must exist
  auto bad = run_cpsync(config, {"copy", src, tmp / "dst", "--log-file", log});
  CHECK(bad.code == 1);
  CHECK(split_lines(bad.err).size() == 1);
  CHECK(bad.err.find("cpsync: error: --log-file " + log) == 0);
  write_file_text(tmp / "logs/cpsync.log", "kept from before\n");

  auto r = run_cpsync(config, {"copy", src, tmp / "dst", "-vv", "--log-file", log});
  REQUIRE(r.code == 0);
  // No log line on the terminal; the final stats block (-v) still is.
  CHECK(r.err.find(" INFO  : ") == std::string::npos);
  CHECK(r.err.find("DEBUG") == std::string::npos);
  CHECK(r.err.find("Transferred:") != std::string::npos);
  std::string text = read_file_text(log);
  auto lines = split_lines(text);
  REQUIRE(lines.size() >= 4);
  CHECK(lines[0] == "kept from before");
  const std::regex stamped(R"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (DEBUG |INFO  |NOTICE|ERROR ): .*)");
  for (size_t i = 1; i < lines.size(); ++i) {
    INFO(lines[i]);
    CHECK(std::regex_match(lines[i], stamped));
  }
  CHECK(text.find(" INFO  : a.txt: copied") != std::string::npos);
  CHECK(text.find(" DEBUG : ") != std::string::npos);

  // A second run appends, and its error line (also on stderr) is in the file.
  auto failed = run_cpsync(config, {"copy", tmp / "no-such-dir", tmp / "dst", "--log-file", log});
  CHECK(failed.code == 3);
  CHECK(split_lines(failed.err).back().find("cpsync: error: ") == 0);
  auto after = split_lines(read_file_text(log));
  CHECK(after.size() == lines.size() + 1);
  CHECK(std::regex_match(after.back(), stamped));
  CHECK(after.back().find(" ERROR : ") != std::string::npos);

  // A fresh log file is created with mode 0600.
  const std::string fresh = tmp / "fresh.log";
  REQUIRE(run_cpsync(config, {"copy", src, tmp / "dst2", "-v", "--log-file", fresh}).code == 0);
  struct stat st {};
  REQUIRE(::stat(fresh.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("--log-level matches -v, -vv and -q; --use-json-log writes JSON lines", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("disk"));
  const std::string src = make_source(tmp);
  int n = 0;
  auto logged = [&](std::vector<std::string> flags) {
    const std::string log = tmp / ("run" + std::to_string(++n) + ".log");
    std::vector<std::string> args = {"copy", src, tmp / ("dst" + std::to_string(n)), "--log-file",
                                     log};
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = run_cpsync(config, args);
    INFO(r.err);
    CHECK(r.code == 0);
    return read_file_text(log);
  };
  CHECK(logged({"--log-level", "DEBUG"}).find(" DEBUG : ") != std::string::npos);
  CHECK(logged({"--log-level", "debug"}).find(" DEBUG : ") != std::string::npos);
  std::string info = logged({"--log-level", "INFO"});
  CHECK(info.find(" INFO  : ") != std::string::npos);
  CHECK(info.find(" DEBUG : ") == std::string::npos);
  CHECK(logged({"--log-level", "NOTICE"}).empty());  // a clean copy has nothing to notice
  CHECK(logged({"--log-level", "ERROR"}).empty());
  CHECK(logged({}).empty());

  for (const auto& bad : std::vector<std::vector<std::string>>{{"--log-level", "LOUD"},
                                                               {"--log-level", "INFO", "-v"},
                                                               {"--log-level", "DEBUG", "-q"},
                                                               {"--stats", "1x"},
                                                               {"--stats-log-level", "X"}}) {
    std::vector<std::string> args = {"copy", src, tmp / "dst-bad"};
    args.insert(args.end(), bad.begin(), bad.end());
    auto r = run_cpsync(config, args);
    INFO(bad[0] << " " << bad[1]);
    CHECK(r.code == 1);
    CHECK(split_lines(r.err).size() == 1);
  }

  std::string json = logged({"-vv", "--use-json-log"});
  auto lines = split_lines(json);
  REQUIRE(lines.size() >= 3);
  bool copied = false;
  for (const auto& l : lines) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    INFO(l);
    REQUIRE(j.is_object());
    CHECK(j["time"].is_string());
    CHECK(std::regex_match(j["time"].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
    CHECK((j["level"] == "debug" || j["level"] == "info"));
    CHECK(j["msg"].is_string());
    // rclone's JSON form: the key in "object", the message without it.
    copied = copied || (j.value("object", "") == "a.txt" &&
                        j["msg"].get<std::string>().starts_with("copied"));
  }
  CHECK(copied);
}

TEST_CASE("check logs each difference at ERROR, with the key as the JSON object", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("disk"));
  const std::string src = make_source(tmp);
  const std::string dst = tmp / "dst";
  REQUIRE(run_cpsync(config, {"copy", src, dst}).code == 0);
  write_file_text(dst + "/a.txt", "changed");
  write_file_text(dst + "/extra.txt", "only here");

  // -q shows errors only: the differences are errors, as in rclone.
  auto text = run_cpsync(config, {"check", src, dst, "-q"});
  CHECK(text.code == 1);
  CHECK(text.err.find(" ERROR : a.txt: files differ") != std::string::npos);
  CHECK(text.err.find(" ERROR : extra.txt: file not in ") != std::string::npos);

  auto json = run_cpsync(config, {"check", src, dst, "--use-json-log"});
  CHECK(json.code == 1);
  bool differ = false, extra = false;
  for (const auto& l : split_lines(json.err)) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    if (!j.is_object() || j.value("level", "") != "error") continue;
    differ = differ || (j.value("object", "") == "a.txt" && j["msg"] == "files differ");
    extra = extra || (j.value("object", "") == "extra.txt" &&
                      j["msg"].get<std::string>().starts_with("file not in "));
  }
  INFO(json.err);
  CHECK(differ);
  CHECK(extra);
}

TEST_CASE("--stats logs the stats block during a slow copy", "[e2e]") {
  TempDir tmp;
  const std::string config = write_config(tmp, local_section("disk"));
  const std::string src = make_source(tmp);  // 2 MiB at 512 KiB/s: about 4 s
  auto with = [&](const std::string& dst, std::vector<std::string> flags,
                  const std::string& stats = "1s") {
    std::vector<std::string> args = {"copy", src, tmp / dst, "--stats", stats};
    const std::vector<std::string> slow = {"--no-server-side-copy", "--bwlimit", "512k"};
    args.insert(args.end(), slow.begin(), slow.end());
    args.insert(args.end(), flags.begin(), flags.end());
    auto r = run_cpsync(config, args);
    INFO(r.err);
    CHECK(r.code == 0);
    return r;
  };
  // rclone's default: the blocks are INFO lines, on stderr, shown with -v.
  auto r = with("d1", {"-v"});
  CHECK(count(r.err, " INFO  : \nTransferred:") >= 2);
  CHECK(count(r.err, "Resumed:") >= 2);
  CHECK(count(r.err, "Server-side:") >= 2);
  CHECK(count(r.err, "Backed up:") >= 3);  // and once in the final block
  // Into the log file when there is one; the final block stays on the terminal.
  const std::string log = tmp / "stats.log";
  r = with("d2", {"-v", "--log-file", log});
  CHECK(count(read_file_text(log), " INFO  : \nTransferred:") >= 2);
  CHECK(count(r.err, "Transferred:") == 1);
  // --stats-log-level NOTICE shows them without -v; JSON lines carry a stats object.
  r = with("d3", {"--stats-log-level", "NOTICE", "--use-json-log"});
  size_t blocks = 0;
  for (const auto& l : split_lines(r.err)) {
    auto j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_object() && j.contains("stats")) {
      ++blocks;
      CHECK(j["level"] == "notice");
      CHECK(j["stats"].contains("resumed_bytes"));
      CHECK(j["stats"]["total_bytes"] == (2 << 20) + 10);
    }
  }
  CHECK(blocks >= 2);
  // --stats 0 (and the default level without -v) log none.
  r = with("d4", {"-v"}, "0");
  CHECK(count(r.err, "Transferred:") == 1);
  r = with("d5", {});
  CHECK(r.err.empty());
}
