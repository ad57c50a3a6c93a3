// cli/bucket_commands.cc — `mkdir` (make a bucket/container; local: mkdir -p), `rmdir`
// (remove an empty bucket/container or local directory) and `delete` (every object under a
// location that the filter flags admit, in batches through remove_many, streamed) and
// `purge` (everything under a location, filters ignored, then the bucket or directory).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <system_error>

#include <memory>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/remote_args.h"
#include "core/log.h"
#include "sync/filter.h"

namespace cpsync {
namespace {

constexpr size_t kDeleteBatch = 1000;  // DeleteObjects' limit on S3 and OSS

struct BucketArgs {
  std::string location;
  FilterOptions filter;
  bool dry_run = false;
};

Status needs_bucket(const Location& loc, const char* cmd) {
  return Status{Errc::invalid_argument, std::string(cmd) + ": " + loc.text() +
                                            " names no bucket (use " + loc.remote().name() +
                                            ":bucket)"};
}

// True when the bucket answers a listing (it exists and we may read it).
bool bucket_listable(const Location& loc) {
  ListRequest probe;
  probe.bucket = loc.r.bucket;
  probe.recursive = false;
  Status st = loc.remote().list(probe, [](std::vector<ObjectInfo>&) {
    return Status{Errc::cancelled, "probe done"};
  });
  return st.ok() || st.code == Errc::cancelled;
}

int run_mkdir(AppContext& ctx, const BucketArgs& a) {
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  if (loc->local()) {
    Status st = loc->remote().make_bucket(loc->r.prefix);
    return st.ok() ? kExitOk : ctx.fail(st);
  }
  if (loc->root()) return ctx.fail(needs_bucket(*loc, "mkdir"), kExitUsage);
  Status st = loc->remote().make_bucket(loc->r.bucket);
  // An existing bucket of ours is fine (rclone's mkdir is idempotent); one owned by
  // someone else is not.
  if (st.code == Errc::conflict && bucket_listable(*loc)) st = Status::OK();
  if (!st.ok()) return ctx.fail(st);
  // Object stores have no directories: a path below the bucket needs nothing more.
  log_info(loc->text() + ": bucket ready");
  return kExitOk;
}

int run_rmdir(AppContext& ctx, const BucketArgs& a) {
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  if (loc->local()) {
    Status st = loc->remote().remove_bucket(loc->r.prefix);
    if (st.code == Errc::not_found) return ctx.fail(st, kExitDirNotFound);
    return st.ok() ? kExitOk : ctx.fail(st);
  }
  if (loc->root()) return ctx.fail(needs_bucket(*loc, "rmdir"), kExitUsage);
  if (!loc->r.prefix.empty()) {
    // A "directory" inside a bucket exists only through its objects: nothing to remove
    // when it is empty, an error when it is not.
    bool empty = true;
    WalkOptions o;
    o.recursive = false;
    Status st = walk(*loc, o, [&](const ObjectInfo&, std::string_view) {
      empty = false;
      return Status{Errc::cancelled, "probe done"};
    });
    if (!st.ok() && st.code != Errc::cancelled) return ctx.fail(st);
    if (!empty) {
      return ctx.fail(Status{Errc::conflict, "rmdir: " + loc->text() + ": directory not empty"});
    }
    return kExitOk;
  }
  Status st = loc->remote().remove_bucket(loc->r.bucket);
  if (!st.ok()) return ctx.fail(st);
  log_info(loc->text() + ": bucket removed");
  return kExitOk;
}

int run_delete(AppContext& ctx, const BucketArgs& a) {
  auto filter = Filter::build(a.filter, std::chrono::time_point_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now()));
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  if (loc->root()) return ctx.fail(needs_bucket(*loc, "delete"), kExitUsage);
  const std::string bucket = loc->r.bucket;
  std::vector<std::string> batch;
  uint64_t deleted = 0, bytes = 0;
  auto flush = [&]() -> Status {
    if (batch.empty() || a.dry_run) return Status::OK();
    CPSYNC_RETURN_IF_ERROR(loc->remote().remove_many(bucket, batch));
    deleted += batch.size();
    batch.clear();
    return Status::OK();
  };
  WalkOptions o;
  o.recursive = a.filter.max_depth != 1;
  Status st = walk(*loc, o, [&](const ObjectInfo& info, std::string_view rel) -> Status {
    if (info.is_dir || !filter->include(rel, info.size, info.mtime)) return Status::OK();
    if (a.dry_run) {
      log_notice(std::string(rel) + ": skipped delete as --dry-run is set");
      ++deleted;
      bytes += info.size;
      return Status::OK();
    }
    batch.push_back(info.key);
    bytes += info.size;
    if (batch.size() >= kDeleteBatch) return flush();
    return Status::OK();
  });
  if (st.ok()) st = flush();
  if (!st.ok()) return ctx.fail(st);
  log_info(loc->text() + ": " + (a.dry_run ? "would delete " : "deleted ") +
           std::to_string(deleted) + " objects (" + human_size(bytes) + ")");
  return kExitOk;
}

// purge: rclone's — every object under the location whatever the filters say, then the
// bucket (a location naming one) or the local directory itself. Below a bucket, the
// "directory" is gone with its objects.
int run_purge(AppContext& ctx, const BucketArgs& a) {
  auto filter = Filter::build(a.filter, std::chrono::time_point_cast<std::chrono::nanoseconds>(
                                            std::chrono::system_clock::now()));
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  if (filter->active()) {
    ctx.warn(
        "purge ignores the filter flags and deletes everything under the path, as "
        "rclone's does (use delete to choose objects)");
  }
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  if (loc->root()) return ctx.fail(needs_bucket(*loc, "purge"), kExitUsage);
  if (loc->local()) {
    // rclone's local purge removes the whole tree (os.RemoveAll): links and special files too.
    const std::string& dir = loc->r.prefix;
    std::error_code ec;
    const auto status = std::filesystem::symlink_status(dir, ec);
    if (ec || !std::filesystem::is_directory(status)) {
      return ctx.fail(Status{Errc::not_found, loc->text() + ": directory not found"},
                      kExitDirNotFound);
    }
    if (dir == "/") return ctx.fail({Errc::invalid_argument, "purge: refusing to purge /"});
    if (a.dry_run) {
      log_notice(loc->text() + ": skipped purge as --dry-run is set");
      return kExitOk;
    }
    const auto removed = std::filesystem::remove_all(dir, ec);
    if (ec) {
      return ctx.fail(Status{Errc::permanent, "purge " + loc->text() + ": " + ec.message()});
    }
    log_info(loc->text() + ": purged " + std::to_string(removed) + " files and directories");
    return kExitOk;
  }
  const std::string bucket = loc->r.bucket;
  std::vector<std::string> batch;
  uint64_t deleted = 0, bytes = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::OK();
    CPSYNC_RETURN_IF_ERROR(loc->remote().remove_many(bucket, batch));
    deleted += batch.size();
    batch.clear();
    return Status::OK();
  };
  WalkOptions o;
  o.recursive = true;
  Status st = walk(*loc, o, [&](const ObjectInfo& info, std::string_view rel) -> Status {
    if (info.is_dir) return Status::OK();
    bytes += info.size;
    if (a.dry_run) {
      log_notice(std::string(rel) + ": skipped delete as --dry-run is set");
      return Status::OK();
    }
    batch.push_back(info.key);
    return batch.size() >= kDeleteBatch ? flush() : Status::OK();
  });
  if (st.ok()) st = flush();
  if (!st.ok()) return ctx.fail(st);
  if (loc->r.prefix.empty() && !a.dry_run) {
    st = loc->remote().remove_bucket(bucket);
    if (!st.ok()) return ctx.fail(st.with_context("purge: remove bucket"));
  }
  log_info(loc->text() + ": " + (a.dry_run ? "would purge " : "purged ") + std::to_string(deleted) +
           " objects (" + human_size(bytes) + ")" +
           (loc->r.prefix.empty() ? " and the bucket" : ""));
  return kExitOk;
}

}  // namespace

