// sync/part_feed.h — reads the parts of one object through a few long reads (one GET each,
// over a run of consecutive parts) and hands each filled part buffer to one of several
// sender threads. Readers fill buffers leased from the run's BufferPool, at most `buffers`
// of them for this object at once (the object's memory bound: streams x part size); a
// reader whose next part has no buffer yet waits inside its read (the connection idles;
// a body that breaks meanwhile is resumed by the remote's send path).
// With one reader, parts reach the senders in part order, so an in-order hash over the
// parts (the whole-object MD5) only ever waits for the part before, already being hashed.
// Thread-safe to call from many threads; each call runs its own readers and senders.
#pragma once

#include <cstdint>
#include <functional>

#include "core/buffer_pool.h"
#include "core/status.h"

namespace cpsync {

struct PartFeedOptions {
  uint64_t size = 0;       // object bytes
  uint64_t part_size = 0;  // every part but the last
  int readers = 1;         // long reads, each over a run of consecutive parts
  int senders = 1;         // threads calling send
  int buffers = 1;         // this object's buffers leased at once (>= 1)
  BufferPool* pool = nullptr;
};

// Streams bytes [offset, offset + len) of the object into sink, in order; the sink's error
// stops the read and is returned.
using ReadRun = std::function<Status(uint64_t offset, uint64_t len,
                                     const std::function<Status(const char*, size_t)>& sink)>;
// Sends part `index` (0-based) of len bytes at offset, held in data (valid during the call).
using SendPart = std::function<Status(uint32_t index, uint64_t offset, char* data, size_t len)>;

// Reads and sends every part once; returns the first failure (reads and sends stop soon
// after it) or OK. A read that ends short of its run is Errc::conflict.
Status feed_parts(const PartFeedOptions& o, const ReadRun& read, const SendPart& send);

}  // namespace cpsync
