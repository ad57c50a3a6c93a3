// sync/shard.cc — shard specs from flags and environment, fixed and planned key ranges,
// the shards file and the bounded-memory planner (see shard.h).
#include "sync/shard.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cpsync {
namespace {

constexpr int kMaxShards = 100000;
constexpr int kCellBase = 95;  // printable ASCII, 0x20..0x7e
constexpr int kCells = kCellBase * kCellBase;

Status usage(const std::string& msg) {
  return Status{Errc::invalid_argument, msg};
}

std::optional<int> to_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// The two-character key that starts cell x of the fixed rule.
std::string cell_key(int x) {
  return {static_cast<char>(0x20 + x / kCellBase), static_cast<char>(0x20 + x % kCellBase)};
}

}  // namespace

std::string KeyRange::start_after() const {
  if (lo.empty()) return "";
  // Listing APIs take only valid UTF-8 (OSS rejects other bytes), so step back one code
  // point, not one byte: lo's last character lowered by one, then U+10FFFF. Keys between
  // that and lo (rare) are listed and dropped by contains(); none at or after lo is skipped.
  size_t start = lo.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(lo[start]) & 0xc0) == 0x80) --start;
  const auto* b = reinterpret_cast<const unsigned char*>(lo.data() + start);
  const size_t len = lo.size() - start;
  uint32_t cp = 0;
  if (len == 1 && b[0] < 0x80)
    cp = b[0];
  else if (len == 2 && (b[0] & 0xe0) == 0xc0)
    cp = (b[0] & 0x1fu) << 6 | (b[1] & 0x3fu);
  else if (len == 3 && (b[0] & 0xf0) == 0xe0)
    cp = (b[0] & 0x0fu) << 12 | (b[1] & 0x3fu) << 6 | (b[2] & 0x3fu);
  else if (len == 4 && (b[0] & 0xf8) == 0xf0)
    cp = (b[0] & 0x07u) << 18 | (b[1] & 0x3fu) << 12 | (b[2] & 0x3fu) << 6 | (b[3] & 0x3fu);
  else
    return lo.substr(0, lo.size() - 1);  // not UTF-8 (a local name): a safe, earlier start
  std::string s = lo.substr(0, start);
  if (cp == 0) return s;  // nothing lies between lo minus its NUL and lo
  --cp;
  if (cp == 0xdfff) cp = 0xd7ff;  // skip the surrogates
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xc0 | cp >> 6);
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xe0 | cp >> 12);
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    s += static_cast<char>(0xf0 | cp >> 18);
    s += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    s += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    s += static_cast<char>(0x80 | (cp & 0x3f));
  }
  return s + "\xf4\x8f\xbf\xbf";  // U+10FFFF
}

std::string KeyRange::common_prefix() const {
  if (hi.empty()) return "";
  size_t n = 0;
  while (n < lo.size() && n < hi.size() && lo[n] == hi[n]) ++n;
  return lo.substr(0, n);
}

std::string KeyRange::describe() const {
  auto show = [](const std::string& k, const char* open) {
    if (k.empty()) return std::string(open);
    std::string out = "\"";
    for (unsigned char c : k) {
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        out += static_cast<char>(c);
      } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      }
    }
    return out + "\"";
  };
  return "[" + show(lo, "start") + ", " + show(hi, "end") + ")";
}

Result<ShardSpec> parse_shard_spec(const std::string& text, int count_hint,
                                   const std::function<const char*(const char*)>& getenv) {
  const std::string flag = "--shard " + text;
  const size_t slash = text.find('/');
  const std::string k_text = text.substr(0, slash);
  std::optional<int> n;
  if (slash != std::string::npos) {
    n = to_int(std::string_view(text).substr(slash + 1));
    if (!n) return usage(flag + ": N must be a whole number (K/N, auto/N or auto)");
  }
  ShardSpec s;
  if (k_text == "auto") {
    const char* from = nullptr;
    std::optional<int> env_n;
    for (const char* var :
         {"JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX", "SLURM_ARRAY_TASK_ID"}) {
      if (const char* v = getenv(var); v && *v) {
        from = var;
        auto k = to_int(v);
        if (!k) return usage(flag + ": " + var + "='" + v + "' is not a whole number");
        s.index = *k;
        break;
      }
    }
    if (!from)
      return usage(flag +
                   ": no shard index in the environment (JOB_COMPLETION_INDEX, "
                   "AWS_BATCH_JOB_ARRAY_INDEX or SLURM_ARRAY_TASK_ID); give it as K/N");
    if (std::string_view(from) == "SLURM_ARRAY_TASK_ID") {
      if (const char* min = getenv("SLURM_ARRAY_TASK_MIN"); min && *min) {
        auto m = to_int(min);
        if (!m) return usage(flag + ": SLURM_ARRAY_TASK_MIN='" + min + "' is not a whole number");
        s.index -= *m;
      }
      if (const char* c = getenv("SLURM_ARRAY_TASK_COUNT"); c && *c) {
        env_n = to_int(c);
        if (!env_n)
          return usage(flag + ": SLURM_ARRAY_TASK_COUNT='" + c + "' is not a whole number");
      }
    }
    if (n && env_n && *n != *env_n)
      return usage(flag + ": SLURM_ARRAY_TASK_COUNT is " + std::to_string(*env_n));
    if (!n) n = env_n;
  } else {
    if (slash == std::string::npos) return usage(flag + ": give K/N (e.g. 3/16), auto/N or auto");
    auto k = to_int(k_text);
    if (!k) return usage(flag + ": K must be a whole number or auto");
    s.index = *k;
  }
  if (!n && count_hint > 0) n = count_hint;
  if (!n) return usage(flag + ": the shard count N is not known; give auto/N");
  if (count_hint > 0 && *n != count_hint)
    return usage(flag + ": the shards file has " + std::to_string(count_hint) + " shards, not " +
                 std::to_string(*n));
  s.count = *n;
  if (s.count < 1 || s.count > kMaxShards)
    return usage(flag + ": N must be 1 to " + std::to_string(kMaxShards));
  if (s.index < 0 || s.index >= s.count)
    return usage(flag + ": shard index " + std::to_string(s.index) + " is outside 0.." +
                 std::to_string(s.count - 1));
  return s;
}

