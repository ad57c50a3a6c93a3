// remotes/local/local_links.cc — symlinks as .rclonelink objects (see local_links.h).
#include "remotes/local/local_links.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <mutex>

#include "remotes/local/local_path.h"

namespace cpsync::local {

bool is_link_key(std::string_view key) {
  if (!key.ends_with(kLinkSuffix)) return false;
  const std::string_view stem = key.substr(0, key.size() - kLinkSuffix.size());
  return !stem.empty() && stem.back() != '/';
}

std::string link_path(std::string_view key) {
  return std::string(key.substr(0, key.size() - kLinkSuffix.size()));
}

Result<ObjectInfo> stat_link(std::string_view remote, const std::string& key) {
  const std::string path = link_path(key);
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return errno_status(remote, "stat", path, errno);
  if (!S_ISLNK(st.st_mode)) {
    return Status{Errc::not_found,
                  "local '" + std::string(remote) + "': " + path + ": not a symlink"};
  }
  return info_from_stat(key, st);
}

Result<std::string> read_link(std::string_view remote, const std::string& key) {
  const std::string path = link_path(key);
  std::string target(PATH_MAX, '\0');
  const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
  if (n < 0) {
    Status s = errno_status(remote, "readlink", path, errno);
    if (errno == EINVAL) s.code = Errc::not_found;  // not a symlink
    return s;
  }
  target.resize(static_cast<size_t>(n));
  return target;
}

Result<ObjectInfo> make_link(std::string_view remote, const std::string& key,
                             const std::string& target, const UploadOptions& opts) {
  const std::string path = link_path(key);
  if (target.empty() || target.find('\0') != std::string::npos) {
    return Status{Errc::invalid_argument, "local '" + std::string(remote) + "': " + key +
                                              ": not a link target (empty or with a NUL byte)"};
  }
  CPSYNC_RETURN_IF_ERROR(make_dirs(remote, parent_dir(path)));
  const std::string temp = temp_path_for(path);
  if (::symlink(target.c_str(), temp.c_str()) != 0) {
    return errno_status(remote, "symlink", temp, errno);
  }
  if (auto mtime = upload_mtime(opts)) {
    int64_t sec = mtime->time_since_epoch().count() / 1000000000;
    int64_t nsec = mtime->time_since_epoch().count() % 1000000000;
    if (nsec < 0) nsec += 1000000000, --sec;
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(sec);
    ts[0].tv_nsec = ts[1].tv_nsec = static_cast<long>(nsec);
    (void)::utimensat(AT_FDCWD, temp.c_str(), ts, AT_SYMLINK_NOFOLLOW);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status s = errno_status(remote, "rename into", path, errno);
    (void)::unlink(temp.c_str());
    return s;
  }
  return stat_link(remote, key);
}

namespace {

class LinkUpload : public Upload {
 public:
  LinkUpload(std::string remote, std::string key, const UploadOptions& opts)
      : remote_(std::move(remote)), key_(std::move(key)), opts_(opts) {}

  Status write_part(uint32_t part_number, uint64_t offset, const char* data, size_t len) override {
    if (offset + len > PATH_MAX) {
      return Status{Errc::invalid_argument,
                    "local '" + remote_ + "': " + key_ + ": a link target longer than PATH_MAX"};
    }
    std::lock_guard lock(mu_);
    parts_[part_number] = std::string(data, len);
    return Status::OK();
  }

  Result<ObjectInfo> commit() override {
    std::string target;
    {
      std::lock_guard lock(mu_);
      for (const auto& [n, bytes] : parts_) target += bytes;
    }
    return make_link(remote_, key_, target, opts_);
  }

  Status abort() override {
    std::lock_guard lock(mu_);
    parts_.clear();
    return Status::OK();
  }

 private:
  const std::string remote_, key_;
  const UploadOptions opts_;
  std::mutex mu_;
  std::map<uint32_t, std::string> parts_;
};

}  // namespace

std::unique_ptr<Upload> make_link_upload(std::string remote, std::string key,
                                         const UploadOptions& opts) {
  return std::make_unique<LinkUpload>(std::move(remote), std::move(key), opts);
}

}  // namespace cpsync::local