void add_bucket_commands(CLI::App& app, AppContext& ctx) {
  {
    auto a = std::make_shared<BucketArgs>();
    auto* cmd = app.add_subcommand(
        "mkdir", "Make a bucket/container (local: the directory and its parents)");
    cmd->add_option("remote", a->location, "remote:bucket or a local path")->required();
    on_run(cmd, ctx, [&ctx, a] { return run_mkdir(ctx, *a); });
  }
  {
    auto a = std::make_shared<BucketArgs>();
    auto* cmd =
        app.add_subcommand("rmdir", "Remove an empty bucket/container (local: an empty directory)");
    cmd->add_option("remote", a->location, "remote:bucket or a local path")->required();
    on_run(cmd, ctx, [&ctx, a] { return run_rmdir(ctx, *a); });
  }
  {
    auto a = std::make_shared<BucketArgs>();
    auto* cmd = app.add_subcommand(
        "delete", "Delete the objects under the path that the filters admit (batched)");
    cmd->add_option("remote", a->location, "remote:bucket/prefix or a local path")->required();
    cmd->add_flag("-n,--dry-run", a->dry_run, "Only say what would be deleted");
    add_filter_flags(*cmd, a->filter);
    on_run(cmd, ctx, [&ctx, a] { return run_delete(ctx, *a); });
  }
  {
    auto a = std::make_shared<BucketArgs>();
    auto* cmd =
        app.add_subcommand("purge",
                           "Delete everything under the path, filters ignored, and the bucket or "
                           "directory itself");
    cmd->add_option("remote", a->location, "remote:bucket[/prefix] or a local path")->required();
    cmd->add_flag("-n,--dry-run", a->dry_run, "Only say what would be deleted");
    add_filter_flags(*cmd, a->filter);  // accepted for rclone scripts, ignored with a warning
    on_run(cmd, ctx, [&ctx, a] { return run_purge(ctx, *a); });
  }
}

}  // namespace cpsync
