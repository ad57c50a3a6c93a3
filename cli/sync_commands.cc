// cli/sync_commands.cc — `cpsync copy|sync|move|check SRC DST`: flags, remote resolution,
// the run itself (sync/engine.h), progress and the final stats.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <ostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/filter_flags.h"
#include "cli/interactive.h"
#include "cli/metadata_flags.h"
#include "cli/queue_flags.h"
#include "cli/remote_args.h"
#include "cli/shard_flags.h"
#include "cli/stats_output.h"
#include "core/log.h"
#include "core/retry.h"
#include "core/units.h"
#include "remotes/resolve.h"
#include "sync/backup_dir.h"
#include "sync/bandwidth_limiter.h"
#include "sync/engine.h"
#include "sync/filter.h"
#include "sync/inventory/inventory_check.h"
#include "sync/inventory/s3_inventory.h"
#include "sync/job.h"
#include "sync/parallel_listing.h"
#include "sync/transfer_pool.h"
#include "sync/upload_sizes.h"

namespace cpsync {
namespace {

struct SyncFlags {
  bool dry_run = false;
  bool checksum = false, size_only = false, update = false, ignore_existing = false;
  std::string modify_window = "1ms";
  int transfers = 4, checkers = 8, streams = 4;
  int max_transfers = kDefaultMaxTransfers;
  const CLI::Option* transfers_opt = nullptr;  // given: a fixed width unless --max-transfers
  const CLI::Option* max_transfers_opt = nullptr;
  int list_parallel = kDefaultListParallel;
  std::string chunk_size, upload_cutoff;  // "" = the destination remote's keys
  int64_t max_delete = -1;
  bool allow_empty_source = false;
  std::string max_transfer;       // rclone size: a bare number is KiB
  std::string max_buffer_memory;  // "" = chunk x streams x transfers
  bool error_on_no_transfer = false;
  bool fast_list = false;  // accepted for rclone scripts: listings are whole already
  bool interactive = false;
  bool no_server_side_copy = false;
  std::string state_dir;
  bool no_state = false;
  bool progress = false;
  int retries = 3;
  int low_level_retries = 10;
  bool one_way = false, download = false;  // check
  std::string bwlimit;
  std::string backup_dir, suffix;
  FilterOptions filter;
  MetadataFlags meta;
  ShardFlags shard;
  QueueFlags queue;
  std::string source_inventory;  // REMOTE:bucket/path/manifest.json
  bool check_inventory = false;
};

JobSide side_of(const ResolvedRemote& r) {
  return JobSide{r.remote.get(), r.bucket, r.prefix, r.spec.text};
}

int run(AppContext& ctx, SyncMode mode, const std::string& src_text, const std::string& dst_text,
        SyncFlags& f) {
  auto cfg = ctx.config();
  if (!cfg.ok()) return ctx.fail(cfg.status(), kExitFatal);
  auto src = resolve_remote(src_text, **cfg, ctx.registry());
  if (!src.ok()) return ctx.fail(src.status(), resolve_exit_code(src.status()));
  auto dst = resolve_remote(dst_text, **cfg, ctx.registry());
  if (!dst.ok()) return ctx.fail(dst.status(), resolve_exit_code(dst.status()));
  if (src->bucket.empty() && src->remote->features().buckets)
    return ctx.fail(
        {Errc::invalid_argument, src_text + ": name a bucket, e.g. " + src_text + "bucket"},
        kExitUsage);
  if (dst->bucket.empty() && dst->remote->features().buckets)
    return ctx.fail(
        {Errc::invalid_argument, dst_text + ": name a bucket, e.g. " + dst_text + "bucket"},
        kExitUsage);

  SyncOptions o;
  o.mode = mode;
  if (f.checksum && f.size_only)
    return ctx.fail({Errc::invalid_argument, "--checksum and --size-only exclude each other"},
                    kExitUsage);
  o.compare.mode = f.checksum    ? CompareMode::checksum
                   : f.size_only ? CompareMode::size_only
                                 : CompareMode::size_mtime;
  // check compares MD5s where both sides know one (local files are hashed), as rclone's
  // check does; size and mtime decide the rest.
  if (mode == SyncMode::check && !f.checksum && !f.size_only) {
    o.compare.mode = CompareMode::checksum;
    o.compare.cheap_hashes_only = true;
  }
  o.compare.update = f.update;
  o.compare.ignore_existing = f.ignore_existing;
  auto window = parse_duration(f.modify_window);
  if (!window.ok()) return ctx.fail(window.status().with_context("--modify-window"), kExitUsage);
  o.compare.modify_window = *window;
  if (f.max_transfers < 0)
    return ctx.fail({Errc::invalid_argument,
                     "--max-transfers must be 0 or more (0: --transfers at once, fixed)"},
                    kExitUsage);
  if (f.transfers < 1 || f.checkers < 1 || f.streams < 1 || f.list_parallel < 1)
    return ctx.fail({Errc::invalid_argument,
                     "--transfers, --checkers, --multi-thread-streams and --list-parallel must "
                     "be at least 1"},
                    kExitUsage);
  auto size_flags = parse_upload_size_flags(f.chunk_size, f.upload_cutoff);
  if (!size_flags.ok()) return ctx.fail(size_flags.status(), kExitUsage);
  if (f.max_delete < -1)
    return ctx.fail(
        {Errc::invalid_argument, "--max-delete " + std::to_string(f.max_delete) +
                                     ": use 0 or more (-1, the default, means no limit)"},
        kExitUsage);
  auto filter = Filter::build(f.filter, std::chrono::system_clock::now());
  if (!filter.ok()) return ctx.fail(filter.status(), kExitUsage);
  o.filter = &*filter;
  for (const std::string& rule : filter->describe()) log_debug("filter: " + rule);
  o.dry_run = f.dry_run;
  o.max_delete = f.max_delete;
  o.allow_empty_source = f.allow_empty_source;
  if (!f.max_transfer.empty()) {
    auto limit = parse_size(f.max_transfer);
    if (!limit.ok()) return ctx.fail(limit.status().with_context("--max-transfer"), kExitUsage);
    o.max_transfer = static_cast<int64_t>(*limit);
  }
  auto shard = choose_shard(f.shard, ctx.env());
  if (!shard.ok()) return ctx.fail(shard.status(), kExitUsage);
  o.range = shard->range;
  o.shard_label = shard->label;
  if (!shard->label.empty()) log_info(shard->label + ": keys " + shard->range.describe());
  o.transfers = f.transfers;
  // rclone's --transfers N is N at once: only the default, or --max-transfers, adapts.
  const bool fixed =
      mode == SyncMode::check || (f.transfers_opt && f.transfers_opt->count() > 0 &&
                                  !(f.max_transfers_opt && f.max_transfers_opt->count() > 0));
  o.max_transfers = fixed ? 0 : f.max_transfers;
  o.checkers = f.checkers;
  o.list_parallel = f.list_parallel;
  o.one_way = f.one_way;
  o.download = f.download;

  // One pool for the whole run, sized from the destination's part size: chunk x streams x
  // transfers. Single PUTs stay inside it too (transfer.h).
  const UploadSizes sizes = upload_sizes(*size_flags, dst->remote->features());
  const uint64_t chunk = sizes.chunk_size;
  // --max-buffer-memory (rclone's flag) caps it: transfers then wait for buffers.
  uint64_t buffers = chunk * static_cast<uint64_t>(f.streams) * static_cast<uint64_t>(f.transfers);
  if (!f.max_buffer_memory.empty()) {
    auto cap = parse_size(f.max_buffer_memory);
    if (!cap.ok()) return ctx.fail(cap.status().with_context("--max-buffer-memory"), kExitUsage);
    if (*cap < chunk)
      return ctx.fail({Errc::invalid_argument, "--max-buffer-memory " + f.max_buffer_memory +
                                                   " is below one part (" + std::to_string(chunk) +
                                                   " bytes): give at least the part size"},
                      kExitUsage);
    buffers = std::min(buffers, *cap);
  }
  BufferPool pool(static_cast<size_t>(buffers), static_cast<size_t>(chunk));
  o.transfer.chunk_size = chunk;
  o.transfer.upload_cutoff = sizes.upload_cutoff;
  o.transfer.server_side_block = sizes.server_side_block;
  log_debug("uploads: parts of " + std::to_string(chunk) + " bytes, one PUT up to " +
            std::to_string(std::min<uint64_t>(sizes.upload_cutoff, pool.budget())) +
            " bytes, buffers " + std::to_string(pool.budget()) + " bytes");
  o.transfer.streams = f.streams;
  o.transfer.server_side_copy = !f.no_server_side_copy;
  o.transfer.pool = &pool;
  // --low-level-retries: the tries of every request, in the remotes' one send path (which
  // reads the default policy); nothing above it retries a request again.
  if (f.low_level_retries < 1)
    return ctx.fail({Errc::invalid_argument, "--low-level-retries must be at least 1"}, kExitUsage);
  RetryPolicy retry = default_retry_policy();
  retry.max_attempts = f.low_level_retries;
  set_default_retry_policy(retry);
  auto meta = metadata_policy(f.meta);
  if (!meta.ok()) return ctx.fail(meta.status(), kExitUsage);
  o.transfer.metadata = std::move(meta).value();

  std::unique_ptr<BandwidthLimiter> bw_up, bw_down;
  if (!f.bwlimit.empty()) {
    auto limits = parse_bwlimit(f.bwlimit);
    if (!limits.ok()) return ctx.fail(limits.status(), kExitUsage);
    if (limits->up) bw_up = std::make_unique<BandwidthLimiter>(limits->up);
    if (limits->down) bw_down = std::make_unique<BandwidthLimiter>(limits->down);
    o.transfer.bw_up = bw_up.get();
    o.transfer.bw_down = bw_down.get();
  }

  Result<ResolvedRemote> backup_remote = Status{Errc::not_found, "no --backup-dir"};
  BackupTarget backup;
  if (!f.backup_dir.empty()) {
    backup_remote = resolve_remote(f.backup_dir, **cfg, ctx.registry());
    if (!backup_remote.ok())
      return ctx.fail(backup_remote.status().with_context("--backup-dir"), kExitUsage);
    backup.where = directory_endpoint(side_of(*backup_remote));
    backup.suffix = f.suffix;
    Status ok = check_backup_dir(directory_endpoint(side_of(*dst)), backup.where);
    if (!ok.ok()) return ctx.fail(ok, kExitUsage);
    o.backup = &backup;
  } else if (!f.suffix.empty()) {
    return ctx.fail({Errc::invalid_argument, "--suffix needs --backup-dir"}, kExitUsage);
  }
  InteractivePrompt prompt(std::cin, ctx.err);
  if (f.interactive && !f.dry_run)
    o.confirm = [&prompt](std::string_view action, const std::string& key) {
      return prompt(action, key);
    };

  JobRequest request;
  request.src = side_of(*src);
  request.dst = side_of(*dst);
  request.options = std::move(o);
  request.retries = f.retries;
  request.use_state = !f.no_state && f.queue.role != "worker";
  request.state_dir = f.state_dir;
  SyncJob job(std::move(request));
  std::string warning;
  Status prepared = job.prepare(&warning);
  if (!prepared.ok()) return ctx.fail(prepared, kExitUsage);
  if (!warning.empty()) ctx.warn(warning);

  // --source-inventory: the source's entries from an S3 Inventory report, not a listing.
  std::optional<ResolvedRemote> inventory;
  const SyncEndpoint& s = job.src();
  if (!f.source_inventory.empty()) {
    if (job.options().only_keys || job.options().range.bounded())
      return ctx.fail({Errc::invalid_argument,
                       "--source-inventory works with a directory source and without --shard"},
                      kExitUsage);
    auto inv = resolve_remote(f.source_inventory, **cfg, ctx.registry());
    if (!inv.ok())
      return ctx.fail(inv.status().with_context("--source-inventory"),
                      resolve_exit_code(inv.status()));
    if (inv->bucket.empty() || inv->prefix.empty())
      return ctx.fail({Errc::invalid_argument, "--source-inventory " + f.source_inventory +
                                                   ": name the manifest, e.g. "
                                                   "aws:inventory/src/config/2026-01-01T00-00Z/"
                                                   "manifest.json"},
                      kExitUsage);
    inventory = std::move(inv).value();
    if (f.check_inventory) {
      const ObjectRef manifest{inventory->bucket, inventory->prefix};
      auto report = InventoryStream::open(*inventory->remote, manifest, s.bucket, s.prefix);
      if (!report.ok()) return ctx.fail(report.status());
      auto c = check_inventory(**report, *s.remote, s.bucket, s.prefix);
      if (!c.ok()) return ctx.fail(c.status());
      if (c->stale())
        ctx.warn("--check-inventory: the report differs from a listing of the source's first " +
                 std::to_string(c->sampled) + " objects: " + std::to_string(c->missing) +
                 " not in the report, " + std::to_string(c->gone) + " no longer at the source, " +
                 std::to_string(c->changed) + " changed (the report is stale)");
      else
        log_notice("--check-inventory: the report matches a listing of the source's first " +
                   std::to_string(c->sampled) + " objects");
    }
    job.options().source_stream = [&inventory, &s]() -> Result<std::unique_ptr<EntryStream>> {
      auto st = InventoryStream::open(
          *inventory->remote, ObjectRef{inventory->bucket, inventory->prefix}, s.bucket, s.prefix);
      if (!st.ok()) return st.status();
      return std::unique_ptr<EntryStream>(std::move(st).value());
    };
  }

  if (f.check_inventory && f.source_inventory.empty())
    return ctx.fail({Errc::invalid_argument, "--check-inventory needs --source-inventory"},
                    kExitUsage);

  if (!f.queue.url.empty() || !f.queue.role.empty())
    return run_queued(ctx, mode, job.src(), job.dst(), job.options(), f.queue, f.progress);

  auto start = std::chrono::steady_clock::now();
  SyncStats stats;
  SyncJob::AttemptObserver progress;
  if (f.progress) {
    progress = [&ctx](SyncStats& run_stats) -> std::shared_ptr<void> {
      return std::make_shared<ProgressPrinter>(run_stats, ctx.err);
    };
  } else {
    progress = [&ctx, mode](SyncStats& run_stats) -> std::shared_ptr<void> {  // --stats
      return periodic_stats_logger(run_stats, mode, ctx.flags.stats_interval,
                                   ctx.flags.stats_level);
    };
  }
  Status result = job.run(stats, progress);
  log_debug("buffers: peak " + std::to_string(pool.peak_in_use()) + " bytes of " +
            std::to_string(pool.budget()));
  auto elapsed = std::chrono::steady_clock::now() - start;
  // A run that failed as a whole (a listing error, a refused delete) counts as one error.
  const uint64_t object_errors = stats.errors;
  if (!result.ok() && object_errors == 0) stats.errors = 1;
  // Quiet on success, as rclone (cron mails): the block with -v or -P, or after a failure.
  const bool show_stats =
      ctx.flags.json || (!ctx.flags.quiet && (ctx.flags.verbose > 0 || f.progress || !result.ok()));
  if (show_stats)
    print_final_stats(ctx.flags.json ? ctx.out : ctx.err, stats, mode, elapsed, ctx.flags.json);

  if (!result.ok()) {
    int code = -1;
    if (stats.transfer_limit_reached) code = kExitTransferLimit;
    if (result.code == Errc::conflict || result.code == Errc::corrupt) code = kExitLessSerious;
    // Per-object errors of the usage class (a source key that cannot be a local file name)
    // are about the data, not the command line.
    if (result.code == Errc::invalid_argument && object_errors > 0)
      code = stats.transferred > 0 || stats.matched > 0 ? kExitLessSerious : kExitError;
    return ctx.fail(result, code);
  }
  if (mode == SyncMode::check) {
    uint64_t diffs = stats.differ + stats.missing_on_dst + stats.missing_on_src;
    if (diffs) {
      ctx.err << "cpsync: " << diffs << " differences found\n";
      return kExitCheckDiffers;
    }
    ctx.err << "cpsync: 0 differences found\n";
  } else if (f.error_on_no_transfer && stats.transferred == 0) {
    return kExitNoFilesTransferred;
  }
  return kExitOk;
}

void add_sync_command(CLI::App& app, AppContext& ctx, const char* name, SyncMode mode,
                      const char* help) {
  auto* cmd = app.add_subcommand(name, help);
  auto args = std::make_shared<std::pair<std::string, std::string>>();
  auto f = std::make_shared<SyncFlags>();
  cmd->add_option("source", args->first, "Source, e.g. aws:bucket/dir or /local/dir")->required();
  cmd->add_option("dest", args->second, "Destination, e.g. az:container/dir")->required();
  if (mode != SyncMode::check) {
    cmd->add_flag("-n,--dry-run", f->dry_run, "Show what would change; change nothing");
    cmd->add_flag("-u,--update", f->update, "Skip objects that are newer on the destination");
    cmd->add_flag("--ignore-existing", f->ignore_existing,
                  "Skip objects that exist on the destination");
    f->transfers_opt =
        cmd->add_option("--transfers", f->transfers,
                        "Objects copied in parallel (given alone: exactly this many)")
            ->capture_default_str();
    f->max_transfers_opt =
        cmd->add_option("--max-transfers", f->max_transfers,
                        "Let small objects' copies in parallel grow up to this while the "
                        "destination keeps up, halving on throttling (0: fixed --transfers)")
            ->capture_default_str();
    cmd->add_option("--multi-thread-streams", f->streams, "Parts of one large object in flight")
        ->capture_default_str();
    cmd->add_option("--chunk-size", f->chunk_size,
                    "Part size (memory per stream); raised to fit the provider's part limits "
                    "(default: the destination's chunk_size key, else 16Mi)")
        ->type_name("SIZE");
    cmd->add_option("--upload-cutoff", f->upload_cutoff,
                    "Objects up to this size go in one PUT (default: --chunk-size if given, "
                    "else the destination's upload_cutoff key, else the part size)")
        ->type_name("SIZE");
    cmd->add_option("--max-buffer-memory", f->max_buffer_memory,
                    "Cap on all part buffers of the run together (default: chunk x streams x "
                    "transfers); transfers wait for buffer memory")
        ->type_name("SIZE");
    cmd->add_flag("--no-server-side-copy", f->no_server_side_copy,
                  "Stream through the client even within one endpoint");
    cmd->add_option("--state-dir", f->state_dir,
                    "Where the sync state lives (default $XDG_STATE_HOME/cpsync)");
    cmd->add_flag("--no-state", f->no_state, "Neither read nor write the sync state");
    cmd->add_option("--retries", f->retries, "Retry the whole run this many times on errors")
        ->capture_default_str();
    cmd->add_option("--bwlimit", f->bwlimit,
                    "Bandwidth limit for the whole run, each way: 10M, 512k, UP:DOWN, off");
    cmd->add_option("--backup-dir", f->backup_dir,
                    "Keep overwritten and deleted objects here (same remote as the destination)");
    cmd->add_option("--suffix", f->suffix, "With --backup-dir: append this to backed-up keys");
    cmd->add_option("--max-transfer", f->max_transfer,
                    "Start no copy past this many bytes in all (exit 8), e.g. 10G");
    cmd->add_flag("--error-on-no-transfer", f->error_on_no_transfer,
                  "Exit 9 when nothing was copied");
    cmd->add_flag("-i,--interactive", f->interactive,
                  "Ask before each copy and delete (answers on stdin)");
    add_metadata_flags(*cmd, f->meta);
  }
  cmd->add_flag("--fast-list", f->fast_list,
                "Accepted for rclone scripts; listings are always recursive and whole");
  if (mode == SyncMode::sync) {
    cmd->add_option("--max-delete", f->max_delete, "Stop before deleting more than N objects");
    cmd->add_flag("--allow-empty-source", f->allow_empty_source,
                  "Delete everything at the destination when the source lists no object");
  }
  if (mode == SyncMode::check) {
    cmd->add_flag("--one-way", f->one_way, "Ignore objects that exist only on the destination");
    cmd->add_flag("--download", f->download, "Compare content byte for byte");
  }
  cmd->add_flag("-c,--checksum", f->checksum, "Compare by MD5 (and size), not mtime");
  cmd->add_flag("--size-only", f->size_only, "Compare by size only");
  cmd->add_option("--modify-window", f->modify_window, "Max mtime difference counted as equal")
      ->capture_default_str();
  cmd->add_option("--checkers", f->checkers, "Comparisons in parallel")->capture_default_str();
  cmd->add_option("--list-parallel", f->list_parallel,
                  "Listing requests in flight per listing (1: one after another)")
      ->capture_default_str();
  cmd->add_option("--low-level-retries", f->low_level_retries, "Tries per request")
      ->capture_default_str();
  cmd->add_flag("-P,--progress", f->progress, "Show live progress");
  add_filter_flags(*cmd, f->filter);
  add_shard_flags(*cmd, f->shard);
  if (mode == SyncMode::copy || mode == SyncMode::sync) add_queue_flags(*cmd, f->queue);
  cmd->add_option("--source-inventory", f->source_inventory,
                  "Read the source's objects from this S3 Inventory manifest (CSV, gzip) "
                  "instead of listing it: REMOTE:bucket/path/manifest.json");
  cmd->add_flag("--check-inventory", f->check_inventory,
                "With --source-inventory: compare the report with a listing of the source's "
                "first 1000 objects and warn when it is stale");
  on_run(cmd, ctx, [&ctx, mode, args, f] { return run(ctx, mode, args->first, args->second, *f); });
}

}  // namespace

void add_sync_commands(CLI::App& app, AppContext& ctx) {
  add_sync_command(app, ctx, "copy", SyncMode::copy,
                   "Copy new and changed objects from source to destination");
  add_sync_command(app, ctx, "sync", SyncMode::sync,
                   "Make destination identical to source (deletes extra objects)");
  add_sync_command(app, ctx, "move", SyncMode::move,
                   "Copy, then delete each source object once its copy is verified");
  add_sync_command(app, ctx, "check", SyncMode::check,
                   "Report objects missing, extra or differing between source and destination");
}

}  // namespace cpsync
