// sync/inventory/gzip_lines.h — the lines of a gzip-compressed object, read in ranged
// chunks and inflated with zlib as they are consumed: memory is one compressed chunk and
// one inflated window, whatever the object's size. Concatenated gzip members are read as
// one stream. Used by one thread; the remote may be shared.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <string>

#include "remotes/remote.h"

namespace cpsync {

class GzipLines {
 public:
  GzipLines(Remote& remote, ObjectRef ref, uint64_t size, uint64_t chunk = 1 << 20);
  ~GzipLines();
  GzipLines(const GzipLines&) = delete;
  GzipLines& operator=(const GzipLines&) = delete;

  // The next line (without its '\n'), or false at the end or after an error (status()).
  bool next(std::string& line);
  const Status& status() const { return status_; }

 private:
  bool fill();  // inflates more into out_; false at the end or on error

  Remote& remote_;
  ObjectRef ref_;
  uint64_t size_, chunk_, offset_ = 0;
  z_stream z_{};
  bool z_ready_ = false, z_end_ = false;
  std::string in_;   // compressed bytes not yet inflated
  std::string out_;  // inflated bytes not yet returned as lines
  size_t out_pos_ = 0;
  Status status_;
};

}  // namespace cpsync
