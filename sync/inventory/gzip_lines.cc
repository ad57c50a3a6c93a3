// sync/inventory/gzip_lines.cc — ranged reads into zlib's inflate (gzip header detection),
// lines cut from the inflated bytes.
#include "sync/inventory/gzip_lines.h"

#include <algorithm>

namespace cpsync {

GzipLines::GzipLines(Remote& remote, ObjectRef ref, uint64_t size, uint64_t chunk)
    : remote_(remote), ref_(std::move(ref)), size_(size), chunk_(chunk) {
  // 15 + 16: a gzip wrapper (not zlib's), the largest window.
  if (inflateInit2(&z_, 15 + 16) != Z_OK)
    status_ = Status{Errc::permanent, "zlib: inflateInit2 failed"};
  else
    z_ready_ = true;
}

GzipLines::~GzipLines() {
  if (z_ready_) inflateEnd(&z_);
}

bool GzipLines::fill() {
  if (!status_.ok()) return false;
  for (;;) {
    if (in_.empty()) {
      if (offset_ >= size_) {
        if (!z_end_)
          status_ = Status{Errc::corrupt, ref_.bucket + "/" + ref_.key + ": gzip data ends early"};
        return false;
      }
      const uint64_t n = std::min(chunk_, size_ - offset_);
      ByteRange range;
      range.offset = offset_;
      range.length = n;
      Status st = remote_.read(ref_, range, [this](const char* d, size_t len) {
        in_.append(d, len);
        return Status::OK();
      });
      if (!st.ok()) {
        status_ = st.with_context("inventory file " + ref_.key);
        return false;
      }
      if (in_.empty()) {
        status_ = Status{Errc::corrupt, ref_.bucket + "/" + ref_.key + ": shorter than listed"};
        return false;
      }
      offset_ += in_.size();
    }
    if (z_end_) {  // another gzip member follows
      inflateReset(&z_);
      z_end_ = false;
    }
    char buf[64 * 1024];
    z_.next_in = reinterpret_cast<Bytef*>(in_.data());
    z_.avail_in = static_cast<uInt>(in_.size());
    z_.next_out = reinterpret_cast<Bytef*>(buf);
    z_.avail_out = sizeof buf;
    const int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      status_ = Status{Errc::corrupt, ref_.bucket + "/" + ref_.key + ": not gzip data (" +
                                          std::string(z_.msg ? z_.msg : "inflate failed") + ")"};
      return false;
    }
    in_.erase(0, in_.size() - z_.avail_in);
    const size_t produced = sizeof buf - z_.avail_out;
    if (rc == Z_STREAM_END) z_end_ = true;
    if (produced > 0) {
      out_.erase(0, out_pos_);
      out_pos_ = 0;
      out_.append(buf, produced);
      return true;
    }
    if (z_end_ && in_.empty() && offset_ >= size_) return false;
  }
}

bool GzipLines::next(std::string& line) {
  for (;;) {
    const size_t nl = out_.find('\n', out_pos_);
    if (nl != std::string::npos) {
      line.assign(out_, out_pos_, nl - out_pos_);
      out_pos_ = nl + 1;
      return true;
    }
    if (!fill()) {
      if (!status_.ok() || out_pos_ >= out_.size()) return false;
      line.assign(out_, out_pos_, std::string::npos);  // a last line without '\n'
      out_pos_ = out_.size();
      return true;
    }
  }
}

}  // namespace cpsync
