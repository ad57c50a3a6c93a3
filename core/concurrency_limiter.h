// core/concurrency_limiter.h — adaptive limit on the requests in flight to one endpoint
// (AIMD, as TCP's congestion window): a throttling answer (429, 503 SlowDown/ServerBusy)
// cuts the limit to half of what was in flight, at most once per round of requests (a
// round: the requests sent before the cut); each later success, while the limit is used
// in full, raises it by 1/limit (about +1 per round).
// core/http.cc keeps one limiter per host and wraps every request in a LimiterSlot.
// Thread-safe: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpsync {

struct LimiterOptions {
  int max_limit = 256;    // starting limit and ceiling (far above --transfers x streams)
  int min_limit = 1;      // the floor a cut never goes below
  double decrease = 0.5;  // multiplicative decrease on throttling
};

struct LimiterStats {
  uint64_t requests = 0;   // slots acquired
  uint64_t throttles = 0;  // throttling answers seen
  uint64_t cuts = 0;       // times the limit was cut (at most one per round)
  uint64_t waits = 0;      // acquires that had to wait for a slot
  double limit = 0;        // the current limit (fractional while it grows)
  int lowest_limit = 0;    // the lowest limit reached
  int in_flight = 0;
  int peak_in_flight = 0;
};

class ConcurrencyLimiter {
 public:
  explicit ConcurrencyLimiter(std::string name, LimiterOptions o = {});
  ConcurrencyLimiter(const ConcurrencyLimiter&) = delete;
  ConcurrencyLimiter& operator=(const ConcurrencyLimiter&) = delete;

  struct Ticket {
    uint64_t seq = 0;  // order of acquisition; tells which round a request belongs to
  };
  // Blocks while the requests in flight reach the limit.
  Ticket acquire();
  // Report the outcome of the request (before release): a throttling answer, or any
  // other answer from the server. Transport failures report neither.
  void on_throttled(const Ticket& t);
  void on_success(const Ticket& t);
  void release(const Ticket& t);

  int limit() const;  // the whole number of requests allowed in flight now
  LimiterStats stats() const;
  const std::string& name() const { return name_; }

 private:
  const std::string name_;
  const LimiterOptions o_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  double limit_;
  int in_flight_ = 0;
  int waiting_ = 0;
  int busy_peak_ = 0;      // most in flight since the limit last changed
  uint64_t next_seq_ = 0;  // last ticket issued
  uint64_t cut_seq_ = 0;   // tickets up to this were in flight at the last cut
  LimiterStats st_;
};

// Holds one slot of a limiter for its lifetime (one request).
class LimiterSlot {
 public:
  explicit LimiterSlot(ConcurrencyLimiter& l) : l_(l), t_(l.acquire()) {}
  ~LimiterSlot() { l_.release(t_); }
  LimiterSlot(const LimiterSlot&) = delete;
  LimiterSlot& operator=(const LimiterSlot&) = delete;
  void throttled() { l_.on_throttled(t_); }
  void succeeded() { l_.on_success(t_); }

 private:
  ConcurrencyLimiter& l_;
  ConcurrencyLimiter::Ticket t_;
};

// The process-wide limiter of one endpoint ("host:port"), created on first use.
ConcurrencyLimiter& endpoint_limiter(std::string_view host);
// Every endpoint's stats, sorted by host (for -v summaries and tests).
std::vector<std::pair<std::string, LimiterStats>> endpoint_limiter_stats();

}  // namespace cpsync
