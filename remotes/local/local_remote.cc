// remotes/local/local_remote.cc — the local remote: Remote on POSIX files (see
// local_remote.h and docs/remotes/local.md).
#include "remotes/local/local_remote.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <vector>

#include "conf/option_reader.h"
#include "core/part_size.h"
#include "remotes/local/local_links.h"
#include "remotes/local/local_list.h"
#include "remotes/local/local_path.h"
#include "remotes/local/local_upload.h"

namespace cpsync {
namespace {

constexpr OptionSpec kLocalOptions[] = {
    {.key = "skip_links",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "don't print a notice for each symlink skipped while listing"},
    {.key = "copy_links",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "follow symlinks and copy what they point to (the -L flag sets it for every "
             "local remote)"},
    {.key = "links",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "store symlinks as NAME.rclonelink objects holding the target, and make such "
             "objects symlinks again (the --links flag sets it for every local remote)"},
};

std::atomic<bool> g_copy_links{false}, g_links{false};  // the -L and --links flags

constexpr size_t kReadBlock = 256 * 1024;

Features local_features() {
  Features f;
  f.server_side_copy = true;     // copy_file_range into a temp file, then rename
  f.metadata_in_listing = true;  // the file mtime is the source mtime
  f.etag_is_md5 = false;
  f.buckets = false;
  f.presign = false;
  f.local_reads = true;
  // No provider limits: these only bound the arithmetic (parts are pwrite()n in place).
  f.parts = PartPolicy{0, 5 * kGiB, 1000000, 1000000 * 5 * kGiB, 5 * kGiB};
  return f;
}

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

class LocalRemote : public Remote {
 public:
  LocalRemote(std::string name, bool warn_links, bool copy_links, bool links)
      : name_(std::move(name)),
        features_(local_features()),
        warn_links_(warn_links),
        copy_links_(copy_links),
        links_(links) {}

  const Features& features() const override { return features_; }
  const std::string& name() const override { return name_; }
  std::string endpoint_id() const override { return "local"; }

  Status list(const ListRequest& req, const PageSink& sink) override {
    local::WalkOptions o;
    o.remote = name_;
    o.warn_links = warn_links_;
    o.copy_links = copy_links_;
    o.links = links_;
    return local::walk(o, req, sink);
  }

