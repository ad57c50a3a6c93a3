// remotes/local/local_upload.cc — see local_upload.h.
#include "remotes/local/local_upload.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "remotes/local/local_path.h"

namespace cpsync::local {

Result<std::unique_ptr<LocalUpload>> LocalUpload::start(std::string remote, std::string path,
                                                        const UploadOptions& opts) {
  CPSYNC_RETURN_IF_ERROR(make_dirs(remote, parent_dir(path)));
  for (int attempt = 0;; ++attempt) {
    std::string temp = temp_path_for(path);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      return std::unique_ptr<LocalUpload>(
          new LocalUpload(std::move(remote), std::move(path), std::move(temp), fd, opts));
    }
    if (errno != EEXIST || attempt == 3) return errno_status(remote, "create", temp, errno);
  }
}

LocalUpload::LocalUpload(std::string remote, std::string path, std::string temp, int fd,
                         const UploadOptions& opts)
    : remote_(std::move(remote)),
      path_(std::move(path)),
      temp_(std::move(temp)),
      fd_(fd),
      size_(opts.size),
      mtime_(upload_mtime(opts)) {}

LocalUpload::~LocalUpload() {
  if (!done_) (void)abort();
}

Status LocalUpload::write_part(uint32_t part_number, uint64_t offset, const char* data,
                               size_t len) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) {
      return Status{Errc::invalid_argument,
                    "local '" + remote_ + "': " + path_ + ": part after commit/abort"};
    }
    if (part_number == 0 || !parts_.emplace(part_number, std::make_pair(offset, len)).second) {
      return Status{Errc::invalid_argument, "local '" + remote_ + "': " + path_ + ": part " +
                                                std::to_string(part_number) +
                                                " is invalid or written twice"};
    }
  }
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::pwrite(fd_, data + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      std::lock_guard<std::mutex> lock(mu_);
      parts_.erase(part_number);  // not written: commit() will see the gap
      return errno_status(remote_, "write", temp_, err);
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

Status LocalUpload::check_parts() const {
  if (whole_file_) return Status::OK();
  uint64_t expect_offset = 0;
  uint32_t expect_number = 1;
  for (const auto& [number, part] : parts_) {
    if (number != expect_number || part.first != expect_offset) {
      return Status{Errc::invalid_argument, "local '" + remote_ + "': " + path_ + ": part " +
                                                std::to_string(expect_number) + " at offset " +
                                                std::to_string(expect_offset) + " is missing"};
    }
    expect_offset += part.second;
    ++expect_number;
  }
  if (size_ && *size_ != expect_offset) {
    return Status{Errc::invalid_argument, "local '" + remote_ + "': " + path_ + ": parts hold " +
                                              std::to_string(expect_offset) + " bytes, expected " +
                                              std::to_string(*size_)};
  }
  return Status::OK();
}

Status LocalUpload::fail(Status s) {
  (void)abort();
  return s;
}

Result<ObjectInfo> LocalUpload::commit() {
  Status parts_ok;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) {
      return Status{Errc::invalid_argument,
                    "local '" + remote_ + "': " + path_ + ": commit after commit/abort"};
    }
    parts_ok = check_parts();
  }
  if (!parts_ok.ok()) return fail(parts_ok);
  if (::fsync(fd_) != 0) return fail(errno_status(remote_, "fsync", temp_, errno));
  if (mtime_) {
    Status s = set_mtime(remote_, temp_, fd_, *mtime_);
    if (!s.ok()) return fail(s);
  }
  struct stat st;
  if (::fstat(fd_, &st) != 0) return fail(errno_status(remote_, "stat", temp_, errno));
  if (::rename(temp_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    Status s = errno_status(remote_, "rename into", path_, err);
    if (err == EISDIR || err == ENOTEMPTY || err == EEXIST) s.code = Errc::conflict;
    return fail(s);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
  }
  ::close(fd_);
  fd_ = -1;
  CPSYNC_RETURN_IF_ERROR(fsync_dir(remote_, parent_dir(path_)));
  return info_from_stat(path_, st);
}

Status LocalUpload::abort() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (done_) return Status::OK();
    done_ = true;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (::unlink(temp_.c_str()) != 0 && errno != ENOENT) {
    return errno_status(remote_, "remove", temp_, errno);
  }
  return Status::OK();
}

int LocalUpload::fd_for_copy() {
  std::lock_guard<std::mutex> lock(mu_);
  whole_file_ = true;
  return fd_;
}

}  // namespace cpsync::local
