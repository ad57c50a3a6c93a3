// sync/bandwidth_limiter.h — --bwlimit: token buckets that cap the bytes per second a whole
// run sends and receives (one bucket each way, shared by every transfer and stream).
// Thread-safe: any number of threads may call take() on one limiter at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "core/status.h"

namespace cpsync {

class BandwidthLimiter {
 public:
  // rate: bytes per second; 0 = unlimited (take() returns at once).
  explicit BandwidthLimiter(uint64_t rate);
  // Accounts n bytes, sleeping as long as needed to keep the average at the rate. A burst
  // of up to a tenth of a second's worth passes without waiting.
  void take(uint64_t n) { wait_until(reserve(n)); }
  // Accounts n bytes now and returns when they may be moved: reserve before reading a
  // part, wait_until before sending it, so the two directions overlap.
  std::chrono::steady_clock::time_point reserve(uint64_t n);
  static void wait_until(std::chrono::steady_clock::time_point t);
  uint64_t rate() const { return rate_; }

 private:
  const uint64_t rate_;
  const double burst_;
  std::mutex mu_;
  double tokens_;  // may go negative: a debt the next callers wait for
  std::chrono::steady_clock::time_point last_;
};

// Both directions of --bwlimit.
struct BandwidthLimits {
  uint64_t up = 0, down = 0;  // bytes per second; 0 = unlimited
};

// rclone's --bwlimit value: "10M" (each way), "UP:DOWN" ("10M:off"), "off" or "0"; sizes
// take rclone's suffixes b, k, M, G, T (binary), a bare number is KiB as in rclone.
Result<BandwidthLimits> parse_bwlimit(std::string_view s);

}  // namespace cpsync
