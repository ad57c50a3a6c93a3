// sync/part_repair.h — mending a multipart upload whose whole-object MD5 came out different
// from the source's (some read was damaged in transit): every part is read again and
// compared, by the part check it was sent with, with what was sent; only the parts whose
// bytes differ are sent again (same part number: the stored part is replaced). A flipped
// byte then costs one part's upload, not the object's, and the upload is not aborted.
// Runs on the caller's thread, one part at a time (a rare path).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/buffer_pool.h"
#include "remotes/remote.h"

namespace cpsync {

// Reads len bytes of the source at offset into buf (conditional on the listed ETag).
using PartReader = std::function<Status(uint64_t offset, char* buf, size_t len)>;

struct PartRepair {
  std::string whole_md5_raw;  // MD5 of all the bytes re-read: what the upload now holds
  uint32_t parts_resent = 0;
  uint64_t bytes_resent = 0;
};

// sent[i]: the sums part i + 1 was sent with (of kind check, which must not be none);
// parts are part_size bytes but the last, of an object of `size` bytes. Errors: the
// reader's, or the upload's for a part sent again.
Result<PartRepair> resend_damaged_parts(const PartReader& read, Upload& upload, PartCheck check,
                                        const std::vector<PartSums>& sent, uint64_t size,
                                        uint64_t part_size, BufferPool& pool);

}  // namespace cpsync
