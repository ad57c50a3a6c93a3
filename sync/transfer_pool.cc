// sync/transfer_pool.cc — the adaptive transfer pool (see transfer_pool.h). Threads are
// started up to the cap at once and idle above the width: a thread costs a stack, and a
// width that moves needs no thread to start or end.
#include "sync/transfer_pool.h"

#include <algorithm>

#include "core/concurrency_limiter.h"

namespace cpsync {

uint64_t endpoint_throttles_seen() {
  uint64_t n = 0;
  for (const auto& [host, st] : endpoint_limiter_stats()) n += st.throttles;
  return n;
}

TransferPool::TransferPool(TransferPoolOptions o) : o_(std::move(o)) {
  const int start = std::max(1, o_.start);
  const int cap = std::max(start, o_.max);
  width_ = start;
  st_.width = st_.peak = start;
  seen_throttles_ = o_.throttles ? o_.throttles() : 0;
  for (int i = 0; i < cap; ++i) threads_.emplace_back([this] { worker(); });
}

TransferPool::~TransferPool() {
  finish();
}

void TransferPool::submit(std::function<void()> task, bool large) {
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return queue_.size() < std::max<size_t>(1, o_.queue_capacity); });
  queue_.push_back({std::move(task), large});
  wake_.notify_all();
}

void TransferPool::finish() {
  {
    std::lock_guard lock(mu_);
    if (closing_ && threads_.empty()) return;
    closing_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

TransferPoolStats TransferPool::stats() const {
  std::lock_guard lock(mu_);
  return st_;
}

bool TransferPool::take(Task& out) {
  if (running_ >= width_) return false;
  const int large_cap = std::max(1, o_.large);
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->large && running_large_ >= large_cap) continue;
    out = std::move(*it);
    queue_.erase(it);
    return true;
  }
  return false;
}

void TransferPool::worker() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return take(task) || (closing_ && queue_.empty()); });
      if (!task.run) return;  // closing and drained
      ++running_;
      if (task.large) ++running_large_;
      not_full_.notify_one();
    }
    task.run();
    finished(task.large);
  }
}

void TransferPool::finished(bool large) {
  const uint64_t throttles = o_.throttles ? o_.throttles() : 0;
  std::function<void(int, bool)> notify;
  int changed_to = 0;
  bool cut = false;
  {
    std::lock_guard lock(mu_);
    --running_;
    if (large) --running_large_;
    ++completed_;
    const int cap = std::max(width_, o_.max);
    if (throttles > seen_throttles_) {
      seen_throttles_ = throttles;
      if (completed_ >= next_cut_after_ && width_ > 1 && cap > o_.start) {
        width_ = std::max(1, width_ / 2);
        growth_ = 0;
        next_cut_after_ = completed_ + static_cast<uint64_t>(running_) + 1;
        ++st_.cuts;
        changed_to = width_;
        cut = true;
      }
    } else if (!queue_.empty() && running_ + 1 >= width_ && width_ < cap) {
      // Every slot was busy and work waits: the destination kept up with this width.
      growth_ += 1.0 / width_;
      if (growth_ >= 1.0) {
        growth_ = 0;
        ++width_;
        ++st_.grows;
        changed_to = width_;
      }
    }
    if (changed_to) {
      st_.width = width_;
      st_.peak = std::max(st_.peak, width_);
      if (cut) st_.lowest = st_.lowest ? std::min(st_.lowest, width_) : width_;
      notify = o_.on_change;
    }
  }
  wake_.notify_all();
  if (notify) notify(changed_to, cut);
}

}  // namespace cpsync
