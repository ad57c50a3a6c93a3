// core/part_size.h — the part-size arithmetic for multipart/block uploads, written once for
// every provider: fit an object of known size into the provider's PartPolicy, or grow the
// parts of an object of unknown size so that max_parts parts can reach max_object.
// Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>

#include "core/status.h"

namespace cpsync {

inline constexpr uint64_t kMiB = uint64_t{1} << 20;
inline constexpr uint64_t kGiB = uint64_t{1} << 30;
inline constexpr uint64_t kTiB = uint64_t{1} << 40;

// A provider's limits on uploads in parts (Features::parts). 0 means "no limit" for
// max_part, max_parts and max_object.
struct PartPolicy {
  uint64_t min_part = 0;  // every part but the last must be at least this
  uint64_t max_part = 0;
  uint64_t max_parts = 0;
  uint64_t max_object = 0;
  uint64_t max_single_put = 0;  // largest object a single PUT may carry
};

// Part size for an upload. Known size: the smallest multiple of 1 MiB that is >= preferred
// and >= p.min_part and lets object_size fit in p.max_parts parts, never above p.max_part
// (a max_part that is not a MiB multiple is used as is when the rounding would overshoot).
// preferred == 0 means "the smallest allowed". Errors (Errc::invalid_argument, one line):
// object_size > p.max_object, an object that would need parts above p.max_part, or a
// preferred size above p.max_part (a --chunk-size the provider cannot take).
// Unknown size (nullopt): the initial part size for part_size_for_unknown(), i.e.
// max(preferred, min_part) rounded up to 1 MiB (same preferred > max_part error).
// A policy field of 0 means "no limit" (max_part, max_parts, max_object).
Result<uint64_t> choose_part_size(std::optional<uint64_t> object_size, uint64_t preferred,
                                  const PartPolicy& p);

// Objects of unknown length: the size of part `part_number` (1-based). Part 1 is `initial`
// (as returned by choose_part_size(nullopt, ...)); the size doubles every N parts, capped
// at p.max_part, where N is the LARGEST interval for which parts 1..p.max_parts add up to
// at least the growth target: p.max_object, but at most 90% of max_parts x max_part (where
// max_object == max_parts x max_part, as on Azure and OSS, only parts that are all max_part
// would reach it). A large N keeps parts — and so the memory a stream holds — small for the
// common case of modest streams, while the schedule still reaches (nearly) the provider's
// maximum object size. S3 from 5 MiB: N = 997 (parts 1-997 are 5 MiB, 998-1994 10 MiB, ...,
// 5 GiB from part 9971; 10,000 parts hold 5.01 TiB). Azure from 16 MiB: N = 716 (171.7 TiB).
// OSS from 16 MiB: N = 135 (43.9 TiB). rclone and the AWS SDKs instead keep one part size
// and cap such uploads at part size x 10,000. Every size is a MiB multiple or max_part.
// The caller must size its buffers from this value, part by part.
uint64_t part_size_for_unknown(uint32_t part_number, uint64_t initial, const PartPolicy& p);

// The doubling interval N used by part_size_for_unknown (exposed for tests and docs).
uint64_t unknown_growth_interval(uint64_t initial, const PartPolicy& p);

// Total bytes that parts 1..parts carry under part_size_for_unknown's schedule.
uint64_t unknown_capacity(uint64_t parts, uint64_t initial, const PartPolicy& p);

}  // namespace cpsync
