// tests/unit/log_format_test.cc — core/log.h's line format (rclone's text form and the JSON
// form with object and extra fields), level names, and the log file: appended, 0600,
// redacted, and one error line for a path that cannot be opened.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/log.h"

using namespace cpsync;

namespace {
std::chrono::system_clock::time_point at_noon() {
  // 2026-12-07 12:00:00.250 UTC
  return std::chrono::system_clock::time_point(std::chrono::seconds(1796644800)) +
         std::chrono::milliseconds(250);
}
}  // namespace

TEST_CASE("log lines use rclone's format: date, time, padded level", "[log]") {
  setenv("TZ", "UTC", 1);
  tzset();
  CHECK(format_log_line(LogLevel::info, "a.txt: copied", "", "", false, at_noon()) ==
        "2026/12/07 12:00:00 INFO  : a.txt: copied");
  CHECK(format_log_line(LogLevel::notice, "n", "", "", false, at_noon()) ==
        "2026/12/07 12:00:00 NOTICE: n");
  CHECK(format_log_line(LogLevel::error, "e", "k/x", "", false, at_noon()) ==
        "2026/12/07 12:00:00 ERROR : k/x: e");
  CHECK(format_log_line(LogLevel::debug, "d", "", "", false, at_noon()) ==
        "2026/12/07 12:00:00 DEBUG : d");
}

TEST_CASE("JSON log lines have time, level, msg, object and extra fields", "[log]") {
  auto j = nlohmann::json::parse(format_log_line(LogLevel::info, "copied", "k/x",
                                                 R"({"stats":{"bytes":5}})", true, at_noon()));
  CHECK(j["time"] == "2026-12-07T12:00:00.250000Z");
  CHECK(j["level"] == "info");
  CHECK(j["msg"] == "copied");
  CHECK(j["object"] == "k/x");
  CHECK(j["stats"]["bytes"] == 5);
  auto plain =
      nlohmann::json::parse(format_log_line(LogLevel::error, "x", "", "", true, at_noon()));
  CHECK_FALSE(plain.contains("object"));
  CHECK(plain["level"] == "error");
}

TEST_CASE("log levels parse by rclone's names in any case", "[log]") {
  CHECK(parse_log_level("DEBUG") == LogLevel::debug);
  CHECK(parse_log_level("info") == LogLevel::info);
  CHECK(parse_log_level("Notice") == LogLevel::notice);
  CHECK(parse_log_level("ERROR") == LogLevel::error);
  CHECK_FALSE(parse_log_level("WARN").has_value());
  CHECK_FALSE(parse_log_level("").has_value());
}

TEST_CASE("the log file is appended to, created 0600, and gets redacted lines", "[log]") {
  char dir[] = "/tmp/cpsync-log-XXXXXX";
  REQUIRE(mkdtemp(dir));
  const std::string path = std::string(dir) + "/x.log";
  auto bad = open_log_file(std::string(dir) + "/no/such/dir/x.log");
  CHECK(bad.code == Errc::invalid_argument);
  CHECK(bad.message.find("--log-file " + std::string(dir) + "/no/such/dir/x.log") == 0);
  CHECK_FALSE(logging_to_file());

  LogOptions saved = log_options();
  set_log_options(LogOptions{LogLevel::info, false});
  REQUIRE(open_log_file(path).ok());
  log_info("first https://h/b/k?X-Amz-Signature=abcdef0123456789&x=1");
  log_debug("not at info");
  log_to_file_only(LogLevel::error, "also here");
  close_log_file();
  REQUIRE(open_log_file(path).ok());
  log_object(LogLevel::notice, "k", "second");
  close_log_file();
  set_log_options(saved);

  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CHECK(text.find("INFO  : first") != std::string::npos);
  CHECK(text.find("abcdef0123456789") == std::string::npos);
  CHECK(text.find("not at info") == std::string::npos);
  CHECK(text.find("ERROR : also here\n") != std::string::npos);
  CHECK(text.find("NOTICE: k: second\n") != std::string::npos);
  CHECK(text.find("first") < text.find("second"));
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::system(("rm -rf '" + std::string(dir) + "'").c_str());
}
