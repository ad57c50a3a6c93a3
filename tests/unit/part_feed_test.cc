// tests/unit/part_feed_test.cc — sync/part_feed: each run is read once, every part is sent
// once with its own bytes, one reader hands parts over in order, the object's buffers never
// exceed its share, and a failed send stops the reads.
#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "sync/part_feed.h"

using namespace cpsync;

namespace {

std::string bytes(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>(i * 7 + i / 251);
  return s;
}

}  // namespace

TEST_CASE("feed_parts reads runs once and sends every part once", "[feed]") {
  const std::string data = bytes(10 * 1000 + 17);  // 11 parts of 1000, the last short
  for (int readers : {1, 3, 4}) {
    INFO("readers " << readers);
    BufferPool pool(64 * 1000, 1000);
    PartFeedOptions o;
    o.size = data.size();
    o.part_size = 1000;
    o.readers = readers;
    o.senders = 4;
    o.buffers = 3;
    o.pool = &pool;
    std::mutex mu;
    std::vector<std::pair<uint64_t, uint64_t>> reads;
    std::vector<uint32_t> order;
    std::string out(data.size(), '\0');
    Status st = feed_parts(
        o,
        [&](uint64_t off, uint64_t len, const std::function<Status(const char*, size_t)>& sink) {
          {
            std::lock_guard lock(mu);
            reads.emplace_back(off, len);
          }
          for (uint64_t at = off; at < off + len; at += 333) {  // odd slices across parts
            const size_t n = static_cast<size_t>(std::min<uint64_t>(333, off + len - at));
            Status s = sink(data.data() + at, n);
            if (!s.ok()) return s;
          }
          return Status::OK();
        },
        [&](uint32_t index, uint64_t off, char* d, size_t len) {
          std::lock_guard lock(mu);
          order.push_back(index);
          std::copy(d, d + len, out.begin() + static_cast<std::ptrdiff_t>(off));
          return Status::OK();
        });
    REQUIRE(st.ok());
    CHECK(out == data);
    CHECK(reads.size() == static_cast<size_t>(readers));
    CHECK(order.size() == 11);
    CHECK(pool.peak_in_use() <= 3 * 1000);
    if (readers == 1) {  // handed over in part order (senders may finish in any order)
      uint64_t next = 0;
      for (const auto& [off, len] : reads) {
        CHECK(off == next);
        next += len;
      }
      CHECK(next == data.size());
    }
  }
}

TEST_CASE("feed_parts stops at the first failed send", "[feed]") {
  const std::string data = bytes(50 * 100);
  BufferPool pool(10 * 100, 100);
  PartFeedOptions o;
  o.size = data.size();
  o.part_size = 100;
  o.readers = 1;
  o.senders = 2;
  o.buffers = 2;
  o.pool = &pool;
  std::atomic<int> sends{0};
  Status st = feed_parts(
      o,
      [&](uint64_t off, uint64_t len, const std::function<Status(const char*, size_t)>& sink) {
        for (uint64_t at = off; at < off + len; at += 100) {
          Status s = sink(data.data() + at, 100);
          if (!s.ok()) return s;
        }
        return Status::OK();
      },
      [&](uint32_t index, uint64_t, char*, size_t) {
        ++sends;
        return index == 5 ? Status{Errc::transient, "part 6 refused"} : Status::OK();
      });
  CHECK(st.code == Errc::transient);
  CHECK(st.message == "part 6 refused");
  CHECK(sends < 50);
}
