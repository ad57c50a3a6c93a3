// core/buffer_pool.h — the one bounded pool of transfer buffers for a run. acquire() blocks
// until the bytes fit under the budget, so memory stays at the budget whatever the object
// sizes. Buffers of the pool's block size are recycled (no per-part allocation).
// Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

namespace cpsync {

class BufferPool;

// A leased buffer; returns itself to the pool when destroyed. Movable, not copyable.
class Buffer {
 public:
  Buffer() = default;
  Buffer(Buffer&& o) noexcept { *this = std::move(o); }
  Buffer& operator=(Buffer&& o) noexcept;
  ~Buffer() { release(); }
  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t capacity() const { return capacity_; }
  void release();

 private:
  friend class BufferPool;
  BufferPool* pool_ = nullptr;
  char* data_ = nullptr;
  size_t capacity_ = 0;
};

class BufferPool {
 public:
  // budget: total bytes leased at once; block: the recycled buffer size (e.g. chunk size).
  BufferPool(size_t budget, size_t block);
  ~BufferPool();
  BufferPool(const BufferPool&) = delete;
  BufferPool& operator=(const BufferPool&) = delete;

  // Leases at least `size` bytes. Blocks while the budget is exhausted; a lease larger
  // than the budget waits for an idle pool.
  Buffer acquire(size_t size);
  size_t budget() const { return budget_; }
  size_t block() const { return block_; }
  size_t peak_in_use() const;

 private:
  friend class Buffer;
  void give_back(char* data, size_t capacity);

  const size_t budget_;
  const size_t block_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  size_t in_use_ = 0;
  size_t peak_ = 0;
  std::vector<char*> free_blocks_;
};

}  // namespace cpsync
