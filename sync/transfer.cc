// sync/transfer.cc — single-object transfer: server-side, single PUT, or parallel parts.
#include "sync/transfer.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "core/log.h"
#include "core/part_size.h"
#include "core/time_format.h"
#include "remotes/part_sums.h"
#include "sync/bandwidth_limiter.h"
#include "sync/compare.h"
#include "sync/cross_account_copy.h"
#include "sync/part_feed.h"
#include "sync/part_repair.h"
#include "sync/source_read.h"
#include "sync/url_copy.h"

namespace cpsync {
namespace {

// Sources without ETags (local files) cannot make reads conditional: before the copy is
// committed, their size and mtime must still be the listed ones.
Status check_unchanged(Remote& src, const ObjectRef& ref, const ObjectInfo& info) {
  if (!info.etag.empty()) return Status::OK();
  auto now = src.stat(ref);
  if (!now.ok()) return source_gone_or_changed(now.status(), src, ref);
  if (now->size != info.size || now->mtime != info.mtime)
    return source_gone_or_changed(Status{Errc::conflict, ""}, src, ref);
  return Status::OK();
}

// Tries of a whole object when its MD5 differs from the source's.
constexpr int kCorruptAttempts = 3;

Status check_md5(const ObjectInfo& src_info, const std::string& md5_hex, const Remote& src,
                 const ObjectRef& ref) {
  const auto want = known_md5(src_info);
  if (want && *want != md5_hex)
    return Status{Errc::corrupt, describe_object(src, ref) + ": MD5 of the bytes read (" + md5_hex +
                                     ") differs from the source's (" + *want + ")"};
  return Status::OK();
}

// The listed source, completed by what a read's response or a stat told of it: its user
// metadata (stored mtime, md5chksum) and content headers when the listing had none (S3, OSS).
ObjectInfo with_metadata_of(const ObjectInfo& listed, const ObjectInfo& told) {
  if (listed.metadata_known || !told.metadata_known) return listed;
  ObjectInfo o = listed;
  o.metadata = told.metadata;
  o.content = told.content;
  o.metadata_known = true;
  return o;
}

// The metadata, content headers and mtime the copy of source stores.
void carry_metadata_of(const ObjectInfo& source, const TransferOptions& o, UploadOptions& uo) {
  copy_metadata_into(source, o.metadata, uo);
}

// The MD5 of a whole source read before its upload begins (hash_ahead below).
Result<std::string> md5_of_source(Remote& src, const ObjectRef& ref, const ObjectInfo& info) {
  Digest md5(Digest::Algo::md5);
  // A local read (hash_ahead): --bwlimit is charged once, by the upload's own read.
  CPSYNC_RETURN_IF_ERROR(read_checked(
      src, ref, info, 0, info.size,
      [&](const char* d, size_t n) {
        md5.update(d, n);
        return Status::OK();
      },
      nullptr));
  return hex_lower(md5.digest());
}

// S3 and OSS fix an upload's metadata when it begins, before its bytes are read. A local
// source without a known MD5 is hashed first (one more read of the file, from the page
// cache when it is warm; no network), rclone's way: then md5chksum goes with the upload
// and the upload itself does not hash the whole again. Cloud sources are not read twice:
// their MD5 is learnt during the upload and added after it (Upload::set_whole_md5).
bool hash_ahead(const Remote& src, const ObjectInfo& source, const Remote& dst) {
  return dst.features().whole_md5 == WholeMd5::at_begin && src.features().local_reads &&
         !known_md5(source);
}

// Long reads feeding parallel parts (sync/part_feed.h): each read is one GET over a run of
// consecutive parts, and `streams` senders send the parts as they fill, with at most
// `streams` part buffers of this object at once. Each part's bytes are hashed once, before
// the part is sent: in part order into the whole-object MD5 (a part waits for the turn of
// the part before) and, in the same pass, into the part's own check (PartCheck): checked
// against the source's MD5 when known, and stored (Upload::set_whole_md5) where the
// destination takes it at commit. An in-order MD5 over parts read in parallel would hold
// every part read ahead of the one being hashed: with the whole MD5 the object is read by
// one GET (parts arrive in order; the senders stay parallel), without it by one GET per
// stream, stream i over the i-th run of parts.
// hash_whole is false when the MD5 was computed from these bytes just before (hash_ahead:
// each part's own check, sent with it, then checks what is sent, and
// check_unchanged that the file is the one hashed), and when it could be neither checked
// nor stored (an unknown source MD5 going to a local file): no byte is hashed whole twice.
Result<TransferOutcome> multipart_copy(Remote& src, const ObjectRef& src_ref,
                                       const ObjectInfo& src_info, Remote& dst,
                                       const ObjectRef& dst_ref, const UploadOptions& uo,
                                       uint64_t part_size, bool hash_whole,
                                       const TransferOptions& o) {
  const uint64_t size = src_info.size;
  const uint32_t nparts = static_cast<uint32_t>((size + part_size - 1) / part_size);
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> upload, dst.begin_upload(dst_ref, uo));

