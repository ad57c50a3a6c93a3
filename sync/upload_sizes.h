// sync/upload_sizes.h — the part size and single-PUT cutoff of uploads to one remote: the
// --chunk-size / --upload-cutoff flags when given, else the remote's chunk_size /
// upload_cutoff config keys (Features), else 16 MiB; and the block size of copies the
// destination fetches itself. Pure; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync {

inline constexpr uint64_t kDefaultChunkSize = uint64_t{16} << 20;
// Blocks of a copy the destination's service fetches from a URL (Put Block From URL) pass no
// byte through cpsync, so their size costs no memory here; each costs a request (about
// 0.3 ms of client CPU: docs/benchmarks.md). Without --chunk-size they are at least this.
inline constexpr uint64_t kMinServerSideBlock = uint64_t{16} << 20;

struct UploadSizeFlags {
  std::optional<uint64_t> chunk_size;     // --chunk-size, when given
  std::optional<uint64_t> upload_cutoff;  // --upload-cutoff, when given
};

struct UploadSizes {
  uint64_t chunk_size = kDefaultChunkSize;         // preferred part size (choose_part_size)
  uint64_t upload_cutoff = kDefaultChunkSize;      // objects up to this size go in one PUT
  uint64_t server_side_block = kDefaultChunkSize;  // block size of copies fetched by URL
};

// Parses the flags' texts in core/units.h's size grammar ("" = not given). Errors name the
// flag: "--chunk-size: bad size ..." or "--chunk-size must be more than 0".
Result<UploadSizeFlags> parse_upload_size_flags(std::string_view chunk_size,
                                                std::string_view upload_cutoff);

// Part size: --chunk-size, else the remote's chunk_size, else 16 MiB. Cutoff:
// --upload-cutoff, else the part size when --chunk-size is given (the flag alone sets both),
// else the remote's upload_cutoff, else the part size. The transfer further caps the
// cutoff at the provider's single-PUT limit and at the run's buffer budget, since a single
// PUT holds the whole object in memory (sync/transfer.h). Server-side blocks: --chunk-size,
// else the part size but at least kMinServerSideBlock.
UploadSizes upload_sizes(const UploadSizeFlags& flags, const Features& dst);

}  // namespace cpsync
