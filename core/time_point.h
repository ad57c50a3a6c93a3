// core/time_point.h — the one time type of cpsync: a system-clock instant in nanoseconds
// (object mtimes, provider dates, credential expiries). A value type; safe from any thread.
#pragma once

#include <chrono>

namespace cpsync {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::nanoseconds>;

}  // namespace cpsync
