// sync/source_read.cc — reads of a copy's source, conditional on its listed ETag.
#include "sync/source_read.h"

#include <algorithm>

#include "sync/bandwidth_limiter.h"

namespace cpsync {

std::string describe_object(const Remote& r, const ObjectRef& ref) {
  std::string s = r.name() + ":";
  if (!ref.bucket.empty()) s += ref.bucket + "/";
  return s + ref.key;
}

Status source_gone_or_changed(const Status& st, Remote& src, const ObjectRef& ref) {
  Errc code = st.code;
  // A failed If-Match on a deleted object is 412 on some servers (Azurite): tell them apart.
  if (code == Errc::conflict && src.stat(ref).status().code == Errc::not_found)
    code = Errc::not_found;
  if (code == Errc::not_found)
    return Status{Errc::not_found,
                  describe_object(src, ref) + ": source deleted since it was listed; not copied"};
  if (code == Errc::conflict)
    return Status{Errc::conflict,
                  describe_object(src, ref) + ": source changed since it was listed; not copied"};
  return st;
}

Status read_checked(Remote& src, const ObjectRef& ref, const ObjectInfo& info, uint64_t offset,
                    uint64_t len, const std::function<Status(const char*, size_t)>& sink,
                    BandwidthLimiter* bw, ObjectInfo* told) {
  uint64_t got = 0;
  ByteRange range{offset, len};
  range.if_match = info.etag;
  range.info = told;
  Status st = src.read(ref, range, [&](const char* d, size_t n) -> Status {
    if (got + n > len)
      return Status{Errc::conflict, describe_object(src, ref) + ": source is larger than listed"};
    got += n;
    if (bw) bw->take(n);
    return sink(d, n);
  });
  if (st.ok() && got != len)
    st = Status{Errc::conflict,
                describe_object(src, ref) + ": source changed during copy (short read)"};
  return source_gone_or_changed(st, src, ref);
}

Status read_exact(Remote& src, const ObjectRef& ref, const ObjectInfo& info, uint64_t offset,
                  char* buf, size_t len, const TransferOptions& o, ObjectInfo* told) {
  if (len == 0) {  // nothing to read: a stat tells what a response would have
    if (!told) return Status::OK();
    auto st = src.stat(ref);
    if (!st.ok()) return source_gone_or_changed(st.status(), src, ref);
    *told = std::move(st).value();
    return Status::OK();
  }
  size_t got = 0;
  return read_checked(
      src, ref, info, offset, len,
      [&](const char* d, size_t n) {
        std::copy(d, d + n, buf + got);
        got += n;
        return Status::OK();
      },
      o.bw_down, told);
}

}  // namespace cpsync
