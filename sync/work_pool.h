// sync/work_pool.h — a fixed set of worker threads fed by a bounded queue. submit() blocks
// while the queue is full, so a fast producer (the listing merge) cannot run ahead by more
// than the queue's capacity. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cpsync {

class WorkPool {
 public:
  WorkPool(int threads, size_t queue_capacity);
  ~WorkPool();  // finish() if not yet
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  void submit(std::function<void()> task);
  // Waits until every submitted task has run, then stops the workers.
  void finish();

 private:
  void run();

  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::function<void()>> queue_;
  const size_t capacity_;
  bool closing_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cpsync
