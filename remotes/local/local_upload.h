// remotes/local/local_upload.h — an upload to a local file: parts are pwrite()n at their
// offsets into a temporary file in the destination directory; commit() checks the parts
// cover the object without gaps, fsyncs, sets the mtime and renames into place.
// write_part may be called from many threads at once; commit/abort once, after all parts.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::local {

class LocalUpload : public Upload {
 public:
  // Creates the parent directories and the temporary file for path (a checked key).
  static Result<std::unique_ptr<LocalUpload>> start(std::string remote, std::string path,
                                                    const UploadOptions& opts);
  ~LocalUpload() override;

  Status write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) override;
  Result<ObjectInfo> commit() override;
  Status abort() override;

  // Used by server-side copy: the temporary file's descriptor, to fill by other means.
  // Marks the content as complete (no part bookkeeping) for commit().
  int fd_for_copy();

 private:
  LocalUpload(std::string remote, std::string path, std::string temp, int fd,
              const UploadOptions& opts);
  Status check_parts() const;  // under mu_
  Status fail(Status s);       // aborts and returns s

  const std::string remote_, path_, temp_;
  int fd_ = -1;
  std::optional<uint64_t> size_;
  std::optional<TimePoint> mtime_;
  std::mutex mu_;
  std::map<uint32_t, std::pair<uint64_t, uint64_t>> parts_;  // number -> (offset, len)
  bool whole_file_ = false;                                  // filled by fd_for_copy()
  bool done_ = false;                                        // committed or aborted
};

}  // namespace cpsync::local
