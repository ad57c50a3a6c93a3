// remotes/local/local_path.h — helpers of the local remote: which keys can exist as files,
// errno to Status, mkdir -p, temporary names, mtimes, and ObjectInfo from struct stat.
// Pure functions or single system calls; safe from any thread.
#pragma once

#include <sys/stat.h>

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::local {

// A key is an absolute path naming a file: starts with '/', no trailing '/', no empty
// ("//"), "." or ".." segment, no NUL byte, no segment longer than NAME_MAX (255) bytes.
// Otherwise Errc::invalid_argument naming the remote, the key and the rule it breaks.
Status check_key(std::string_view remote, std::string_view key);
// Same rules for a directory path (make_bucket/remove_bucket); a trailing '/' is allowed.
Status check_dir(std::string_view remote, std::string_view dir);

// "local 'name': open /a/b: No such file or directory", with the Errc errno maps to.
Status errno_status(std::string_view remote, std::string_view op, std::string_view path, int err);

// mkdir -p of dir (absolute). Existing directories are fine.
Status make_dirs(std::string_view remote, const std::string& dir);
// fsync of a directory, so a rename in it is durable. Best effort errors are reported.
Status fsync_dir(std::string_view remote, const std::string& dir);

// The directory part of an absolute path, without trailing '/' (but "/" for the root).
std::string parent_dir(std::string_view path);

// A fresh temporary name in the same directory as path:
// "<dir>/.<name>.cpsync-tmp-<16 hex>" (name shortened so the result fits in NAME_MAX).
std::string temp_path_for(std::string_view path);
// True for names made by temp_path_for (they are hidden from listings).
bool is_temp_name(std::string_view name);

// The mtime an upload should set: opts.mtime, else metadata "mtime" (fractional unix
// seconds, rclone's form), else nullopt (leave the write time).
std::optional<TimePoint> upload_mtime(const UploadOptions& opts);
// futimens(fd) to t (atime = mtime = t).
Status set_mtime(std::string_view remote, const std::string& path, int fd, TimePoint t);

TimePoint mtime_of(const struct stat& st);
// ObjectInfo of a regular file: size, mtime (ns), metadata {"mtime": ...}, no etag/md5.
ObjectInfo info_from_stat(std::string key, const struct stat& st);

}  // namespace cpsync::local