  Result<ObjectInfo> stat(const ObjectRef& ref) override {
    CPSYNC_RETURN_IF_ERROR(check(ref));
    if (link_key(ref.key)) return local::stat_link(name_, ref.key);
    struct stat st;
    if (::stat(ref.key.c_str(), &st) != 0) {
      return local::errno_status(name_, "stat", ref.key, errno);
    }
    if (!S_ISREG(st.st_mode)) return not_a_file(ref.key);
    return local::info_from_stat(ref.key, st);
  }

  Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) override {
    CPSYNC_RETURN_IF_ERROR(check(ref));
    if (link_key(ref.key)) return read_link_object(ref.key, range, sink);
    Fd f(::open(ref.key.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0) return local::errno_status(name_, "open", ref.key, errno);
    struct stat st;
    if (::fstat(f.fd, &st) != 0) return local::errno_status(name_, "stat", ref.key, errno);
    if (!S_ISREG(st.st_mode)) return not_a_file(ref.key);
    if (range.info) *range.info = local::info_from_stat(ref.key, st);
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    if (range.offset > size || (range.offset == size && size > 0)) {
      return Status{Errc::invalid_argument,
                    "local '" + name_ + "': read " + ref.key + ": range starts at " +
                        std::to_string(range.offset) + ", past the end (size " +
                        std::to_string(size) + ")"};
    }
    uint64_t end = size;
    if (range.length) end = std::min(size, range.offset + *range.length);
    (void)::posix_fadvise(f.fd, static_cast<off_t>(range.offset),
                          static_cast<off_t>(end - range.offset), POSIX_FADV_SEQUENTIAL);
    std::vector<char> buf(static_cast<size_t>(std::min<uint64_t>(kReadBlock, end - range.offset)));
    for (uint64_t pos = range.offset; pos < end;) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(buf.size(), end - pos));
      ssize_t n = ::pread(f.fd, buf.data(), want, static_cast<off_t>(pos));
      if (n < 0) {
        if (errno == EINTR) continue;
        return local::errno_status(name_, "read", ref.key, errno);
      }
      if (n == 0) {
        return Status{Errc::transient,
                      "local '" + name_ + "': read " + ref.key + ": file shrank while reading"};
      }
      CPSYNC_RETURN_IF_ERROR(sink(buf.data(), static_cast<size_t>(n)));
      pos += static_cast<uint64_t>(n);
    }
    return Status::OK();
  }

  Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                         const UploadOptions& opts) override {
    UploadOptions o = opts;
    o.size = len;
    if (link_key(ref.key)) {
      CPSYNC_RETURN_IF_ERROR(check(ref));
      return local::make_link(name_, ref.key, std::string(data, len), o);
    }
    CPSYNC_ASSIGN_OR_RETURN(auto up, begin(ref, o));
    if (len > 0) CPSYNC_RETURN_IF_ERROR(up->write_part(1, 0, data, len));
    return up->commit();
  }

  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                               const UploadOptions& opts) override {
    if (link_key(ref.key)) {
      CPSYNC_RETURN_IF_ERROR(check(ref));
      return local::make_link_upload(name_, ref.key, opts);
    }
    CPSYNC_ASSIGN_OR_RETURN(auto up, begin(ref, opts));
    return std::unique_ptr<Upload>(std::move(up));
  }

  Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                      const ObjectInfo& src_info) override {
    (void)src_info;
    CPSYNC_RETURN_IF_ERROR(check(src));
    CPSYNC_RETURN_IF_ERROR(check(dst));
    if (link_key(src.key)) {
      CPSYNC_ASSIGN_OR_RETURN(std::string target, local::read_link(name_, src.key));
      CPSYNC_ASSIGN_OR_RETURN(ObjectInfo info, local::stat_link(name_, src.key));
      UploadOptions opts;
      opts.mtime = info.mtime;
      return put(dst, target.data(), target.size(), opts);
    }
    Fd in(::open(src.key.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.fd < 0) return local::errno_status(name_, "open", src.key, errno);
    struct stat st;
    if (::fstat(in.fd, &st) != 0) return local::errno_status(name_, "stat", src.key, errno);
    if (!S_ISREG(st.st_mode)) return not_a_file(src.key);
    UploadOptions opts;
    opts.size = static_cast<uint64_t>(st.st_size);
    opts.mtime = local::mtime_of(st);
    CPSYNC_ASSIGN_OR_RETURN(auto up, begin(dst, opts));
    CPSYNC_RETURN_IF_ERROR(copy_fd(in.fd, up->fd_for_copy(), *opts.size, src.key));
    return up->commit();
  }

  Status remove(const ObjectRef& ref) override {
    CPSYNC_RETURN_IF_ERROR(check(ref));
    if (link_key(ref.key)) {
      if (!local::stat_link(name_, ref.key).ok()) return Status::OK();  // no such link
      const std::string path = local::link_path(ref.key);
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return local::errno_status(name_, "remove", path, errno);
      }
      return Status::OK();
    }
    if (::unlink(ref.key.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
      return local::errno_status(name_, "remove", ref.key, errno);
    }
    return Status::OK();
  }

  Status list_buckets(const PageSink& sink) override {
    (void)sink;
    return Status{Errc::not_supported,
                  "local '" + name_ + "': has no buckets; list a directory path instead"};
  }

  Status make_bucket(const std::string& dir) override {
    CPSYNC_RETURN_IF_ERROR(local::check_dir(name_, dir));
    return local::make_dirs(name_, dir);
  }

  Status remove_bucket(const std::string& dir) override {
    CPSYNC_RETURN_IF_ERROR(local::check_dir(name_, dir));
    if (::rmdir(dir.c_str()) != 0) return local::errno_status(name_, "rmdir", dir, errno);
    return Status::OK();
  }

 private:
  // With --links, NAME.rclonelink stands for the symlink NAME.
  bool link_key(const std::string& key) const { return links_ && local::is_link_key(key); }

  Status read_link_object(const std::string& key, const ByteRange& range, const DataSink& sink) {
    CPSYNC_ASSIGN_OR_RETURN(std::string target, local::read_link(name_, key));
    if (range.info) {
      auto info = local::stat_link(name_, key);
      if (info.ok()) *range.info = std::move(info).value();
    }
    if (range.offset > target.size() || (range.offset == target.size() && !target.empty())) {
      return Status{Errc::invalid_argument,
                    "local '" + name_ + "': read " + key + ": range past the end"};
    }
    const size_t len = range.length ? std::min<size_t>(*range.length, target.size() - range.offset)
                                    : target.size() - range.offset;
    if (len == 0) return Status::OK();
    return sink(target.data() + range.offset, len);
  }

  Status check(const ObjectRef& ref) const {
    if (!ref.bucket.empty()) {
      return Status{Errc::invalid_argument, "local '" + name_ + "': has no buckets (got \"" +
                                                ref.bucket + "\"); use an absolute path"};
    }
    return local::check_key(name_, ref.key);
  }

  Status not_a_file(const std::string& key) const {
    return Status{Errc::not_found, "local '" + name_ + "': " + key + ": not a regular file"};
  }

  Result<std::unique_ptr<local::LocalUpload>> begin(const ObjectRef& ref,
                                                    const UploadOptions& opts) {
    CPSYNC_RETURN_IF_ERROR(check(ref));
    return local::LocalUpload::start(name_, ref.key, opts);
  }

  // Copies size bytes in the kernel where it can (copy_file_range), else through a buffer.
  Status copy_fd(int in, int out, uint64_t size, const std::string& src) {
    loff_t in_off = 0, out_off = 0;
    while (static_cast<uint64_t>(in_off) < size) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(size - in_off, 1u << 30));
      ssize_t n = ::copy_file_range(in, &in_off, out, &out_off, want, 0);
      if (n > 0) continue;
      if (n == 0) break;  // source shrank; the commit reports what was copied
      if (errno == EINTR) continue;
      if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) {
        return local::errno_status(name_, "copy", src, errno);
      }
      std::vector<char> buf(1 << 20);
      while (static_cast<uint64_t>(in_off) < size) {
        ssize_t r = ::pread(in, buf.data(), buf.size(), in_off);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return local::errno_status(name_, "read", src, errno);
        if (r == 0) break;
        for (ssize_t w = 0; w < r;) {
          ssize_t k = ::pwrite(out, buf.data() + w, static_cast<size_t>(r - w), out_off);
          if (k < 0 && errno == EINTR) continue;
          if (k < 0) return local::errno_status(name_, "write copy of", src, errno);
          w += k, out_off += k;
        }
        in_off += r;
      }
    }
    if (static_cast<uint64_t>(out_off) != size) {
      return Status{Errc::conflict,
                    "local '" + name_ + "': copy " + src + ": source changed size while copying"};
    }
    return Status::OK();
  }

  const std::string name_;
  const Features features_;
  const bool warn_links_;
  const bool copy_links_;
  const bool links_;
};

}  // namespace

std::span<const OptionSpec> local_option_schema() {
  return kLocalOptions;
}

Result<std::unique_ptr<Remote>> make_local_remote(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(OptionReader r, OptionReader::open(section, kLocalOptions, "local"));
  CPSYNC_ASSIGN_OR_RETURN(bool skip_links, r.boolean("skip_links"));
  // -L / -l (set_local_link_flags) stand in for an absent copy_links / links key.
  CPSYNC_ASSIGN_OR_RETURN(bool copy_links, r.boolean("copy_links", g_copy_links.load()));
  CPSYNC_ASSIGN_OR_RETURN(bool links, r.boolean("links", g_links.load()));
  if (copy_links && links) {
    return section.error(
        "links", "copy_links and links exclude each other (local remote '" + section.name + "')");
  }
  return std::unique_ptr<Remote>(new LocalRemote(section.name, !skip_links, copy_links, links));
}

void set_local_link_flags(bool copy_links, bool links) {
  g_copy_links = copy_links;
  g_links = links;
}

}  // namespace cpsync
