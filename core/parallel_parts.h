// core/parallel_parts.h — runs fn(0..count-1) on up to `threads` threads and returns the
// first failure (remaining indexes are skipped once one fails). Used for work split in
// independent parts, such as the parts of a server-side multipart copy. Blocks until every
// started call has returned; fn must be safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <functional>

#include "core/status.h"

namespace cpsync {

Status run_parts_in_parallel(uint32_t count, uint32_t threads,
                             const std::function<Status(uint32_t index)>& fn);

}  // namespace cpsync