  std::mutex mu;
  std::condition_variable turn_cv;
  uint32_t hashed = 0;
  Digest whole(Digest::Algo::md5);
  const PartCheck check = dst.features().part_check;
  std::vector<PartSums> sent(nparts);  // each part's check as sent (part_repair.h)

  auto read_run = [&](uint64_t offset, uint64_t len,
                      const std::function<Status(const char*, size_t)>& sink) -> Status {
    return read_checked(src, src_ref, src_info, offset, len, sink, o.bw_down)
        .with_context("bytes " + std::to_string(offset) + "-" + std::to_string(offset + len - 1));
  };
  auto send_part = [&](uint32_t index, uint64_t offset, char* data, size_t len) -> Status {
    // One pass over the buffer: the part's own check and, in part order, the whole MD5.
    PartSums sums;
    if (hash_whole) {
      std::unique_lock lock(mu);
      turn_cv.wait(lock, [&] { return hashed == index; });
      lock.unlock();  // `whole` is this sender's until it passes the turn on
      sums = sum_part(check, data, len, &whole);
      lock.lock();
      ++hashed;
      lock.unlock();
      turn_cv.notify_all();
    } else {
      sums = sum_part(check, data, len, nullptr);
    }
    if (o.bw_up) BandwidthLimiter::wait_until(o.bw_up->reserve(len));
    Status st = upload->write_summed_part(index + 1, offset, data, len, sums);
    if (!st.ok()) return st.with_context("part " + std::to_string(index + 1));
    sent[index] = std::move(sums);
    if (o.bytes_done) *o.bytes_done += len;
    return Status::OK();
  };

  const int streams = std::max(1, std::min<int>(o.streams, static_cast<int>(nparts)));
  PartFeedOptions feed;
  feed.size = size;
  feed.part_size = part_size;
  feed.readers = hash_whole ? 1 : streams;
  feed.senders = streams;
  feed.buffers = streams;
  feed.pool = o.pool;
  Status first_error = feed_parts(feed, read_run, send_part);

  if (!first_error.ok()) {
    // A part the send path gave up on (throttled, transient) leaves the parts stored so far
    // for the run's next attempt (--retries), which resumes the upload (UploadOptions::resume).
    if (first_error.retryable() && dst.features().resume_uploads) {
      upload->keep_for_resume();
      log_info(describe_object(dst, dst_ref) + ": upload failed (" + first_error.message +
               "); its stored parts are kept for the next attempt");
    } else {
      (void)upload->abort();
    }
    return first_error;
  }
  TransferOutcome out;
  std::string whole_raw;
  if (hash_whole) {
    whole_raw = whole.digest();
    out.md5 = hex_lower(whole_raw);
  } else {
    out.md5 = known_md5(src_info).value_or("");
  }
  out.reused_bytes = upload->reused_bytes();
  if (out.reused_bytes)
    log_info(describe_object(dst, dst_ref) + ": resumed; " + std::to_string(out.reused_bytes) +
             " of " + std::to_string(size) + " bytes were already stored and not sent again");
  Status st = check_md5(src_info, out.md5, src, src_ref);
  if (st.code == Errc::corrupt && hash_whole && check != PartCheck::none) {
    // A read was damaged in transit: read the parts again, send again only those that differ.
    auto mended = resend_damaged_parts(
        [&](uint64_t offset, char* buf, size_t len) {
          return read_exact(src, src_ref, src_info, offset, buf, len, o);
        },
        *upload, check, sent, size, part_size, *o.pool);
    if (mended.ok()) {
      log_info(describe_object(src, src_ref) + ": " + st.message + "; read again, " +
               std::to_string(mended->parts_resent) + " of " + std::to_string(nparts) +
               " parts sent again");
      if (o.bytes_done) *o.bytes_done += mended->bytes_resent;
      whole_raw = mended->whole_md5_raw;
      out.md5 = hex_lower(whole_raw);
      out.parts_resent = mended->parts_resent;
      st = check_md5(src_info, out.md5, src, src_ref);
    } else {
      st = mended.status();
    }
  }
  if (st.ok()) st = check_unchanged(src, src_ref, src_info);
  if (!st.ok()) {
    (void)upload->abort();
    return st;
  }
  if (hash_whole) upload->set_whole_md5(whole_raw);
  auto committed = upload->commit();
  if (!committed.ok()) {
    (void)upload->abort();
    return committed.status();
  }
  out.dst = std::move(committed).value();
  return out;
}

}  // namespace

