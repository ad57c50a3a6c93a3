// core/concurrency_limiter.cc — AIMD in-flight limit per endpoint (see the header).
#include "core/concurrency_limiter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

#include "core/log.h"

namespace cpsync {

ConcurrencyLimiter::ConcurrencyLimiter(std::string name, LimiterOptions o)
    : name_(std::move(name)), o_(o), limit_(std::max(o.max_limit, o.min_limit)) {
  st_.lowest_limit = static_cast<int>(limit_);
}

ConcurrencyLimiter::Ticket ConcurrencyLimiter::acquire() {
  std::unique_lock lock(mu_);
  if (in_flight_ >= static_cast<int>(limit_)) {
    ++st_.waits;
    ++waiting_;
    cv_.wait(lock, [&] { return in_flight_ < static_cast<int>(limit_); });
    --waiting_;
  }
  ++in_flight_;
  ++st_.requests;
  st_.peak_in_flight = std::max(st_.peak_in_flight, in_flight_);
  busy_peak_ = std::max(busy_peak_, in_flight_);
  return Ticket{++next_seq_};
}

void ConcurrencyLimiter::on_throttled(const Ticket& t) {
  int before = 0, after = 0;
  uint64_t throttles = 0;
  {
    std::lock_guard lock(mu_);
    throttles = ++st_.throttles;
    // A request sent before the last cut saw the old load: that round is already paid for.
    if (t.seq <= cut_seq_) return;
    before = static_cast<int>(limit_);
    const double base = std::min(limit_, static_cast<double>(in_flight_));
    limit_ = std::max<double>(o_.min_limit, std::floor(base * o_.decrease));
    after = static_cast<int>(limit_);
    cut_seq_ = next_seq_;
    busy_peak_ = 0;
    ++st_.cuts;
    st_.lowest_limit = std::min(st_.lowest_limit, after);
  }
  log_info(name_ + ": throttled (" + std::to_string(throttles) +
           " so far): requests in flight limited to " + std::to_string(after) + " (was " +
           std::to_string(before) + ")");
}

void ConcurrencyLimiter::on_success(const Ticket& t) {
  bool grew = false;
  {
    std::lock_guard lock(mu_);
    // Requests sent before the last cut belong to the old round; and grow only while the
    // limit is used in full: demand below it proves nothing about more.
    if (limit_ >= o_.max_limit || t.seq <= cut_seq_) return;
    if (busy_peak_ < static_cast<int>(limit_) && waiting_ == 0) return;
    const int before = static_cast<int>(limit_);
    limit_ = std::min<double>(o_.max_limit, limit_ + 1.0 / limit_);
    grew = static_cast<int>(limit_) > before;
    if (grew) busy_peak_ = in_flight_;  // the new limit must be used in full to grow on
  }
  if (grew) cv_.notify_one();
}

void ConcurrencyLimiter::release(const Ticket& t) {
  (void)t;
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  cv_.notify_one();
}

int ConcurrencyLimiter::limit() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(limit_);
}

LimiterStats ConcurrencyLimiter::stats() const {
  std::lock_guard lock(mu_);
  LimiterStats s = st_;
  s.limit = limit_;
  s.in_flight = in_flight_;
  return s;
}

namespace {
struct Registry {
  std::mutex mu;
  std::map<std::string, std::unique_ptr<ConcurrencyLimiter>, std::less<>> by_host;
};
Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace

ConcurrencyLimiter& endpoint_limiter(std::string_view host) {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  auto it = r.by_host.find(host);
  if (it == r.by_host.end())
    it = r.by_host
             .emplace(std::string(host), std::make_unique<ConcurrencyLimiter>(std::string(host)))
             .first;
  return *it->second;
}

std::vector<std::pair<std::string, LimiterStats>> endpoint_limiter_stats() {
  Registry& r = registry();
  std::lock_guard lock(r.mu);
  std::vector<std::pair<std::string, LimiterStats>> out;
  for (const auto& [host, l] : r.by_host) out.emplace_back(host, l->stats());
  return out;
}

}  // namespace cpsync
