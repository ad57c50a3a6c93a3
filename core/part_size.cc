// core/part_size.cc — part sizes for known and unknown object lengths (see part_size.h).
#include "core/part_size.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <string>

namespace cpsync {
namespace {

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

uint64_t lim(uint64_t v) {
  return v == 0 ? kNoLimit : v;
}

uint64_t round_up_mib(uint64_t v) {
  if (v > kNoLimit - (kMiB - 1)) return kNoLimit;
  return (v + kMiB - 1) / kMiB * kMiB;
}

uint64_t sat_add(uint64_t a, uint64_t b) {
  return a > kNoLimit - b ? kNoLimit : a + b;
}

uint64_t sat_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > kNoLimit / a) return kNoLimit;
  return a * b;
}

// "5497558138880 bytes (5 TiB)".
std::string human(uint64_t bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 6) v /= 1024, ++u;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g %s", v, kUnits[u]);
  return std::to_string(bytes) + " bytes (" + buf + ")";
}

uint64_t initial_size(uint64_t initial, const PartPolicy& p) {
  uint64_t s = std::max<uint64_t>({initial, p.min_part, 1});
  return std::min(round_up_mib(s), lim(p.max_part));
}

}  // namespace

Result<uint64_t> choose_part_size(std::optional<uint64_t> object_size, uint64_t preferred,
                                  const PartPolicy& p) {
  const uint64_t max_part = lim(p.max_part);
  if (preferred > max_part) {
    return Status{Errc::invalid_argument, "chunk size " + human(preferred) +
                                              " is above the largest part this remote takes, " +
                                              human(max_part)};
  }
  if (!object_size) return initial_size(preferred, p);

  const uint64_t size = *object_size;
  if (size > lim(p.max_object)) {
    return Status{Errc::invalid_argument, "object of " + human(size) +
                                              " is larger than this remote's maximum object "
                                              "size, " +
                                              human(p.max_object)};
  }
  const uint64_t need = p.max_parts == 0 ? 0 : (size + p.max_parts - 1) / p.max_parts;
  const uint64_t want = std::max<uint64_t>({preferred, p.min_part, need, 1});
  if (want > max_part) {
    return Status{Errc::invalid_argument, "object of " + human(size) + " needs parts of " +
                                              human(need) + " to fit in " +
                                              std::to_string(p.max_parts) +
                                              " parts, above the largest part, " + human(max_part)};
  }
  return std::min(round_up_mib(want), max_part);
}

namespace {

// Bytes carried by parts 1..parts when part sizes start at s and double every n parts,
// capped at cap.
uint64_t capacity_with(uint64_t parts, uint64_t s, uint64_t n, uint64_t cap) {
  uint64_t sum = 0, done = 0, size = std::min(s, cap);
  while (done < parts) {
    if (size >= cap) return sat_add(sum, sat_mul(parts - done, cap));
    const uint64_t take = std::min(n, parts - done);
    sum = sat_add(sum, sat_mul(take, size));
    done += take;
    size = size > cap / 2 ? cap : size * 2;
  }
  return sum;
}

// What the growing schedule must reach: max_object, but at most 90% of max_parts x
// max_part — when max_object == max_parts x max_part (Azure, OSS) only parts that are all
// max_part would reach it, which no growing schedule does.
uint64_t growth_target(const PartPolicy& p) {
  const uint64_t full = sat_mul(p.max_parts, lim(p.max_part));
  return std::min(p.max_object, full / 10 * 9);
}

}  // namespace

uint64_t unknown_growth_interval(uint64_t initial, const PartPolicy& p) {
  if (p.max_parts == 0 || p.max_object == 0) return kNoLimit;  // nothing to reach: no growth
  const uint64_t s = initial_size(initial, p), cap = lim(p.max_part), m = p.max_parts;
  const uint64_t target = growth_target(p);
  if (capacity_with(m, s, m, cap) >= target) return m;  // constant parts suffice
  // capacity_with(m, s, n, cap) falls as n grows: find the largest n that still reaches.
  uint64_t lo = 1, hi = m;  // invariant: answer in [lo, hi], capacity(lo) reaches or lo == 1
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo + 1) / 2;
    if (capacity_with(m, s, mid, cap) >= target) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

uint64_t unknown_capacity(uint64_t parts, uint64_t initial, const PartPolicy& p) {
  return capacity_with(parts, initial_size(initial, p), unknown_growth_interval(initial, p),
                       lim(p.max_part));
}

uint64_t part_size_for_unknown(uint32_t part_number, uint64_t initial, const PartPolicy& p) {
  const uint64_t cap = lim(p.max_part);
  uint64_t size = initial_size(initial, p);
  const uint64_t n = unknown_growth_interval(initial, p);
  const uint64_t k = part_number == 0 ? 0 : part_number - 1;
  for (uint64_t level = k / n; level > 0 && size < cap; --level) {
    size = size > cap / 2 ? cap : size * 2;
  }
  return size;
}

}  // namespace cpsync