Metadata metadata_for_copy(const ObjectInfo& src_info) {
  Metadata m;
  m[kMetaMtime] = format_unix_seconds(source_mtime(src_info));
  if (auto md5 = known_md5(src_info)) {
    std::string raw;
    if (hex_decode(*md5, raw)) m[kMetaMd5] = base64_encode(raw);
  }
  return m;
}

namespace {

// The copy through this machine: one PUT for small objects, else parallel parts.
Result<TransferOutcome> stream_object(Remote& src, const ObjectRef& src_ref,
                                      const ObjectInfo& src_info, Remote& dst,
                                      const ObjectRef& dst_ref, const TransferOptions& o) {
  UploadOptions uo;
  uo.size = src_info.size;
  carry_metadata_of(src_info, o, uo);
  const PartPolicy& policy = dst.features().parts;
  uint64_t cutoff = o.upload_cutoff.value_or(o.chunk_size);
  if (policy.max_single_put) cutoff = std::min(cutoff, policy.max_single_put);
  // A single PUT holds the whole object in memory: never more than the run's buffer budget.
  cutoff = std::min<uint64_t>(cutoff, o.pool->budget());

  if (src_info.size <= cutoff) {
    const size_t len = static_cast<size_t>(src_info.size);
    Buffer buf = o.pool->acquire(len);
    TransferOutcome out;
    // A mismatch with the source MD5 means bytes were damaged in transit: read again, a
    // bounded number of times; a persistent mismatch is an error.
    const auto send_at = o.bw_up ? o.bw_up->reserve(len) : std::chrono::steady_clock::now();
    for (int attempt = 0;; ++attempt) {
      // The GET's response carries the user metadata an S3/OSS listing lacks: no HEAD.
      ObjectInfo told;
      const bool ask = !metadata_complete(src_info);
      CPSYNC_RETURN_IF_ERROR(
          read_exact(src, src_ref, src_info, 0, buf.data(), len, o, ask ? &told : nullptr));
      const ObjectInfo source = with_metadata_of(src_info, told);
      carry_metadata_of(source, o, uo);
      uo.body_md5 = md5_raw(std::string_view(buf.data(), len));
      out.md5 = hex_lower(uo.body_md5);
      Status st = check_md5(source, out.md5, src, src_ref);
      if (st.ok()) break;
      if (attempt + 1 >= kCorruptAttempts) return st;
    }
    CPSYNC_RETURN_IF_ERROR(check_unchanged(src, src_ref, src_info));
    BandwidthLimiter::wait_until(send_at);
    auto put = dst.put(dst_ref, buf.data(), len, uo);
    if (!put.ok()) return put.status();
    out.dst = std::move(put).value();
    if (o.bytes_done) *o.bytes_done += len;
    return out;
  }

  // The upload's metadata is fixed when it starts: a listing without metadata (S3, OSS)
  // costs one HEAD per multipart object, for its stored mtime and md5chksum.
  ObjectInfo source = src_info;
  if (!metadata_complete(src_info)) {
    auto told = src.stat(src_ref);
    if (!told.ok()) return source_gone_or_changed(told.status(), src, src_ref);
    source = with_metadata_of(src_info, *told);
    carry_metadata_of(source, o, uo);
  }
  const bool hashed_ahead = hash_ahead(src, source, dst);
  if (hashed_ahead) {
    CPSYNC_ASSIGN_OR_RETURN(source.md5, md5_of_source(src, src_ref, source));
    carry_metadata_of(source, o, uo);  // now with md5chksum
  }
  const bool hash_whole = !hashed_ahead && (known_md5(source).has_value() ||
                                            dst.features().whole_md5 != WholeMd5::none);
  CPSYNC_ASSIGN_OR_RETURN(uint64_t part_size,
                          choose_part_size(src_info.size, o.chunk_size, policy));
  uo.part_size = part_size;
  // A whole-object MD5 mismatch (bytes damaged in transit) aborts the upload and starts
  // again, a bounded number of times. The first try adopts what a killed run left behind:
  // stored parts are kept only where they hold the bytes we read (same part size, same MD5).
  for (int attempt = 0;; ++attempt) {
    uo.resume = attempt == 0 && dst.features().resume_uploads;
    auto res = multipart_copy(src, src_ref, source, dst, dst_ref, uo, part_size, hash_whole, o);
    if (res.ok() || res.status().code != Errc::corrupt || attempt + 1 >= kCorruptAttempts)
      return res;
  }
}

// A copy the destination's service fetches from a presigned URL of the source (url_copy.h).
// The metadata to store is fixed before it starts: a listing without it costs one HEAD, which
// a fallback to streaming then reuses. Falls back, with one -v line, when it cannot be done.
Result<TransferOutcome> copy_by_url_or_stream(Remote& src, const ObjectRef& src_ref,
                                              const ObjectInfo& src_info, Remote& dst,
                                              const ObjectRef& dst_ref, const TransferOptions& o) {
  auto fall_back = [&](const Status& why, const ObjectInfo& info) {
    log_info(describe_object(src, src_ref) +
             ": streamed through this machine, not copied server-side: " + why.message);
    return stream_object(src, src_ref, info, dst, dst_ref, o);
  };
  Status possible = url_copy_possible(src, src_ref, dst, o);
  if (!possible.ok()) {
    if (possible.code != Errc::not_supported) return source_gone_or_changed(possible, src, src_ref);
    return fall_back(possible, src_info);
  }
  ObjectInfo source = src_info;
  if (!metadata_complete(src_info)) {
    auto told = src.stat(src_ref);
    if (!told.ok()) return source_gone_or_changed(told.status(), src, src_ref);
    source = with_metadata_of(src_info, *told);
  }
  UploadOptions uo;
  uo.size = source.size;
  carry_metadata_of(source, o, uo);
  auto r = try_url_copy(src, src_ref, source, dst, dst_ref, uo, o);
  if (r.ok()) return r;
  if (r.status().code != Errc::not_supported)
    return source_gone_or_changed(r.status(), src, src_ref);
  return fall_back(r.status(), source);
}

}  // namespace

