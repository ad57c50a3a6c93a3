// remotes/local/local_list.h — the local remote's listing: a depth-first walk of the
// directory tree that yields files in strict UTF-8 byte order of the full path, page by
// page. Only the entries of the directories on the current path are held (each directory
// is read and sorted whole), never the whole tree. Stateless; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::local {

struct WalkOptions {
  std::string remote;       // the remote's name, for messages
  size_t page_size = 1000;  // entries per sink call
  bool warn_links = true;   // print a notice for each skipped symlink
  bool copy_links = false;  // -L: follow symlinks (to files and directories)
  bool links = false;       // --links: symlinks as NAME.rclonelink objects (local_links.h)
};

// Lists req.prefix (an absolute path prefix; it may end mid-name: "/data/fo" matches
// "/data/foo/x" and "/data/fob"). recursive: every regular file below; otherwise one
// level, directories as is_dir entries with a trailing '/'. Symlinks are followed
// (copy_links; a directory already on the walk's path is skipped with a notice, so a link to
// an ancestor cannot loop), listed as .rclonelink objects (links), or else skipped with a
// log_notice unless !warn_links. FIFOs, sockets and devices are skipped with a log_notice
// each; temporary files of uploads in progress are hidden. A missing directory is an empty
// listing.
// Sorting rule: a directory sorts as "name/", so "a-c" < "a/b" < "a0".
Status walk(const WalkOptions& o, const ListRequest& req, const PageSink& sink);

// FIFOs, sockets and devices (also symlinks to them with -L) skipped by the listings of this
// process so far, for the stats ("Skipped: N special files"). Thread-safe.
uint64_t special_files_skipped();

}  // namespace cpsync::local
