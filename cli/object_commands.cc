// cli/object_commands.cc — one-object commands: `cat` (ranged read to stdout), `rcat`
// (stdin streamed to an object of unknown length), `copyto` (one object to a new name on
// any remote, server-side where possible), `moveto` (copyto, then delete the verified
// source), `deletefile` and `link` (presigned/SAS URL).
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/metadata_flags.h"
#include "cli/remote_args.h"
#include "core/buffer_pool.h"
#include "core/log.h"
#include "core/time_format.h"
#include "core/units.h"
#include "sync/transfer.h"
#include "sync/upload_sizes.h"

namespace cpsync {
namespace {

struct ObjectArgs {
  std::string location;
  std::string dst;  // copyto
  int64_t offset = 0;
  int64_t count = -1;
  int64_t head = -1;
  int64_t tail = -1;
  std::string chunk_size, upload_cutoff;  // "" = the destination remote's keys
  int streams = 4;
  std::string expire = "1h";
  bool dry_run = false;
  bool no_server_side_copy = false;  // copyto
  MetadataFlags meta;                // copyto, rcat
};

// Resolves a location that must name one object; nullopt after printing the error.
std::optional<Location> object_location(AppContext& ctx, const std::string& text, int* rc) {
  auto loc = resolve_location(ctx, text, rc);
  if (!loc) return std::nullopt;
  if (!loc->names_object()) {
    *rc = ctx.fail(
        Status{Errc::invalid_argument, text + ": not an object path (use " +
                                           (loc->local() ? std::string("/dir/file")
                                                         : loc->remote().name() + ":bucket/key") +
                                           ")"},
        kExitUsage);
    return std::nullopt;
  }
  return loc;
}

// The transfer options for an upload to dst: sizes from the flags over dst's keys.
Result<TransferOptions> transfer_options(const ObjectArgs& a, const Remote& dst) {
  TransferOptions o;
  CPSYNC_ASSIGN_OR_RETURN(UploadSizeFlags flags,
                          parse_upload_size_flags(a.chunk_size, a.upload_cutoff));
  const UploadSizes sizes = upload_sizes(flags, dst.features());
  o.chunk_size = sizes.chunk_size;
  o.upload_cutoff = sizes.upload_cutoff;
  o.server_side_block = sizes.server_side_block;
  if (a.streams < 1 || a.streams > 64) {
    return Status{Errc::invalid_argument, "--multi-thread-streams must be 1 to 64"};
  }
  o.streams = a.streams;
  o.server_side_copy = !a.no_server_side_copy;
  CPSYNC_ASSIGN_OR_RETURN(o.metadata, metadata_policy(a.meta));
  return o;
}

int run_cat(AppContext& ctx, const ObjectArgs& a) {
  int rc = 0;
  auto loc = object_location(ctx, a.location, &rc);
  if (!loc) return rc;
  auto info = stat_object(*loc);
  if (!info.ok()) return fail_object(ctx, *loc, info.status());
  const uint64_t size = info->size;
  int64_t offset = a.offset;
  int64_t count = a.count;
  if (a.head >= 0) offset = 0, count = a.head;
  if (a.tail >= 0) offset = -a.tail, count = -1;
  // rclone: a negative offset counts from the end.
  uint64_t start = offset >= 0 ? static_cast<uint64_t>(offset)
                               : size - std::min<uint64_t>(size, static_cast<uint64_t>(-offset));
  if (start >= size) return kExitOk;
  uint64_t length = size - start;
  if (count >= 0) length = std::min<uint64_t>(length, static_cast<uint64_t>(count));
  if (length == 0) return kExitOk;
  Status st = loc->remote().read(loc->object(), ByteRange{start, length},
                                 [&](const char* data, size_t len) -> Status {
                                   ctx.out.write(data, static_cast<std::streamsize>(len));
                                   if (!ctx.out) {
                                     return Status{Errc::permanent, "cat: writing stdout failed"};
                                   }
                                   return Status::OK();
                                 });
  ctx.out.flush();
  if (!st.ok()) return fail_object(ctx, *loc, st);
  return kExitOk;
}

int run_rcat(AppContext& ctx, const ObjectArgs& a) {
  int rc = 0;
  auto loc = object_location(ctx, a.location, &rc);
  if (!loc) return rc;
  auto o = transfer_options(a, loc->remote());
  if (!o.ok()) return ctx.fail(o.status(), kExitUsage);
  // Parts of an unknown-length upload grow up to the remote's largest part, one at a time:
  // the budget only has to admit the largest single lease.
  const PartPolicy& policy = loc->remote().features().parts;
  const uint64_t largest =
      std::max<uint64_t>(o->chunk_size, policy.max_part ? policy.max_part : 5 * kGiB);
  BufferPool pool(static_cast<size_t>(largest), static_cast<size_t>(o->chunk_size));
  o->pool = &pool;
  const TimePoint now =
      std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
  UploadOptions base;
  base.mtime = now;
  base.metadata[kMetaMtime] = format_unix_seconds(now);
  apply_upload_policy(loc->object().key, o->metadata, base);
  StreamReader read_stdin = [](char* buf, size_t len) -> Result<size_t> {
    for (;;) {
      ssize_t n = ::read(STDIN_FILENO, buf, len);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) {
        return Status{Errc::permanent, std::string("rcat: reading stdin: ") + std::strerror(errno)};
      }
    }
  };
  auto done = upload_stream(read_stdin, loc->remote(), loc->object(), base, *o);
  if (!done.ok()) return fail_object(ctx, *loc, done.status());
  log_info(loc->text() + ": stored " + std::to_string(done->dst.size) + " bytes from stdin");
  return kExitOk;
}

// copyto, and moveto (move = true): the source is deleted only once the copy is committed
// with the source's size (and, where the source's MD5 is known, its MD5: transfer_object
// checks it before the commit).
int run_copyto(AppContext& ctx, const ObjectArgs& a, bool move) {
  const char* cmd = move ? "moveto" : "copyto";
  int rc = 0;
  auto src = object_location(ctx, a.location, &rc);
  if (!src) return rc;
  auto dst = object_location(ctx, a.dst, &rc);
  if (!dst) return rc;
  if (a.dst.back() == '/')  // rclone: copyto names the object; copy fills a directory
    return ctx.fail({Errc::invalid_argument, a.dst + ": " + cmd +
                                                 " needs an object name, not a directory (use " +
                                                 (move ? "move" : "copy") + " to fill one)"},
                    kExitUsage);
  if (same_endpoint(src->remote(), dst->remote()) && src->object().bucket == dst->object().bucket &&
      src->object().key == dst->object().key)
    return ctx.fail({Errc::invalid_argument,
                     std::string(cmd) + ": " + a.location + " and " + a.dst + " are one object"},
                    kExitUsage);
  auto o = transfer_options(a, dst->remote());
  if (!o.ok()) return ctx.fail(o.status(), kExitUsage);
  auto info = stat_object(*src);
  if (!info.ok()) return fail_object(ctx, *src, info.status());
  const uint64_t budget = o->chunk_size * static_cast<uint64_t>(o->streams);
  BufferPool pool(static_cast<size_t>(budget), static_cast<size_t>(o->chunk_size));
  o->pool = &pool;
  auto done =
      transfer_object(src->remote(), src->object(), *info, dst->remote(), dst->object(), *o);
  if (!done.ok()) {
    const Status& s = done.status();
    // A missing destination bucket is a directory-level error (3), never "object".
    return ctx.fail(s, s.code == Errc::not_found ? kExitDirNotFound : -1);
  }
  log_info(src->text() + " -> " + dst->text() + ": copied " + std::to_string(info->size) +
           " bytes" + (done->server_side ? " (server-side)" : ""));
  if (!move) return kExitOk;
  // One HEAD of the copy: what the destination now holds, not what the commit answered.
  auto copied = dst->remote().stat(dst->object());
  if (!copied.ok()) return ctx.fail(copied.status().with_context("moveto: check the copy"));
  const std::string sent = done->md5.empty() ? info->md5.value_or("") : done->md5;
  if (copied->size != info->size ||
      (!sent.empty() && copied->md5 && !copied->md5->empty() && *copied->md5 != sent))
    return ctx.fail({Errc::corrupt, "moveto: " + dst->text() + " does not match " + src->text() +
                                        " after the copy; the source is kept"});
  Status st = src->remote().remove(src->object());
  if (!st.ok()) return ctx.fail(st.with_context("moveto: delete source " + src->text()));
  log_info(src->text() + ": deleted after the move");
  return kExitOk;
}

int run_deletefile(AppContext& ctx, const ObjectArgs& a) {
  int rc = 0;
  auto loc = object_location(ctx, a.location, &rc);
  if (!loc) return rc;
  auto info = stat_object(*loc);
  if (!info.ok()) return fail_object(ctx, *loc, info.status());
  if (a.dry_run) {
    log_notice(loc->text() + ": skipped delete as --dry-run is set");
    return kExitOk;
  }
  Status st = loc->remote().remove(loc->object());
  if (!st.ok()) return fail_object(ctx, *loc, st);
  log_info(loc->text() + ": deleted");
  return kExitOk;
}

int run_link(AppContext& ctx, const ObjectArgs& a) {
  int rc = 0;
  auto loc = object_location(ctx, a.location, &rc);
  if (!loc) return rc;
  auto expire = parse_duration(a.expire);
  if (!expire.ok()) return ctx.fail(expire.status().with_context("--expire"), kExitUsage);
  if (*expire < std::chrono::seconds(1))
    return ctx.fail({Errc::invalid_argument, "--expire " + a.expire + ": must be at least 1s"},
                    kExitUsage);
  // features().presign says whether links are cheap enough for server-side copies; an Azure
  // remote with a token makes links too (a user delegation SAS), so a remote's link() says
  // itself when it cannot.
  if (loc->local()) {
    return ctx.fail(Status{Errc::not_supported,
                           "link: remote '" + loc->remote().name() +
                               "' cannot make public links (needs an S3, OSS or Azure remote "
                               "with credentials)"});
  }
  auto info = stat_object(*loc);
  if (!info.ok()) return fail_object(ctx, *loc, info.status());
  auto url = loc->remote().link(loc->object(), std::chrono::round<std::chrono::seconds>(*expire));
  if (!url.ok()) {
    const Status& s = url.status();
    return ctx.fail(s, s.code == Errc::invalid_argument ? kExitUsage : -1);
  }
  // The URL is the output; it is never logged.
  ctx.out << *url << "\n";
  ctx.out.flush();
  return kExitOk;
}

void add_transfer_flags(CLI::App* cmd, ObjectArgs& a) {
  cmd->add_option("--chunk-size", a.chunk_size,
                  "Part size for multipart uploads, held in memory per stream (default: the "
                  "destination's chunk_size key, else 16Mi)")
      ->type_name("SIZE");
  cmd->add_option("--multi-thread-streams", a.streams,
                  "Parts of the object in flight at once (default 4)");
  add_metadata_flags(*cmd, a.meta);
}

}  // namespace

