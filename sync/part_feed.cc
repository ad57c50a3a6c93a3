// sync/part_feed.cc — see part_feed.h.
#include "sync/part_feed.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace cpsync {
namespace {

struct FilledPart {
  uint32_t index = 0;
  Buffer buf;
  size_t len = 0;
};

// What a read's sink answers once another reader or a sender failed: the read stops.
Status stopped() {
  return Status{Errc::cancelled, "stopped after another part failed"};
}

}  // namespace

Status feed_parts(const PartFeedOptions& o, const ReadRun& read, const SendPart& send) {
  const uint64_t ps = o.part_size;
  if (o.size == 0 || ps == 0) return Status::OK();
  const uint32_t nparts = static_cast<uint32_t>((o.size + ps - 1) / ps);
  const uint32_t nreaders =
      std::clamp<uint32_t>(static_cast<uint32_t>(std::max(o.readers, 1)), 1, nparts);
  auto part_len = [&](uint32_t p) {
    return static_cast<size_t>(std::min<uint64_t>(ps, o.size - uint64_t{p} * ps));
  };

  std::mutex mu;
  std::condition_variable cv;
  std::deque<FilledPart> ready;
  int leased = 0;
  uint32_t readers_left = nreaders;
  Status first;
  auto fail = [&](Status st) {
    std::lock_guard lock(mu);
    if (first.ok()) first = std::move(st);
    cv.notify_all();
  };
  // A buffer of this object's share: waits for a free one, or nullopt after a failure.
  auto lease = [&]() -> std::optional<Buffer> {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return leased < std::max(o.buffers, 1) || !first.ok(); });
      if (!first.ok()) return std::nullopt;
      ++leased;
    }
    return o.pool->acquire(static_cast<size_t>(ps));
  };
  auto give_back = [&](Buffer& b) {
    if (!b.data()) return;
    b.release();
    std::lock_guard lock(mu);
    --leased;
    cv.notify_all();
  };

  auto reader = [&](uint32_t begin, uint32_t end) {
    uint32_t part = begin;
    Buffer buf;
    size_t filled = 0;
    const uint64_t offset = uint64_t{begin} * ps;
    const uint64_t len = std::min<uint64_t>(o.size, uint64_t{end} * ps) - offset;
    Status st = read(offset, len, [&](const char* d, size_t n) -> Status {
      while (n > 0) {
        if (part >= end) return Status{Errc::conflict, "read returned more bytes than its range"};
        if (!buf.data()) {
          auto b = lease();
          if (!b) return stopped();
          buf = std::move(*b);
          filled = 0;
        }
        const size_t k = std::min(part_len(part) - filled, n);
        std::memcpy(buf.data() + filled, d, k);
        filled += k;
        d += k;
        n -= k;
        if (filled == part_len(part)) {
          std::lock_guard lock(mu);
          ready.push_back(FilledPart{part, std::move(buf), filled});
          ++part;
          cv.notify_all();
        }
      }
      std::lock_guard lock(mu);
      return first.ok() ? Status::OK() : stopped();
    });
    give_back(buf);  // a part left unfilled by a failure
    if (st.ok() && part != end) st = Status{Errc::conflict, "read ended short of its range"};
    if (!st.ok()) fail(std::move(st));
    std::lock_guard lock(mu);
    --readers_left;
    cv.notify_all();
  };

  auto sender = [&] {
    for (;;) {
      FilledPart f;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return !ready.empty() || readers_left == 0 || !first.ok(); });
        if (!first.ok() || ready.empty()) return;
        f = std::move(ready.front());
        ready.pop_front();
      }
      Status st = send(f.index, uint64_t{f.index} * ps, f.buf.data(), f.len);
      give_back(f.buf);
      if (!st.ok()) return fail(std::move(st));
    }
  };

  std::vector<std::thread> threads;
  for (uint32_t r = 0; r < nreaders; ++r)
    threads.emplace_back(reader, static_cast<uint32_t>(uint64_t{nparts} * r / nreaders),
                         static_cast<uint32_t>(uint64_t{nparts} * (r + 1) / nreaders));
  const int nsenders = std::clamp(o.senders, 1, static_cast<int>(nparts));
  for (int s = 0; s < nsenders; ++s) threads.emplace_back(sender);
  for (auto& t : threads) t.join();
  ready.clear();  // parts left after a failure go back to the pool
  return first;
}

}  // namespace cpsync
