// sync/shard.h — static shards: one of N key ranges of a job, so N processes (Kubernetes
// Indexed Jobs, AWS Batch array jobs, Slurm arrays) each do their own part and together do
// exactly one unsharded run. A range is [lo, hi) over keys RELATIVE to the sync roots, in
// UTF-8 byte order (the order every remote lists in). Boundaries come from a shards file
// (`cpsync plan-shards`) or from the fixed rule below. Pure values and functions; the
// sampler is used by one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace cpsync {

// Keys k with lo <= k < hi; an empty lo is the start of the key space, an empty hi its end.
struct KeyRange {
  std::string lo, hi;

  bool bounded() const { return !lo.empty() || !hi.empty(); }
  bool contains(const std::string& k) const { return k >= lo && (hi.empty() || k < hi); }
  bool past_end(const std::string& k) const { return !hi.empty() && k >= hi; }
  // A valid UTF-8 key just below lo for a start-after (exclusive) listing: every key >= lo
  // is still listed, and few before it ("" for an open start).
  std::string start_after() const;
  // The prefix every key of the range shares ("" when unbounded above).
  std::string common_prefix() const;
  // "[lo, hi)" with bytes outside printable ASCII as \xNN, for messages and state ids.
  std::string describe() const;
};

// Shard index and count: "K/N", "auto/N" or "auto" (0 <= K < N).
struct ShardSpec {
  int index = 0, count = 1;
};

// Parses --shard. "auto" takes K (and N where the engine gives it) from the environment,
// read through getenv: JOB_COMPLETION_INDEX (Kubernetes Indexed Job), AWS_BATCH_JOB_ARRAY_INDEX
// (AWS Batch; N from the spec), SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (Slurm; a
// SLURM_ARRAY_TASK_MIN is subtracted). count_hint: N from a shards file (0: none). Errors
// are Errc::invalid_argument with one line naming the flag.
Result<ShardSpec> parse_shard_spec(const std::string& text, int count_hint,
                                   const std::function<const char*(const char*)>& getenv);

// The fixed rule without a shards file: the first two bytes of a key, each clamped into
// printable ASCII (0x20..0x7e; a lower byte counts as 0x20, a higher one, i.e. any non-ASCII
// UTF-8 lead byte, as 0x7e), read as a number in base 95; the 95*95 cells are cut into N
// equal runs. Shard 0 also takes every key below "  " and shard N-1 every key from "~~" on.
KeyRange fixed_shard_range(const ShardSpec& s);

// Shard K of a plan: boundaries b_1 < ... < b_{N-1} (first keys of shards 1..N-1).
KeyRange planned_shard_range(const ShardSpec& s, const std::vector<std::string>& boundaries);

// A shards file (see docs/usage.md, "Sharding"): JSON written by plan-shards.
struct ShardPlan {
  std::vector<std::string> boundaries;   // N-1 keys, strictly increasing
  std::vector<uint64_t> objects, bytes;  // per shard, as planned (informational)
  std::string source;                    // the planned source, as given
  int count() const { return static_cast<int>(boundaries.size()) + 1; }
};
Result<ShardPlan> read_shard_plan(const std::string& path);
// The file's text; Errc::invalid_argument when a key is not valid UTF-8 (JSON cannot hold it).
Result<std::string> shard_plan_json(const ShardPlan& plan);

// Bounded-memory balancing over one sorted listing: keeps every s-th key (s doubles when
// the sample fills), so boundaries are off by fewer than s keys from an exact split.
class ShardPlanner {
 public:
  explicit ShardPlanner(int count, size_t max_samples = 1 << 16);
  void add(const std::string& key, uint64_t size);
  ShardPlan finish(std::string source) const;
  uint64_t total_objects() const { return n_; }

 private:
  struct Sample {
    std::string key;
    uint64_t before_n, before_bytes;  // objects and bytes before this key
  };
  int count_;
  size_t max_;
  uint64_t stride_ = 1, n_ = 0, bytes_ = 0;
  std::vector<Sample> samples_;
};

}  // namespace cpsync
