// sync/work_pool.cc — bounded task queue with worker threads.
#include "sync/work_pool.h"

namespace cpsync {

WorkPool::WorkPool(int threads, size_t queue_capacity)
    : capacity_(queue_capacity ? queue_capacity : 1) {
  for (int i = 0; i < (threads > 0 ? threads : 1); ++i) threads_.emplace_back([this] { run(); });
}

WorkPool::~WorkPool() {
  finish();
}

void WorkPool::submit(std::function<void()> task) {
  std::unique_lock lock(mu_);
  not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
  queue_.push_back(std::move(task));
  not_empty_.notify_one();
}

void WorkPool::finish() {
  {
    std::lock_guard lock(mu_);
    if (closing_ && threads_.empty()) return;
    closing_ = true;
  }
  not_empty_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void WorkPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || closing_; });
      if (queue_.empty()) return;  // closing and drained
      task = std::move(queue_.front());
      queue_.pop_front();
      not_full_.notify_one();
    }
    task();
  }
}

}  // namespace cpsync
