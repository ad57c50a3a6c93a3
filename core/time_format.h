// core/time_format.h — the date forms the providers use, to and from TimePoint. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time_point.h"

namespace cpsync {

std::string format_iso8601_basic(TimePoint t);  // 20240517T123456Z (SigV4, OSS V4)
std::string format_date_basic(TimePoint t);     // 20240517
std::string format_iso8601(TimePoint t);        // 2024-05-17T12:34:56Z (SAS, ISO)
std::string format_rfc1123(TimePoint t);        // Fri, 17 May 2024 12:34:56 GMT
// Accepts 2024-05-17T12:34:56Z and fractional seconds (2024-05-17T12:34:56.1234567Z).
std::optional<TimePoint> parse_iso8601(std::string_view s);
std::optional<TimePoint> parse_rfc1123(std::string_view s);
// rclone's mtime metadata: fractional unix seconds, "1715949296.123456789".
std::string format_unix_seconds(TimePoint t);
std::optional<TimePoint> parse_unix_seconds(std::string_view s);

}  // namespace cpsync
