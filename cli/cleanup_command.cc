// cli/cleanup_command.cc — `cpsync cleanup REMOTE:bucket[/prefix] [--max-age D] [--dry-run]`:
// lists the unfinished uploads a killed or crashed transfer left behind (S3/OSS multipart
// uploads; Azure blobs that exist only as uncommitted blocks) and aborts those started more
// than --max-age ago (rclone's default: 24h), which deletes their stored parts. Local
// leaves no temp files behind: it says so and succeeds. Runs on the main thread.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/remote_args.h"
#include "core/log.h"
#include "core/time_format.h"
#include "core/units.h"

namespace cpsync {
namespace {

struct CleanupArgs {
  std::string location;
  std::string max_age = "24h";
  bool dry_run = false;
};

int run_cleanup(AppContext& ctx, const CleanupArgs& a) {
  // core/units.h's durations; "0" means every upload.
  auto age = parse_duration(a.max_age);
  if (!age.ok())
    return ctx.fail(
        Status{Errc::invalid_argument, "cleanup: invalid --max-age '" + a.max_age + "' (" +
                                           kDurationHint + "; 0 aborts every upload)"},
        kExitUsage);
  int rc = 0;
  auto loc = resolve_location(ctx, a.location, &rc);
  if (!loc) return rc;
  Remote& remote = loc->remote();
  if (loc->local()) {
    log_notice("cleanup: " + loc->text() +
               ": nothing to do (local uploads leave no temporary files behind)");
    return kExitOk;
  }
  if (loc->root())
    return ctx.fail(
        Status{Errc::invalid_argument,
               "cleanup: " + loc->text() + " names no bucket (use " + remote.name() + ":bucket)"},
        kExitUsage);
  if (!remote.features().pending_uploads) {
    log_notice("cleanup: " + loc->text() +
               ": nothing to abort: this remote keeps no unfinished uploads");
    return kExitOk;
  }
  std::vector<PendingUpload> pending;
  Status st = remote.list_pending_uploads(loc->r.bucket, loc->r.prefix, pending);
  if (!st.ok()) return ctx.fail(st);
  const auto now = std::chrono::system_clock::now();
  uint64_t aborted = 0, kept = 0;
  Status first_error;
  for (const PendingUpload& u : pending) {
    const std::string what = remote.name() + ":" + loc->r.bucket + "/" + u.key + " (started " +
                             format_iso8601(u.initiated) + ")";
    if (u.initiated + *age > now) {
      ++kept;
      log_info("cleanup: keeping " + what + ": younger than --max-age " + a.max_age);
      continue;
    }
    if (a.dry_run) {
      ctx.out << "would abort " << what << "\n";
      ++aborted;
      continue;
    }
    Status ab = remote.abort_pending_upload(loc->r.bucket, u);
    if (!ab.ok()) {
      log_error("cleanup: " + what + ": " + ab.message);
      if (first_error.ok()) first_error = ab;
      continue;
    }
    ctx.out << "aborted " << what << "\n";
    ++aborted;
  }
  log_notice(
      "cleanup: " + loc->text() + ": " + std::to_string(aborted) +
      (a.dry_run ? " unfinished uploads would be aborted, " : " unfinished uploads aborted, ") +
      std::to_string(kept) + " younger than " + a.max_age + " kept");
  if (!first_error.ok()) return ctx.fail(first_error);
  return kExitOk;
}

}  // namespace

void add_cleanup_command(CLI::App& app, AppContext& ctx) {
  auto a = std::make_shared<CleanupArgs>();
  auto* cmd = app.add_subcommand(
      "cleanup",
      "Abort unfinished multipart uploads (left by killed transfers) older than --max-age");
  cmd->add_option("remote", a->location, "remote:bucket or remote:bucket/prefix")->required();
  cmd->add_option("--max-age", a->max_age,
                  "Only uploads started longer ago than this (e.g. 30m, 24h, 7d; 0 = all)")
      ->capture_default_str();
  cmd->add_flag("-n,--dry-run", a->dry_run, "Only list what would be aborted");
  on_run(cmd, ctx, [&ctx, a] { return run_cleanup(ctx, *a); });
}

}  // namespace cpsync
