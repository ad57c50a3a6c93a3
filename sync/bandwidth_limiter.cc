// sync/bandwidth_limiter.cc — token bucket for --bwlimit and its value syntax.
#include "sync/bandwidth_limiter.h"

#include <algorithm>
#include <string>
#include <thread>

#include "core/units.h"

namespace cpsync {

BandwidthLimiter::BandwidthLimiter(uint64_t rate)
    : rate_(rate),
      burst_(std::max(1.0, static_cast<double>(rate) / 10)),
      tokens_(burst_),
      last_(std::chrono::steady_clock::now()) {}

std::chrono::steady_clock::time_point BandwidthLimiter::reserve(uint64_t n) {
  const auto now = std::chrono::steady_clock::now();
  if (rate_ == 0 || n == 0) return now;
  std::lock_guard lock(mu_);
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  last_ = now;
  tokens_ = std::min(burst_, tokens_ + elapsed * static_cast<double>(rate_));
  tokens_ -= static_cast<double>(n);
  // Whoever drives the bucket into debt waits until the debt is repaid; later callers
  // see the larger debt and wait longer, so the average holds across threads.
  if (tokens_ >= 0) return now;
  return now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(-tokens_ / static_cast<double>(rate_)));
}

void BandwidthLimiter::wait_until(std::chrono::steady_clock::time_point t) {
  if (t > std::chrono::steady_clock::now()) std::this_thread::sleep_until(t);
}

namespace {

Result<uint64_t> parse_one(std::string_view s, std::string_view whole) {
  if (s == "off" || s == "0") return uint64_t{0};
  auto r = parse_size(s);
  if (!r.ok())
    return Status{Errc::invalid_argument, "--bwlimit: bad rate \"" + std::string(whole) +
                                              "\": want e.g. 10M, 512k, 100000b, UP:DOWN or off"};
  return *r;
}

}  // namespace

Result<BandwidthLimits> parse_bwlimit(std::string_view s) {
  BandwidthLimits l;
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) {
    CPSYNC_ASSIGN_OR_RETURN(l.up, parse_one(s, s));
    l.down = l.up;
    return l;
  }
  CPSYNC_ASSIGN_OR_RETURN(l.up, parse_one(s.substr(0, colon), s));
  CPSYNC_ASSIGN_OR_RETURN(l.down, parse_one(s.substr(colon + 1), s));
  return l;
}

}  // namespace cpsync
