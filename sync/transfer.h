// sync/transfer.h — copies one object from any remote to any remote without staging it on
// disk: server-side when both are the same endpoint, or when the destination's service can
// fetch a presigned URL of the source (url_copy.h), else one PUT for small objects, else
// long reads (one GET per object or per stream, sync/part_feed.h) feeding parallel parts.
// Memory is bounded by the shared BufferPool. The source MD5, when known, is checked
// before the object is committed.
// Requests are retried by the remotes' one send path (remotes/http/pipeline.h); a transfer
// only starts a whole object again after a checksum mismatch (bytes damaged in transit).
// Thread-safe: many transfers may run at once on one pool.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>

#include "core/buffer_pool.h"
#include "core/part_size.h"
#include "remotes/remote.h"
#include "sync/copy_metadata.h"

namespace cpsync {

class BandwidthLimiter;

struct TransferOptions {
  uint64_t chunk_size = 16 * kMiB;  // preferred part size; memory per stream
  // Objects up to this go in one PUT; nullopt = chunk_size. Capped at the provider's single-PUT
  // limit and at pool->budget() (a single PUT is held whole in memory). The CLI takes both
  // sizes from sync/upload_sizes.h.
  std::optional<uint64_t> upload_cutoff;
  // Block size of copies the destination fetches by URL (sync/url_copy.h); nullopt =
  // chunk_size. The CLI takes it from sync/upload_sizes.h too.
  std::optional<uint64_t> server_side_block;
  int streams = 4;               // parts of one object in flight (--multi-thread-streams)
  bool server_side_copy = true;  // use it when both sides are one endpoint (and no
                                 // metadata override asks for a streamed copy)
  MetadataPolicy metadata;       // --no-metadata, --metadata-set, --header-upload
  BufferPool* pool = nullptr;    // required
  std::atomic<uint64_t>* bytes_done = nullptr;  // progress: body bytes moved, may be null
  // Of those, the bytes copied server-side (never through this machine); may be null.
  std::atomic<uint64_t>* server_side_bytes = nullptr;
  BandwidthLimiter* bw_up = nullptr;    // --bwlimit on bytes sent, may be null
  BandwidthLimiter* bw_down = nullptr;  // --bwlimit on bytes received, may be null
};

struct TransferOutcome {
  ObjectInfo dst;  // what the destination reports after commit
  bool server_side = false;
  // Hex MD5 of the bytes sent: single PUTs; multipart copies of a source whose MD5 is known
  // (checked against it) or was hashed ahead (a local file to S3/OSS); multipart uploads to
  // a cloud remote. "" for an unknown MD5 going to a local file (nothing to check or store:
  // each part's checksum is the check).
  std::string md5;
  uint64_t reused_bytes = 0;  // parts a resumed upload already held (not sent again)
  // Parts sent again because a read of them was damaged in transit (sync/part_repair.h).
  uint32_t parts_resent = 0;
};

// Copies src_info (listed or stat'ed on src) to dst_ref. The destination object gets the
// source's user metadata and content headers (see copy_metadata.h), metadata mtime (the
// source mtime) and its whole-object MD5 where the destination keeps one
// (Features::whole_md5): md5chksum on S3/OSS (set at the start when the MD5 is known or a
// local file's is hashed ahead, else added after the commit), the blob's Content-MD5 on
// Azure. See docs/reliability.md.
Result<TransferOutcome> transfer_object(Remote& src, const ObjectRef& src_ref,
                                        const ObjectInfo& src_info, Remote& dst,
                                        const ObjectRef& dst_ref, const TransferOptions& o);

// Reads until it returns 0 (end); used for streams of unknown length (rcat, stdin).
using StreamReader = std::function<Result<size_t>(char* buf, size_t len)>;

// Uploads a stream of unknown length: one PUT if it ends within the first chunk, else
// multipart with growing part sizes, the stream's MD5 given to the upload before the commit.
Result<TransferOutcome> upload_stream(const StreamReader& read, Remote& dst,
                                      const ObjectRef& dst_ref, const UploadOptions& base,
                                      const TransferOptions& o);

// The metadata cpsync stores with a copy of src_info: mtime and md5chksum (rclone's keys).
Metadata metadata_for_copy(const ObjectInfo& src_info);

}  // namespace cpsync
