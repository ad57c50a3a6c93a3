// sync/part_repair.cc — see part_repair.h.
#include "sync/part_repair.h"

#include <algorithm>

#include "remotes/part_sums.h"

namespace cpsync {

Result<PartRepair> resend_damaged_parts(const PartReader& read, Upload& upload, PartCheck check,
                                        const std::vector<PartSums>& sent, uint64_t size,
                                        uint64_t part_size, BufferPool& pool) {
  if (check == PartCheck::none)
    return Status{Errc::invalid_argument, "parts sent without a check cannot be compared"};
  PartRepair out;
  Digest whole(Digest::Algo::md5);
  Buffer buf = pool.acquire(part_size);
  for (uint32_t i = 0; i < sent.size(); ++i) {
    const uint64_t offset = uint64_t{i} * part_size;
    const size_t len = static_cast<size_t>(std::min(part_size, size - offset));
    CPSYNC_RETURN_IF_ERROR(read(offset, buf.data(), len));
    const PartSums now = sum_part(check, buf.data(), len, &whole);
    if (now.md5 == sent[i].md5 && now.crc64 == sent[i].crc64) continue;
    CPSYNC_RETURN_IF_ERROR(upload.write_summed_part(i + 1, offset, buf.data(), len, now));
    ++out.parts_resent;
    out.bytes_resent += len;
  }
  out.whole_md5_raw = whole.digest();
  return out;
}

}  // namespace cpsync
