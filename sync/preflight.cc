// sync/preflight.cc — source-root and overlap checks made before a run (see preflight.h).
#include "sync/preflight.h"

#include <filesystem>
#include <system_error>

#include "sync/filter.h"

namespace cpsync {
namespace {

// A root as the overlap test compares it: "" (the bucket) or a prefix ending in '/'.
// Local roots (absolute paths) are resolved through the symlinks of their existing parts.
std::string comparable_root(const SyncEndpoint& e) {
  std::string root = e.prefix;
  if (!e.remote->features().buckets && !root.empty()) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::weakly_canonical(root, ec);
    if (!ec) root = p.string();
  }
  if (!root.empty() && root.back() != '/') root += '/';
  return root;
}

}  // namespace

Status check_source_root(const SyncEndpoint& src) {
  // A remote without buckets is the local filesystem: its prefix is a path. Symlinks to
  // directories count as directories, as the walk follows them at the root.
  if (src.remote->features().buckets || src.prefix.empty()) return Status::OK();
  std::error_code ec;
  if (std::filesystem::is_directory(src.prefix, ec)) return Status::OK();
  if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
    return Status{Errc::permanent, src.display + ": " + ec.message()};
  return Status{Errc::not_found, src.display + ": directory not found"};
}

Status check_overlap(const SyncEndpoint& src, const SyncEndpoint& dst, const Filter* filter) {
  if (src.remote->endpoint_id().empty() || src.remote->endpoint_id() != dst.remote->endpoint_id() ||
      src.bucket != dst.bucket)
    return Status::OK();
  const std::string s = comparable_root(src), d = comparable_root(dst);
  const bool dst_in_src = d.starts_with(s), src_in_dst = s.starts_with(d);
  if (!dst_in_src && !src_in_dst) return Status::OK();
  // rclone's way out: the destination inside the source, excluded by the filter.
  if (dst_in_src && s != d && filter && filter->excludes_dir(d.substr(s.size())))
    return Status::OK();
  const std::string hint = dst_in_src && s != d ? d.substr(s.size()) : std::string("dir/");
  return Status{Errc::invalid_argument,
                "overlapping remotes: " + src.display + " and " + dst.display +
                    " lie one inside the other (exclude the destination with a filter rule, "
                    "e.g. --exclude '/" +
                    hint + "**')"};
}

}  // namespace cpsync
