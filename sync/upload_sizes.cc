// sync/upload_sizes.cc — flags over the remote's keys over the defaults, for upload sizes.
#include "sync/upload_sizes.h"

#include <algorithm>
#include <string>

#include "core/units.h"

namespace cpsync {

Result<UploadSizeFlags> parse_upload_size_flags(std::string_view chunk_size,
                                                std::string_view upload_cutoff) {
  UploadSizeFlags f;
  if (!chunk_size.empty()) {
    auto v = parse_size(chunk_size);
    if (!v.ok()) return v.status().with_context("--chunk-size");
    if (*v == 0) return Status{Errc::invalid_argument, "--chunk-size must be more than 0"};
    f.chunk_size = *v;
  }
  if (!upload_cutoff.empty()) {
    auto v = parse_size(upload_cutoff);
    if (!v.ok()) return v.status().with_context("--upload-cutoff");
    f.upload_cutoff = *v;
  }
  return f;
}

UploadSizes upload_sizes(const UploadSizeFlags& flags, const Features& dst) {
  UploadSizes s;
  s.chunk_size = flags.chunk_size ? *flags.chunk_size
                 : dst.chunk_size ? dst.chunk_size
                                  : kDefaultChunkSize;
  s.upload_cutoff = flags.upload_cutoff ? *flags.upload_cutoff
                    : flags.chunk_size  ? s.chunk_size
                    : dst.upload_cutoff ? dst.upload_cutoff
                                        : s.chunk_size;
  s.server_side_block =
      flags.chunk_size ? *flags.chunk_size : std::max(s.chunk_size, kMinServerSideBlock);
  return s;
}

}  // namespace cpsync
