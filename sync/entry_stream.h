// sync/entry_stream.h — a pull-style stream of listing entries with keys RELATIVE to a sync
// root, in strictly increasing byte order. RemoteListing runs Remote::list on its own
// thread and stays at most a few pages ahead, so a listing of any size holds a bounded
// amount of memory. A stream is used by one thread; its producer thread is internal.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "remotes/remote.h"
#include "sync/shard.h"

namespace cpsync {

class EntryStream {
 public:
  virtual ~EntryStream() = default;
  // The next entry, or nullptr at the end or after an error (then status() says which).
  // The pointer stays valid until the next call.
  virtual const ObjectInfo* next() = 0;
  virtual Status status() const = 0;
};

// Lists `prefix` of bucket on remote; yields keys with the prefix removed. Directory
// markers (keys ending in "/" with size 0) are skipped. With missing_is_empty, a missing
// bucket lists as empty and missing() turns true. `under` (relative to prefix) narrows the
// listing request to prefix + under; keys are still yielded relative to prefix. A bounded
// `range` (relative keys, --shard) lists only that range: it starts after the key before
// range.lo, narrows the prefix to what the range's keys share, and sends no request after
// the page that reaches range.hi. list_parallel > 1 lists the range with that many requests
// at once where the remote has buckets (sync/parallel_listing.h); the stream is the same.
class RemoteListing : public EntryStream {
 public:
  RemoteListing(Remote& remote, std::string bucket, std::string prefix, size_t max_pages = 4,
                bool missing_is_empty = false, std::string under = "", KeyRange range = {},
                int list_parallel = 1);
  ~RemoteListing() override;
  const ObjectInfo* next() override;
  Status status() const override;
  uint64_t count() const { return count_; }
  // Blocks until the first page arrived or the listing ended; returns true.
  bool wait_first();
  bool missing() const;

 private:
  void produce();

  Remote& remote_;
  const std::string bucket_, prefix_, under_;
  const KeyRange range_;
  const size_t max_pages_;
  const int list_parallel_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<ObjectInfo>> pages_;
  const bool missing_is_empty_;
  bool done_ = false, cancelled_ = false, missing_ = false;
  Status status_;
  std::vector<ObjectInfo> current_;
  size_t pos_ = 0;
  uint64_t count_ = 0;
  std::thread thread_;
};

// Stats each of `keys` (relative to prefix, sorted by bytes, unique) instead of listing:
// up to `parallel` stats in flight on internal threads, at most a bounded window ahead of
// the reader. Yields the keys that exist, in order, with their metadata; an absent key (or
// a directory) is skipped; any other error ends the stream. `keys` must outlive the stream.
class StatStream : public EntryStream {
 public:
  StatStream(Remote& remote, std::string bucket, std::string prefix,
             const std::vector<std::string>& keys, int parallel);
  ~StatStream() override;
  const ObjectInfo* next() override;
  Status status() const override;

 private:
  void work();

  Remote& remote_;
  const std::string bucket_, prefix_;
  const std::vector<std::string>& keys_;
  const size_t window_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::optional<Result<ObjectInfo>>> results_;  // results_[i] is key pos_ + i
  size_t pos_ = 0, claimed_ = 0;
  bool cancelled_ = false;
  Status status_;
  ObjectInfo current_;
  std::vector<std::thread> threads_;
};

// A fixed, already sorted list (tests, --files-from after stat).
class VectorStream : public EntryStream {
 public:
  explicit VectorStream(std::vector<ObjectInfo> v) : v_(std::move(v)) {}
  const ObjectInfo* next() override { return pos_ < v_.size() ? &v_[pos_++] : nullptr; }
  Status status() const override { return Status::OK(); }

 private:
  std::vector<ObjectInfo> v_;
  size_t pos_ = 0;
};

}  // namespace cpsync
