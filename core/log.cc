// core/log.cc — redacted, serialised log lines on stderr.
#include "core/log.h"

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/redact.h"
#include "core/time_format.h"

namespace cpsync {
namespace {
LogOptions g_options;
std::mutex g_mu;
const char* level_name(LogLevel l) {
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

void log(LogLevel l, std::string_view message) {
  if (!log_enabled(l)) return;
  std::string text = redact_secrets(message);
  std::string line;
  if (g_options.json) {
    nlohmann::json j;
    j["time"] = format_iso8601(std::chrono::system_clock::now());
    j["level"] = level_name(l);
    j["msg"] = text;
    line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } else {
    line = std::string(l == LogLevel::error    ? "ERROR: "
                       : l == LogLevel::notice ? "NOTICE: "
                                               : "") +
           text + "\n";
  }
  std::lock_guard lock(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace cpsync