Result<TransferOutcome> transfer_object(Remote& src, const ObjectRef& src_ref,
                                        const ObjectInfo& src_info, Remote& dst,
                                        const ObjectRef& dst_ref, const TransferOptions& o) {
  const bool server_side = o.server_side_copy && !o.metadata.overrides();
  auto copied_outcome = [&](ObjectInfo copied) {
    if (o.bytes_done) *o.bytes_done += src_info.size;
    if (o.server_side_bytes) *o.server_side_bytes += src_info.size;
    TransferOutcome out;
    out.dst = std::move(copied);
    out.server_side = true;
    return out;
  };
  if (server_side && dst.features().server_side_copy && same_endpoint(src, dst)) {
    auto copied = dst.copy_server_side(src_ref, dst_ref, src_info);
    if (!copied.ok()) return source_gone_or_changed(copied.status(), src, src_ref);
    return copied_outcome(std::move(copied).value());
  }
  if (server_side && try_cross_account_copy(src, src_ref.bucket, dst)) {
    auto copied = dst.copy_server_side(src_ref, dst_ref, src_info);
    if (copied.ok()) return copied_outcome(std::move(copied).value());
    // Only "may not read the source" streams instead; a changed or missing source does not.
    if (copied.status().code != Errc::access_denied)
      return source_gone_or_changed(copied.status(), src, src_ref);
    note_cross_account_refusal(src, src_ref.bucket, dst, copied.status());
  }
  if (url_copy_applies(src, dst, src_info))
    return copy_by_url_or_stream(src, src_ref, src_info, dst, dst_ref, o);
  return stream_object(src, src_ref, src_info, dst, dst_ref, o);
}

