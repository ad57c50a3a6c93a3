// remotes/local/local_list.cc — see local_list.h.
#include "remotes/local/local_list.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <vector>

#include "core/log.h"
#include "remotes/local/local_links.h"
#include "remotes/local/local_path.h"

namespace cpsync::local {
namespace {

std::atomic<uint64_t> g_special_skipped{0};

struct Entry {
  std::string sort_name;  // name, plus '/' for a directory, ".rclonelink" for a link object
  bool is_dir = false;
  bool is_link = false;  // a symlink listed as a .rclonelink object (--links)
};

struct Frame {
  std::string dir;  // absolute, with trailing '/'
  std::vector<Entry> entries;
  size_t next = 0;
  dev_t dev = 0;  // the directory's identity, for -L's loop check
  ino_t ino = 0;
};

const char* special_kind(unsigned char type) {
  switch (type) {
    case DT_FIFO:
      return "a FIFO";
    case DT_SOCK:
      return "a socket";
    case DT_CHR:
      return "a character device";
    case DT_BLK:
      return "a block device";
  }
  return "not a regular file";
}

unsigned char type_of(mode_t m) {
  return S_ISDIR(m)    ? DT_DIR
         : S_ISREG(m)  ? DT_REG
         : S_ISLNK(m)  ? DT_LNK
         : S_ISFIFO(m) ? DT_FIFO
         : S_ISSOCK(m) ? DT_SOCK
         : S_ISCHR(m)  ? DT_CHR
         : S_ISBLK(m)  ? DT_BLK
                       : DT_UNKNOWN;
}

// Reads one directory: the names starting with `only`, as files or directories, sorted.
// A directory that is missing (or vanished during the walk) reads as empty.
Status read_dir(const WalkOptions& o, const std::string& dir, std::string_view only,
                std::vector<Entry>& out) {
  out.clear();
  DIR* d = ::opendir(dir.c_str());
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
    return errno_status(o.remote, "list", dir, errno);
  }
  Status st;
  errno = 0;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (name == "." || name == ".." || !name.starts_with(only) || is_temp_name(name)) continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat sb;
      if (::fstatat(::dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone
      type = type_of(sb.st_mode);
    }
    if (type == DT_LNK && o.links) {
      out.push_back({std::string(name) + std::string(kLinkSuffix), false, true});
    } else if (type == DT_LNK && o.copy_links) {
      struct stat sb;
      if (::fstatat(::dirfd(d), e->d_name, &sb, 0) != 0) {
        log_notice("local '" + o.remote + "': " + dir + e->d_name +
                   ": symlink skipped (its target is missing)");
      } else if (S_ISDIR(sb.st_mode)) {
        out.push_back({std::string(name) + '/', true});
      } else if (S_ISREG(sb.st_mode)) {
        out.push_back({std::string(name), false});
      } else {
        ++g_special_skipped;
        log_notice("local '" + o.remote + "': " + dir + e->d_name + ": skipped (links to " +
                   special_kind(type_of(sb.st_mode)) + ")");
      }
    } else if (type == DT_LNK) {
      if (o.warn_links) {
        log_notice("local '" + o.remote + "': " + dir + e->d_name +
                   ": symlink skipped (not followed; -L follows, --links stores it)");
      }
    } else if (type == DT_DIR) {
      out.push_back({std::string(name) + '/', true});
    } else if (type == DT_REG) {
      out.push_back({std::string(name), false});
    } else {
      ++g_special_skipped;
      log_notice("local '" + o.remote + "': " + dir + e->d_name + ": skipped (" +
                 special_kind(type) + ")");
    }
    errno = 0;
  }
  if (errno != 0) st = errno_status(o.remote, "list", dir, errno);
  ::closedir(d);
  // std::string compares as unsigned char: UTF-8 byte order.
  std::sort(out.begin(), out.end(),
            [](const Entry& a, const Entry& b) { return a.sort_name < b.sort_name; });
  return st;
}

}  // namespace

Status walk(const WalkOptions& o, const ListRequest& req, const PageSink& sink) {
  if (!req.bucket.empty()) {
    return Status{Errc::invalid_argument,
                  "local '" + o.remote + "': has no buckets; list an absolute path"};
  }
  const std::string prefix = req.prefix.empty() ? "/" : req.prefix;
  if (prefix[0] != '/' || prefix.find('\0') != std::string::npos) {
    return Status{Errc::invalid_argument, "local '" + o.remote + "': list prefix \"" + prefix +
                                              "\" is not an absolute path"};
  }
  const std::string& after = req.start_after;
  const size_t slash = prefix.rfind('/');

  std::vector<Frame> stack(1);
  stack[0].dir = prefix.substr(0, slash + 1);
  if (struct stat sb; o.copy_links && ::stat(stack[0].dir.c_str(), &sb) == 0) {
    stack[0].dev = sb.st_dev, stack[0].ino = sb.st_ino;
  }
  CPSYNC_RETURN_IF_ERROR(read_dir(o, stack[0].dir, prefix.substr(slash + 1), stack[0].entries));

  std::vector<ObjectInfo> page;
  page.reserve(std::min<size_t>(o.page_size, 1024));
  auto flush = [&]() -> Status {
    if (page.empty()) return Status::OK();
    Status s = sink(page);
    page.clear();
    return s;
  };

  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next == f.entries.size()) {
      stack.pop_back();
      continue;
    }
    const Entry& e = f.entries[f.next++];
    std::string key = f.dir + e.sort_name;
    if (e.is_dir) {
      // Every key below starts with "dir/": skip the subtree if all of it is <= after.
      if (!after.empty() && key < after && !after.starts_with(key)) continue;
      if (req.recursive) {
        Frame child;
        child.dir = std::move(key);
        if (o.copy_links) {
          struct stat sb;
          if (::stat(child.dir.c_str(), &sb) != 0) continue;  // gone
          child.dev = sb.st_dev, child.ino = sb.st_ino;
          const bool loop = std::any_of(stack.begin(), stack.end(), [&](const Frame& up) {
            return up.dev == child.dev && up.ino == child.ino;
          });
          if (loop) {
            log_notice("local '" + o.remote + "': " + child.dir +
                       ": symlinked directory skipped (it loops back to a parent)");
            continue;
          }
        }
        CPSYNC_RETURN_IF_ERROR(read_dir(o, child.dir, "", child.entries));
        stack.push_back(std::move(child));  // invalidates f and e
        continue;
      }
      if (!after.empty() && key <= after) continue;
      ObjectInfo d;
      d.key = std::move(key);
      d.is_dir = true;
      page.push_back(std::move(d));
    } else {
      if (!after.empty() && key <= after) continue;
      if (e.is_link) {
        auto link = stat_link(o.remote, key);
        if (!link.ok()) {
          if (link.status().code == Errc::not_found) continue;  // gone or replaced
          return link.status();
        }
        page.push_back(std::move(link).value());
        if (page.size() >= o.page_size) CPSYNC_RETURN_IF_ERROR(flush());
        continue;
      }
      struct stat sb;
      const int rc = o.copy_links ? ::stat(key.c_str(), &sb) : ::lstat(key.c_str(), &sb);
      if (rc != 0) {
        if (errno == ENOENT) continue;  // removed since the directory was read
        return errno_status(o.remote, "stat", key, errno);
      }
      if (!S_ISREG(sb.st_mode)) continue;
      page.push_back(info_from_stat(std::move(key), sb));
    }
    if (page.size() >= o.page_size) CPSYNC_RETURN_IF_ERROR(flush());
  }
  return flush();
}

uint64_t special_files_skipped() {
  return g_special_skipped.load();
}

}  // namespace cpsync::local
