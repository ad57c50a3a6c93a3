// core/log.cc — redacted, serialised log lines on stderr or in the --log-file.
#include "core/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/redact.h"

namespace cpsync {
namespace {

LogOptions g_options;
std::mutex g_mu;
int g_file = -1;  // the --log-file descriptor, or -1: stderr

// rclone's JSON level names.
const char* json_level(LogLevel l) {
  switch (l) {
    case LogLevel::error:
      return "error";
    case LogLevel::notice:
      return "notice";
    case LogLevel::info:
      return "info";
    case LogLevel::debug:
      return "debug";
  }
  return "info";
}

// rclone pads the level to six characters: "INFO  : ", "NOTICE: ".
const char* text_level(LogLevel l) {
  switch (l) {
    case LogLevel::error:
      return "ERROR ";
    case LogLevel::notice:
      return "NOTICE";
    case LogLevel::info:
      return "INFO  ";
    case LogLevel::debug:
      return "DEBUG ";
  }
  return "INFO  ";
}

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a full disk loses the line; logging must not stop the run
    done += static_cast<size_t>(n);
  }
}

void emit(const std::string& line, bool file_only) {
  std::lock_guard lock(g_mu);
  if (g_file >= 0) {
    write_all(g_file, line);
  } else if (!file_only) {
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
}

void log_line(LogLevel l, std::string_view message, std::string_view object,
              std::string_view extra_json, bool file_only) {
  if (!log_enabled(l)) return;
  if (file_only && !logging_to_file()) return;
  std::string text = redact_secrets(message);
  std::string obj = redact_secrets(object);
  emit(format_log_line(l, text, obj, extra_json, g_options.json, std::chrono::system_clock::now()) +
           "\n",
       file_only);
}

}  // namespace

void set_log_options(const LogOptions& o) {
  g_options = o;
}
const LogOptions& log_options() {
  return g_options;
}
bool log_enabled(LogLevel l) {
  return static_cast<int>(l) <= static_cast<int>(g_options.level);
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  std::string n;
  for (char c : name) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (LogLevel l : {LogLevel::error, LogLevel::notice, LogLevel::info, LogLevel::debug}) {
    if (n == log_level_name(l)) return l;
  }
  return std::nullopt;
}

const char* log_level_name(LogLevel l) {
  switch (l) {
    case LogLevel::error:
      return "ERROR";
    case LogLevel::notice:
      return "NOTICE";
    case LogLevel::info:
      return "INFO";
    case LogLevel::debug:
      return "DEBUG";
  }
  return "INFO";
}

Status open_log_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status{Errc::invalid_argument,
                  "--log-file " + path + ": cannot open for appending: " + std::strerror(errno)};
  }
  std::lock_guard lock(g_mu);
  if (g_file >= 0) ::close(g_file);
  g_file = fd;
  return Status::OK();
}

void close_log_file() {
  std::lock_guard lock(g_mu);
  if (g_file >= 0) ::close(g_file);
  g_file = -1;
}

bool logging_to_file() {
  std::lock_guard lock(g_mu);
  return g_file >= 0;
}

std::string format_log_line(LogLevel l, std::string_view message, std::string_view object,
                            std::string_view extra_json, bool json,
                            std::chrono::system_clock::time_point now) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  char stamp[48];
  if (json) {
    std::tm utc{};
    ::gmtime_r(&secs, &utc);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch() %
                                                                        std::chrono::seconds(1))
                      .count();
    char base[32];
    std::strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(stamp, sizeof stamp, "%s.%06lldZ", base, static_cast<long long>(micros));
    nlohmann::json j = nlohmann::json::object();
    if (!extra_json.empty()) {
      auto extra = nlohmann::json::parse(extra_json, nullptr, false);
      if (extra.is_object()) j = std::move(extra);
    }
    j["time"] = stamp;
    j["level"] = json_level(l);
    j["msg"] = message;
    if (!object.empty()) j["object"] = object;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::tm local{};
  ::localtime_r(&secs, &local);
  std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &local);
  std::string line = std::string(stamp) + " " + text_level(l) + ": ";
  if (!object.empty()) line.append(object).append(": ");
  line.append(message);
  return line;
}

void log(LogLevel l, std::string_view message) {
  log_line(l, message, {}, {}, false);
}

void log_object(LogLevel l, std::string_view object, std::string_view message) {
  log_line(l, message, object, {}, false);
}

void log_with_fields(LogLevel l, std::string_view message, std::string_view extra_json) {
  log_line(l, message, {}, extra_json, false);
}

void log_to_file_only(LogLevel l, std::string_view message) {
  log_line(l, message, {}, {}, true);
}

}  // namespace cpsync