Result<TransferOutcome> upload_stream(const StreamReader& read, Remote& dst,
                                      const ObjectRef& dst_ref, const UploadOptions& base,
                                      const TransferOptions& o) {
  const PartPolicy& policy = dst.features().parts;
  // Fills buf up to len; returns bytes read (short only at the end of the stream).
  auto fill = [&](char* buf, size_t len) -> Result<size_t> {
    size_t got = 0;
    while (got < len) {
      CPSYNC_ASSIGN_OR_RETURN(size_t n, read(buf + got, len - got));
      if (n == 0) break;
      got += n;
    }
    return got;
  };
  TransferOutcome out;
  CPSYNC_ASSIGN_OR_RETURN(const uint64_t initial,
                          choose_part_size(std::nullopt, o.chunk_size, policy));
  uint64_t part_len = part_size_for_unknown(1, initial, policy);
  Buffer buf = o.pool->acquire(part_len);
  CPSYNC_ASSIGN_OR_RETURN(size_t first, fill(buf.data(), part_len));
  if (first < part_len) {  // the whole stream fits one PUT
    UploadOptions uo = base;
    uo.size = first;
    uo.body_md5 = md5_raw(std::string_view(buf.data(), first));
    out.md5 = hex_lower(uo.body_md5);
    auto put = dst.put(dst_ref, buf.data(), first, uo);
    if (!put.ok()) return put.status();
    out.dst = std::move(put).value();
    if (o.bytes_done) *o.bytes_done += first;
    return out;
  }
  UploadOptions uo = base;
  uo.size.reset();
  uo.part_size = part_len;
  CPSYNC_ASSIGN_OR_RETURN(std::unique_ptr<Upload> upload, dst.begin_upload(dst_ref, uo));
  // The stream's parts come in order: the whole-object MD5 is fed part by part and given
  // to the upload before its commit (Azure stores it then, S3/OSS right after it).
  const bool hash_whole = dst.features().whole_md5 != WholeMd5::none;
  Digest whole(Digest::Algo::md5);
  uint64_t offset = 0;
  size_t len = first;
  for (uint32_t part = 1;; ++part) {
    const PartSums sums =
        sum_part(dst.features().part_check, buf.data(), len, hash_whole ? &whole : nullptr);
    Status st = upload->write_summed_part(part, offset, buf.data(), len, sums);
    if (!st.ok()) {
      (void)upload->abort();
      return st;
    }
    if (o.bytes_done) *o.bytes_done += len;
    offset += len;
    if (len < part_len) break;
    if (part >= policy.max_parts && policy.max_parts) {
      (void)upload->abort();
      return Status{Errc::invalid_argument, "stream is larger than the remote's maximum object"};
    }
    uint64_t next_len = part_size_for_unknown(part + 1, initial, policy);
    if (next_len != part_len) {
      buf.release();
      buf = o.pool->acquire(next_len);
      part_len = next_len;
    }
    auto got = fill(buf.data(), part_len);
    if (!got.ok()) {
      (void)upload->abort();
      return got.status();
    }
    len = *got;
    if (len == 0) break;
  }
  if (hash_whole) {
    const std::string whole_raw = whole.digest();
    out.md5 = hex_lower(whole_raw);
    upload->set_whole_md5(whole_raw);
  }
  auto committed = upload->commit();
  if (!committed.ok()) {
    (void)upload->abort();
    return committed.status();
  }
  out.dst = std::move(committed).value();
  return out;
}

}  // namespace cpsync