void add_object_commands(CLI::App& app, AppContext& ctx) {
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd = app.add_subcommand("cat", "Write an object (or a byte range of it) to stdout");
    cmd->add_option("remote", a->location, "The object: remote:bucket/key or a local file")
        ->required();
    cmd->add_option("--offset", a->offset, "Start at this byte offset (negative: from the end)");
    cmd->add_option("--count", a->count, "Write at most this many bytes (-1: to the end)");
    cmd->add_option("--head", a->head, "Only the first N bytes");
    cmd->add_option("--tail", a->tail, "Only the last N bytes");
    on_run(cmd, ctx, [&ctx, a] { return run_cat(ctx, *a); });
  }
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd =
        app.add_subcommand("rcat", "Stream stdin to an object (unknown length, no temporary file)");
    cmd->add_option("remote", a->location, "The object to write: remote:bucket/key")->required();
    add_transfer_flags(cmd, *a);
    on_run(cmd, ctx, [&ctx, a] { return run_rcat(ctx, *a); });
  }
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd = app.add_subcommand(
        "copyto", "Copy one object to a new name on any remote (server-side where possible)");
    cmd->add_option("source", a->location, "The object to copy")->required();
    cmd->add_option("dest", a->dst, "The destination object")->required();
    add_transfer_flags(cmd, *a);
    cmd->add_option("--upload-cutoff", a->upload_cutoff,
                    "Objects up to this size go in one PUT (default: --chunk-size if given, "
                    "else the destination's upload_cutoff key, else the part size)")
        ->type_name("SIZE");
    cmd->add_flag("--no-server-side-copy", a->no_server_side_copy,
                  "Stream through the client even where the object could be copied server-side");
    on_run(cmd, ctx, [&ctx, a] { return run_copyto(ctx, *a, false); });
  }
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd =
        app.add_subcommand("moveto",
                           "Move one object to a new name on any remote: copy (server-side where "
                           "possible), verify, then delete the source");
    cmd->add_option("source", a->location, "The object to move")->required();
    cmd->add_option("dest", a->dst, "The destination object")->required();
    add_transfer_flags(cmd, *a);
    cmd->add_option("--upload-cutoff", a->upload_cutoff,
                    "Objects up to this size go in one PUT (as for copyto)")
        ->type_name("SIZE");
    cmd->add_flag("--no-server-side-copy", a->no_server_side_copy,
                  "Stream through the client even where the object could be copied server-side");
    on_run(cmd, ctx, [&ctx, a] { return run_copyto(ctx, *a, true); });
  }
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd = app.add_subcommand("deletefile", "Delete one object");
    cmd->add_option("remote", a->location, "The object: remote:bucket/key or a local file")
        ->required();
    cmd->add_flag("-n,--dry-run", a->dry_run, "Only say what would be deleted");
    on_run(cmd, ctx, [&ctx, a] { return run_deletefile(ctx, *a); });
  }
  {
    auto a = std::make_shared<ObjectArgs>();
    auto* cmd = app.add_subcommand(
        "link", "Print a URL anyone can GET the object with (presigned S3/OSS, Azure SAS)");
    cmd->add_option("remote", a->location, "The object: remote:bucket/key")->required();
    cmd->add_option("--expire", a->expire,
                    "How long the link works: 90s, 30m, 1h, 7d, 1w (default 1h; S3 and OSS V4 "
                    "at most 7d)")
        ->type_name("DURATION");
    on_run(cmd, ctx, [&ctx, a] { return run_link(ctx, *a); });
  }
}

}  // namespace cpsync