KeyRange fixed_shard_range(const ShardSpec& s) {
  auto boundary = [&](int k) {
    return cell_key(static_cast<int>(static_cast<int64_t>(k) * kCells / s.count));
  };
  KeyRange r;
  if (s.index > 0) r.lo = boundary(s.index);
  if (s.index + 1 < s.count) r.hi = boundary(s.index + 1);
  return r;
}

KeyRange planned_shard_range(const ShardSpec& s, const std::vector<std::string>& boundaries) {
  KeyRange r;
  if (s.index > 0) r.lo = boundaries[static_cast<size_t>(s.index) - 1];
  if (static_cast<size_t>(s.index) < boundaries.size())
    r.hi = boundaries[static_cast<size_t>(s.index)];
  return r;
}

Result<ShardPlan> read_shard_plan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status{Errc::not_found, "--shards-file " + path + ": cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  auto bad = [&](const std::string& why) { return usage("--shards-file " + path + ": " + why); };
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not JSON from cpsync plan-shards");
  if (j.value("cpsync_shards", 0) != 1) return bad("not a version 1 shards file");
  ShardPlan p;
  const auto& b = j["boundaries"];
  if (!b.is_array() || !j["count"].is_number_integer() ||
      j["count"].get<int64_t>() != static_cast<int64_t>(b.size()) + 1)
    return bad("'boundaries' must hold count - 1 keys");
  for (const auto& k : b) {
    if (!k.is_string()) return bad("a boundary is not a string");
    p.boundaries.push_back(k.get<std::string>());
    if (p.boundaries.size() > 1 && p.boundaries.back() < p.boundaries[p.boundaries.size() - 2])
      return bad("boundaries are not in byte order");
  }
  if (p.count() > kMaxShards) return bad("too many shards");
  if (j.contains("source") && j["source"].is_string()) p.source = j["source"].get<std::string>();
  return p;
}

Result<std::string> shard_plan_json(const ShardPlan& p) {
  nlohmann::ordered_json j;
  j["cpsync_shards"] = 1;
  j["source"] = p.source;
  j["count"] = p.count();
  j["boundaries"] = p.boundaries;
  auto shards = nlohmann::ordered_json::array();
  for (size_t i = 0; i < p.objects.size(); ++i)
    shards.push_back({{"shard", i}, {"objects", p.objects[i]}, {"bytes", p.bytes[i]}});
  j["shards"] = std::move(shards);
  try {
    return j.dump(2) + "\n";
  } catch (const nlohmann::json::exception&) {
    return usage("plan-shards: a boundary key is not valid UTF-8");
  }
}

ShardPlanner::ShardPlanner(int count, size_t max_samples)
    : count_(count), max_(std::max<size_t>(max_samples, static_cast<size_t>(count) * 4)) {}

void ShardPlanner::add(const std::string& key, uint64_t size) {
  if (n_ % stride_ == 0) samples_.push_back({key, n_, bytes_});
  ++n_;
  bytes_ += size;
  if (samples_.size() < max_) return;
  size_t w = 0;  // keep every other sample: those at multiples of the doubled stride
  for (size_t r = 0; r < samples_.size(); r += 2) samples_[w++] = std::move(samples_[r]);
  samples_.resize(w);
  stride_ *= 2;
}

ShardPlan ShardPlanner::finish(std::string source) const {
  ShardPlan p;
  p.source = std::move(source);
  std::vector<const Sample*> starts;  // the sample each shard 1..N-1 starts at
  for (int k = 1; k < count_; ++k) {
    const uint64_t target = n_ * static_cast<uint64_t>(k) / static_cast<uint64_t>(count_);
    auto it = std::lower_bound(samples_.begin(), samples_.end(), target,
                               [](const Sample& s, uint64_t t) { return s.before_n < t; });
    if (it == samples_.end()) --it;
    starts.push_back(&*it);
    p.boundaries.push_back(it->key);
  }
  uint64_t prev_n = 0, prev_bytes = 0;
  for (int k = 0; k < count_; ++k) {
    const bool last = k + 1 == count_;
    const uint64_t end_n = last ? n_ : starts[static_cast<size_t>(k)]->before_n;
    const uint64_t end_b = last ? bytes_ : starts[static_cast<size_t>(k)]->before_bytes;
    p.objects.push_back(end_n - prev_n);
    p.bytes.push_back(end_b - prev_bytes);
    prev_n = end_n;
    prev_bytes = end_b;
  }
  return p;
}

}  // namespace cpsync
