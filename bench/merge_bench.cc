// bench/merge_bench.cc — planner alone (benchmark case 6): merges two synthetic sorted
// listings of N keys each (default 10 million) through merge_sorted and compare_objects,
// as a sync run's main thread does, and reports keys per second and peak RSS.
// Usage: cpsync_merge_bench [keys]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sync/compare.h"
#include "sync/merge.h"

using namespace cpsync;

namespace {

// Generates keys "p/<i>/obj-<i>" in byte order without holding them: zero-padded numbers
// keep lexical order equal to numeric order. `skip_every` drops some keys so that the two
// sides differ.
class SyntheticStream : public EntryStream {
 public:
  SyntheticStream(uint64_t n, uint64_t skip_every) : n_(n), skip_every_(skip_every) {}
  const ObjectInfo* next() override {
    while (i_ < n_) {
      uint64_t i = i_++;
      if (skip_every_ && i % skip_every_ == 0) continue;
      // "data/NNNN/object-NNNNNNNNNN.bin", digits written in place (no printf per key).
      if (cur_.key.empty()) cur_.key = "data/0000/object-0000000000.bin";
      put_digits(&cur_.key[5], 4, i / 10000);
      put_digits(&cur_.key[17], 10, i);
      cur_.size = 1000 + i % 5000;
      cur_.mtime = TimePoint(std::chrono::seconds(1700000000 + i % 1000));
      cur_.mtime_from_metadata = true;
      return &cur_;
    }
    return nullptr;
  }
  Status status() const override { return Status::OK(); }

 private:
  static void put_digits(char* at, int width, uint64_t v) {
    for (int k = width - 1; k >= 0; --k, v /= 10) at[k] = static_cast<char>('0' + v % 10);
  }
  uint64_t n_, skip_every_, i_ = 0;
  ObjectInfo cur_;
};

struct CountingPlanner : MergeVisitor {
  CompareOptions opts;
  uint64_t src_only_n = 0, dst_only_n = 0, same = 0, differ = 0;
  Status src_only(const ObjectInfo&) override {
    ++src_only_n;
    return Status::OK();
  }
  Status dst_only(const ObjectInfo&) override {
    ++dst_only_n;
    return Status::OK();
  }
  Status both(const ObjectInfo& s, const ObjectInfo& d) override {
    (compare_objects(s, d, opts) == Verdict::same ? same : differ)++;
    return Status::OK();
  }
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10000000;
  SyntheticStream src(n, 1000), dst(n, 997);
  CountingPlanner p;
  auto t0 = std::chrono::steady_clock::now();
  Status st = merge_sorted(src, dst, p);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  if (!st.ok()) {
    std::fprintf(stderr, "merge failed: %s\n", st.to_string().c_str());
    return 1;
  }
  std::printf(
      "{\"keys_per_side\": %llu, \"seconds\": %.3f, \"keys_per_second\": %.0f, "
      "\"peak_rss_mib\": %.1f, \"same\": %llu, \"src_only\": %llu, \"dst_only\": %llu}\n",
      static_cast<unsigned long long>(n), secs, static_cast<double>(n) / secs,
      static_cast<double>(ru.ru_maxrss) / 1024.0, static_cast<unsigned long long>(p.same),
      static_cast<unsigned long long>(p.src_only_n), static_cast<unsigned long long>(p.dst_only_n));
  return 0;
}
