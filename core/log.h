// core/log.h — the process-wide logger: levels (-q, -v, -vv), plain or JSON lines on
// stderr, every message passed through redact_secrets first. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cpsync {

enum class LogLevel { error = 0, notice = 1, info = 2, debug = 3 };

struct LogOptions {
  LogLevel level = LogLevel::notice;  // -q: error, -v: info, -vv: debug
  bool json = false;                  // --json: one JSON object per line
};

void set_log_options(const LogOptions& o);
const LogOptions& log_options();
bool log_enabled(LogLevel l);
void log(LogLevel l, std::string_view message);

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
