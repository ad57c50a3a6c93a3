// remotes/local/local_path.cc — see local_path.h.
#include "remotes/local/local_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <random>

#include "core/time_format.h"

namespace cpsync::local {
namespace {

constexpr std::string_view kTempTag = ".cpsync-tmp-";
constexpr size_t kNameMax = NAME_MAX;

std::string prefix(std::string_view remote) {
  return "local '" + std::string(remote) + "': ";
}

Status bad_key(std::string_view remote, std::string_view key, std::string_view why) {
  return Status{Errc::invalid_argument, prefix(remote) + "key \"" + std::string(key) +
                                            "\" cannot be a local file: " + std::string(why)};
}

// Shared rules for file keys and directories. Segments are checked one by one.
Status check_path(std::string_view remote, std::string_view p, bool allow_trailing_slash) {
  if (p.empty() || p[0] != '/') return bad_key(remote, p, "not an absolute path");
  if (p.find('\0') != std::string_view::npos) return bad_key(remote, p, "contains a NUL byte");
  if (p.size() > 1 && p.back() == '/') {
    if (!allow_trailing_slash) return bad_key(remote, p, "ends with '/'");
    p.remove_suffix(1);
  }
  if (p == "/") {
    return allow_trailing_slash ? Status::OK() : bad_key(remote, p, "is the root directory");
  }
  size_t pos = 1;
  while (pos <= p.size()) {
    size_t end = p.find('/', pos);
    if (end == std::string_view::npos) end = p.size();
    std::string_view seg = p.substr(pos, end - pos);
    if (seg.empty()) return bad_key(remote, p, "empty path segment (\"//\")");
    if (seg == "." || seg == "..") return bad_key(remote, p, "\".\" or \"..\" segment");
    if (seg.size() > kNameMax) {
      return bad_key(remote, p, "a name is longer than " + std::to_string(kNameMax) + " bytes");
    }
    pos = end + 1;
  }
  return Status::OK();
}

}  // namespace

Status check_key(std::string_view remote, std::string_view key) {
  return check_path(remote, key, false);
}

Status check_dir(std::string_view remote, std::string_view dir) {
  return check_path(remote, dir, true);
}

Status errno_status(std::string_view remote, std::string_view op, std::string_view path, int err) {
  Errc code = Errc::permanent;
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      code = Errc::not_found;
      break;
    case EACCES:
    case EPERM:
    case EROFS:
      code = Errc::access_denied;
      break;
    case EINVAL:
    case ENAMETOOLONG:
    case EISDIR:
    case ELOOP:
      code = Errc::invalid_argument;
      break;
    case EEXIST:
    case ENOTEMPTY:
      code = Errc::conflict;
      break;
    case EINTR:
    case EAGAIN:
      code = Errc::transient;
      break;
    default:
      break;
  }
  return Status{
      code, prefix(remote) + std::string(op) + " " + std::string(path) + ": " + std::strerror(err)};
}

namespace {
// A file where a directory should be: the key conflicts with what is on disk.
Status not_a_dir(std::string_view remote, const std::string& path) {
  Status s = errno_status(remote, "mkdir", path, ENOTDIR);
  s.code = Errc::conflict;
  return s;
}
}  // namespace

Status make_dirs(std::string_view remote, const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return Status::OK();
    return not_a_dir(remote, dir);
  }
  // Create each missing level from the top; a concurrent creator is fine (EEXIST).
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (::mkdir(part.c_str(), 0777) != 0 && errno != EEXIST) {
      return errno == ENOTDIR ? not_a_dir(remote, part)
                              : errno_status(remote, "mkdir", part, errno);
    }
  }
  if (::stat(dir.c_str(), &st) != 0) return errno_status(remote, "mkdir", dir, errno);
  if (!S_ISDIR(st.st_mode)) return not_a_dir(remote, dir);
  return Status::OK();
}

Status fsync_dir(std::string_view remote, const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status(remote, "open", dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  // Some file systems cannot fsync a directory (EINVAL); the rename itself has happened.
  if (rc != 0 && err != EINVAL) return errno_status(remote, "fsync", dir, err);
  return Status::OK();
}

std::string parent_dir(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string temp_path_for(std::string_view path) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  size_t slash = path.rfind('/');
  std::string_view dir = path.substr(0, slash + 1);
  std::string_view name = path.substr(slash + 1);
  const size_t room = kNameMax - 1 - kTempTag.size() - 16;
  if (name.size() > room) name = name.substr(0, room);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rng()));
  std::string out(dir);
  out += '.';
  out += name;
  out += kTempTag;
  out += hex;
  return out;
}

bool is_temp_name(std::string_view name) {
  if (name.size() < 1 + kTempTag.size() + 16 || name[0] != '.') return false;
  return name.substr(name.size() - 16 - kTempTag.size(), kTempTag.size()) == kTempTag;
}

std::optional<TimePoint> upload_mtime(const UploadOptions& opts) {
  if (opts.mtime) return opts.mtime;
  auto it = opts.metadata.find(kMetaMtime);
  if (it != opts.metadata.end()) return parse_unix_seconds(it->second);
  return std::nullopt;
}

Status set_mtime(std::string_view remote, const std::string& path, int fd, TimePoint t) {
  const int64_t ns = t.time_since_epoch().count();
  int64_t sec = ns / 1000000000, rem = ns % 1000000000;
  if (rem < 0) rem += 1000000000, sec -= 1;
  struct timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(sec);
  ts[0].tv_nsec = ts[1].tv_nsec = static_cast<long>(rem);
  if (::futimens(fd, ts) != 0) return errno_status(remote, "set mtime of", path, errno);
  return Status::OK();
}

TimePoint mtime_of(const struct stat& st) {
  return TimePoint(
      std::chrono::nanoseconds(int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec));
}

ObjectInfo info_from_stat(std::string key, const struct stat& st) {
  ObjectInfo info;
  info.key = std::move(key);
  info.size = static_cast<uint64_t>(st.st_size);
  info.mtime = mtime_of(st);
  info.mtime_from_metadata = true;  // the file's mtime is the source mtime itself
  info.metadata_known = true;
  info.metadata[kMetaMtime] = format_unix_seconds(info.mtime);
  return info;
}

}  // namespace cpsync::local
