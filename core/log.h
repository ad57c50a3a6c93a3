// core/log.h — the process-wide logger: levels (-q, -v, -vv, --log-level), rclone's line
// format ("2026/12/07 13:00:00 INFO  : msg") or JSON lines (time, level, msg, object), on
// stderr or appended to one log file (--log-file). Every message passes through
// redact_secrets first. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cpsync {

enum class LogLevel { error = 0, notice = 1, info = 2, debug = 3 };

struct LogOptions {
  LogLevel level = LogLevel::notice;  // -q: error, -v: info, -vv: debug
  bool json = false;                  // --json / --use-json-log: one JSON object per line
};

void set_log_options(const LogOptions& o);
const LogOptions& log_options();
bool log_enabled(LogLevel l);

// rclone's level names: "DEBUG", "INFO", "NOTICE", "ERROR" (any letter case in).
std::optional<LogLevel> parse_log_level(std::string_view name);
const char* log_level_name(LogLevel l);  // upper case, as --log-level takes them

// From now on log lines are appended to path instead of stderr: the file is opened once
// (O_APPEND, created with mode 0600) and kept open until exit or close_log_file().
// Errc::invalid_argument naming the path and the reason when it cannot be opened.
Status open_log_file(const std::string& path);
void close_log_file();
bool logging_to_file();

// One line (text or JSON per log_options()), without the trailing newline. object names
// what the line is about (a key) when there is one: the JSON "object" field; the text form
// prints "object: message". extra_json, when not empty, is a JSON object whose members are
// added to a JSON line (the stats of a --stats line).
std::string format_log_line(LogLevel l, std::string_view message, std::string_view object,
                            std::string_view extra_json, bool json,
                            std::chrono::system_clock::time_point now);

void log(LogLevel l, std::string_view message);
void log_object(LogLevel l, std::string_view object, std::string_view message);
void log_with_fields(LogLevel l, std::string_view message, std::string_view extra_json);
// Writes the line to the log file only, when one is open and l is enabled: for the lines
// the CLI prints on stderr itself ("cpsync: error: ..."), so the log file has them too.
void log_to_file_only(LogLevel l, std::string_view message);

inline void log_error(std::string_view m) {
  log(LogLevel::error, m);
}
inline void log_notice(std::string_view m) {
  log(LogLevel::notice, m);
}
inline void log_info(std::string_view m) {
  log(LogLevel::info, m);
}
inline void log_debug(std::string_view m) {
  log(LogLevel::debug, m);
}

}  // namespace cpsync
