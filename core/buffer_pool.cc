// core/buffer_pool.cc — byte-budgeted buffer leasing with recycled blocks.
#include "core/buffer_pool.h"

#include <algorithm>
#include <cstdlib>

namespace cpsync {

Buffer& Buffer::operator=(Buffer&& o) noexcept {
  if (this != &o) {
    release();
    pool_ = o.pool_;
    data_ = o.data_;
    capacity_ = o.capacity_;
    o.pool_ = nullptr;
    o.data_ = nullptr;
    o.capacity_ = 0;
  }
  return *this;
}

void Buffer::release() {
  if (pool_) pool_->give_back(data_, capacity_);
  pool_ = nullptr;
  data_ = nullptr;
  capacity_ = 0;
}

BufferPool::BufferPool(size_t budget, size_t block)
    : budget_(std::max(budget, block)), block_(block) {}

BufferPool::~BufferPool() {
  for (char* p : free_blocks_) std::free(p);
}

Buffer BufferPool::acquire(size_t size) {
  // Sizes between a quarter block and a block use a recycled block; tiny ones are exact.
  size_t cap = size <= block_ && size > block_ / 4 ? block_ : std::max<size_t>(size, 1);
  // Never less than asked. A lease above the whole budget waits until the pool is idle
  // and then runs alone, so memory stays at max(budget, the largest single lease).
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return in_use_ + cap <= budget_ || in_use_ == 0; });
  in_use_ += cap;
  peak_ = std::max(peak_, in_use_);
  char* data = nullptr;
  if (cap == block_ && !free_blocks_.empty()) {
    data = free_blocks_.back();
    free_blocks_.pop_back();
  }
  lock.unlock();
  if (!data) data = static_cast<char*>(std::malloc(cap));
  Buffer b;
  b.pool_ = this;
  b.data_ = data;
  b.capacity_ = cap;
  return b;
}

void BufferPool::give_back(char* data, size_t capacity) {
  {
    std::lock_guard lock(mu_);
    in_use_ -= capacity;
    if (capacity == block_) {
      free_blocks_.push_back(data);
      data = nullptr;
    }
  }
  std::free(data);
  cv_.notify_all();
}

size_t BufferPool::peak_in_use() const {
  std::lock_guard lock(mu_);
  return peak_;
}

}  // namespace cpsync
