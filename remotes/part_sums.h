// remotes/part_sums.h — one pass over a part's buffer for both the whole-object MD5 and the
// part's own check (the PartCheck its destination asks for): the buffer is walked in slices
// small enough to stay in the CPU cache, each slice fed to every hash before the next.
// Also the part_checksum option every cloud remote has. Used by uploads (write_part) and by
// sync/transfer (one pass with the whole MD5). Pure function; the Digest it feeds belongs to the
// caller (one thread at a time).
#pragma once

#include <cstddef>

#include "conf/option_reader.h"
#include "core/crypto.h"
#include "remotes/remote.h"

namespace cpsync {

// The part's checksum of kind `check` (md5: raw 16 bytes; crc64_*: the CRC), computed while
// `whole` (when not null) is updated with the same bytes.
PartSums sum_part(PartCheck check, const char* data, size_t len, Digest* whole);

// The part_checksum key of a remote's section: auto (the default) = `cheapest`, the cheapest
// check the provider verifies; crc = `crc` (an error naming the key when the provider has no
// CRC cpsync can use, crc == PartCheck::none); md5; none.
Result<PartCheck> part_checksum_option(const OptionReader& r, PartCheck cheapest, PartCheck crc);

}  // namespace cpsync
