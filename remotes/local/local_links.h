// remotes/local/local_links.h — rclone's `--links` translation on the local remote: a
// symlink NAME is listed as an object NAME.rclonelink whose content is the link's target,
// and an object written to NAME.rclonelink becomes the symlink NAME (made under a temporary
// name and renamed into place, its mtime set on the link itself). Pure functions and
// single system calls; safe from any thread (a LinkUpload as any Upload).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::local {

inline constexpr std::string_view kLinkSuffix = ".rclonelink";

// key ends in ".rclonelink" and has a name before it.
bool is_link_key(std::string_view key);
// The symlink's path: key without the suffix.
std::string link_path(std::string_view key);

// The object a symlink stands for: key (with the suffix), size of the target text, the
// link's own mtime. not_found when link_path(key) is not a symlink.
Result<ObjectInfo> stat_link(std::string_view remote, const std::string& key);
// The link's target text.
Result<std::string> read_link(std::string_view remote, const std::string& key);
// Makes (or replaces) the symlink link_path(key) -> target, with mtime when given.
Result<ObjectInfo> make_link(std::string_view remote, const std::string& key,
                             const std::string& target, const UploadOptions& opts);

// An Upload of a .rclonelink object: parts are collected in memory (a link target is at
// most PATH_MAX bytes; more is invalid_argument) and commit() makes the link.
std::unique_ptr<Upload> make_link_upload(std::string remote, std::string key,
                                         const UploadOptions& opts);

}  // namespace cpsync::local
