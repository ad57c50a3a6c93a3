// core/units.h — the one size grammar and the one duration grammar (rclone's), used by every
// flag and config key that takes a size or a duration, and the absolute dates the age
// filters also accept. Errors are Errc::invalid_argument with one line naming the text.
// Pure functions; safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"

namespace cpsync {

// Sizes: a decimal number ("16", "1.5", ".5") and an optional binary unit, any letter case:
//   b = bytes; k, Ki, KiB = 1024; M, Mi, MiB = 1024^2; G..., T..., P..., E... (x1024 each).
// A bare number is KiB, as in rclone ("1024" is 1 MiB, "16777216b" is 16 MiB). Fractions are
// exact and round down to a whole byte. Surrounding spaces are ignored; "1 M", "1MB", "-1",
// "16E" (2^64) are errors: `bad size "1MB" (use ...)`.
Result<uint64_t> parse_size(std::string_view text);

// The hint every size error ends with, for callers that word their own message.
inline constexpr const char* kSizeHint =
    "use a number with b, k, M, G, T, P or E, e.g. 512k, 16Mi, 1.5G; a bare number is KiB";

// Durations: a bare number is seconds ("90", "1.5"); otherwise one or more <number><unit>
// terms, largest first or not ("1h30m", "1d2h", "1.5w"): ns, us (or µs), ms, s, m (minutes),
// h, d (24h), w (7d), M (30d), y (365d). "0" is zero. Negative values, a number without a
// unit after a term ("1h30"), unknown units and values past ~292 years are errors:
// `bad duration "1x" (use ...)`.
Result<std::chrono::nanoseconds> parse_duration(std::string_view text);

inline constexpr const char* kDurationHint =
    "use e.g. 90s, 30m, 1h30m, 7d; units ns us ms s m h d w M y; a bare number is seconds";

// An absolute time: "2006-01-02", "2006-01-02T15:04:05" or "2006-01-02 15:04:05", with an
// optional fraction of a second (".123456789") and zone ("Z", "+07:00", "-01:30"); UTC when
// no zone is given. nullopt when the text is not one of these or not a valid date.
std::optional<std::chrono::sys_time<std::chrono::nanoseconds>> parse_date_time(
    std::string_view text);

}  // namespace cpsync
