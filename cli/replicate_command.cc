// cli/replicate_command.cc — `cpsync replicate SRC DST --events SOURCE`: event-driven
// replication (sync/events/replicator.h) from a file or stdin, an Azure Storage Queue
// (azqueue:REMOTE/QUEUE) or a Redis stream (redis://HOST:PORT/STREAM); --watch or --once;
// SIGTERM/SIGINT finish the batch in hand and stop.
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <memory>
#include <ostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/remote_args.h"
#include "cli/stats_output.h"
#include "core/log.h"
#include "core/retry.h"
#include "core/units.h"
#include "remotes/azure/azure_queue.h"
#include "sync/events/azure_queue_source.h"
#include "sync/events/line_source.h"
#include "sync/events/redis_stream_source.h"
#include "sync/events/replicator.h"
#include "sync/queue_worker.h"
#include "sync/sync_state.h"
#include "sync/upload_sizes.h"

namespace cpsync {
namespace {

struct ReplicateFlags {
  std::string events;
  bool apply_deletes = false;
  bool watch = false, once = false;
  int max_attempts = 5;
  int batch = 32;
  std::string lease = "60s";
  std::string queue_endpoint;
  std::string dead_letter;
  std::string state_file, state_dir;
  bool no_state = false;
  int transfers = 4, streams = 4;
  std::string chunk_size, upload_cutoff;
  bool no_server_side_copy = false;
  bool checksum = false, size_only = false;
  int low_level_retries = 10;
};

std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) {
  g_stop.store(true);
}

SyncEndpoint endpoint_of(const Location& l) {
  SyncEndpoint e;
  e.remote = l.r.remote.get();
  e.bucket = l.r.bucket;
  e.prefix = l.r.prefix;
  if (!e.prefix.empty() && e.prefix.back() != '/') e.prefix += '/';
  e.display = l.text();
  return e;
}

// The event source the --events text names.
Result<std::unique_ptr<EventSource>> open_source(AppContext& ctx, const ReplicateFlags& f,
                                                 std::chrono::milliseconds lease) {
  const std::string& s = f.events;
  if (s.rfind("redis://", 0) == 0) {
    CPSYNC_ASSIGN_OR_RETURN(QueueUrl url, parse_queue_url(s));
    CPSYNC_ASSIGN_OR_RETURN(auto src,
                            RedisStreamEventSource::open(url, lease, default_consumer_name()));
    return std::unique_ptr<EventSource>(std::move(src));
  }
  if (s.rfind("azqueue:", 0) == 0) {
    const std::string rest = s.substr(8);
    const size_t slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size())
      return Status{Errc::invalid_argument,
                    "--events " + s + ": use azqueue:REMOTE/QUEUE (an azureblob remote)"};
    const std::string name = rest.substr(0, slash), queue = rest.substr(slash + 1);
    CPSYNC_ASSIGN_OR_RETURN(const Config* cfg, ctx.config());
    const ConfigSection* section = cfg->find(name);
    if (!section || section->type != "azureblob")
      return Status{Errc::invalid_argument,
                    "--events " + s + ": '" + name + "' is not an azureblob remote in the config"};
    CPSYNC_ASSIGN_OR_RETURN(azure::AzureOptions o, azure::azure_options_from_section(*section));
    std::string endpoint =
        f.queue_endpoint.empty() ? azure::queue_endpoint_for(o.endpoint) : f.queue_endpoint;
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    if (endpoint.empty())
      return Status{Errc::invalid_argument,
                    "--events " + s + ": the queue endpoint of " + o.endpoint +
                        " cannot be derived; give it with --queue-endpoint URL"};
    o.endpoint = endpoint;
    auto client = std::make_shared<const azure::AzureQueueClient>(std::move(o));
    CPSYNC_ASSIGN_OR_RETURN(
        auto src,
        AzureQueueEventSource::open(client, queue, "azure queue " + name + "/" + queue, lease));
    return std::unique_ptr<EventSource>(std::move(src));
  }
  if (s.empty())
    return Status{
        Errc::invalid_argument,
        "--events: name a file, - (stdin), azqueue:REMOTE/QUEUE or redis://HOST:PORT/STREAM"};
  CPSYNC_ASSIGN_OR_RETURN(auto src, LineEventSource::open(s, f.dead_letter));
  return std::unique_ptr<EventSource>(std::move(src));
}

void print_report(AppContext& ctx, const ReplicateReport& r, const SyncStats& s,
                  std::chrono::duration<double> elapsed) {
  if (ctx.flags.json) {
    nlohmann::json j = {{"messages", r.messages},
                        {"events", r.events},
                        {"copied", r.copied},
                        {"already_there", r.already_there},
                        {"deleted", r.deleted},
                        {"stale", r.stale},
                        {"coalesced", r.coalesced},
                        {"out_of_scope", r.out_of_scope},
                        {"ignored", r.ignored},
                        {"deletes_skipped", r.deletes_skipped},
                        {"source_gone", r.source_gone},
                        {"changed", r.changed},
                        {"failed", r.failed},
                        {"dead", r.dead},
                        {"acked", r.acked},
                        {"bytes", s.bytes.load()},
                        {"elapsed_s", elapsed.count()}};
    ctx.out << j.dump() << "\n";
    return;
  }
  ctx.err << "replicate: " << r.messages << " messages, " << r.events << " events: " << r.copied
          << " copied (" << format_bytes(static_cast<double>(s.bytes.load())) << "), "
          << r.already_there << " already there, " << r.deleted << " deleted; " << r.stale
          << " stale, " << r.coalesced << " superseded in a batch, " << r.out_of_scope
          << " out of scope, " << r.ignored << " not object events, " << r.deletes_skipped
          << " deletes skipped (no --delete), " << r.source_gone << " gone from the source; "
          << r.failed << " failed attempts, " << r.dead << " dead letters, " << r.acked
          << " acknowledged in " << format_duration(elapsed) << "\n";
}

int run(AppContext& ctx, const std::string& src_text, const std::string& dst_text,
        const ReplicateFlags& f) {
  if (f.watch && f.once)
    return ctx.fail({Errc::invalid_argument, "--watch and --once exclude each other"}, kExitUsage);
  if (f.max_attempts < 1 || f.batch < 1 || f.transfers < 1 || f.streams < 1 ||
      f.low_level_retries < 1)
    return ctx.fail({Errc::invalid_argument,
                     "--max-attempts, --batch, --transfers, --multi-thread-streams and "
                     "--low-level-retries must be at least 1"},
                    kExitUsage);
  if (f.checksum && f.size_only)
    return ctx.fail({Errc::invalid_argument, "--checksum and --size-only exclude each other"},
                    kExitUsage);
  auto lease = parse_duration(f.lease);
  if (!lease.ok() || lease->count() <= 0)
    return ctx.fail({Errc::invalid_argument, "--lease: bad duration '" + f.lease + "' (e.g. 60s)"},
                    kExitUsage);
  int code = 0;
  auto src = resolve_location(ctx, src_text, &code);
  if (!src) return code;
  auto dst = resolve_location(ctx, dst_text, &code);
  if (!dst) return code;
  for (const Location* l : {&*src, &*dst})
    if (l->root())
      return ctx.fail(
          {Errc::invalid_argument, l->text() + ": name a bucket, e.g. " + l->text() + "bucket"},
          kExitUsage);
  auto size_flags = parse_upload_size_flags(f.chunk_size, f.upload_cutoff);
  if (!size_flags.ok()) return ctx.fail(size_flags.status(), kExitUsage);

  ReplicateOptions o;
  o.apply_deletes = f.apply_deletes;
  o.watch = f.watch;
  o.max_attempts = f.max_attempts;
  o.batch = static_cast<size_t>(f.batch);
  o.transfers = f.transfers;
  o.compare.mode = f.checksum    ? CompareMode::checksum
                   : f.size_only ? CompareMode::size_only
                                 : CompareMode::size_mtime;
  o.compare.etags_comparable = same_endpoint(src->remote(), dst->remote());
  const UploadSizes sizes = upload_sizes(*size_flags, dst->remote().features());
  BufferPool pool(
      sizes.chunk_size * static_cast<uint64_t>(f.streams) * static_cast<uint64_t>(f.transfers),
      sizes.chunk_size);
  o.transfer.chunk_size = sizes.chunk_size;
  o.transfer.upload_cutoff = sizes.upload_cutoff;
  o.transfer.server_side_block = sizes.server_side_block;
  o.transfer.streams = f.streams;
  o.transfer.server_side_copy = !f.no_server_side_copy;
  o.transfer.pool = &pool;
  RetryPolicy retry = default_retry_policy();
  retry.max_attempts = f.low_level_retries;
  set_default_retry_policy(retry);
  if (!f.no_state)
    o.state_path = !f.state_file.empty()
                       ? f.state_file
                       : SyncState::default_path(
                             f.state_dir, "events\n" + src->remote().name() + "\n" + src_text,
                             dst->remote().name() + "\n" + dst_text) +
                             ".events";
  g_stop.store(false);
  o.stop = &g_stop;

  auto source = open_source(ctx, f, std::chrono::duration_cast<std::chrono::milliseconds>(*lease));
  if (!source.ok()) {
    const Status& st = source.status();
    return ctx.fail(st, st.code == Errc::invalid_argument ? kExitUsage : -1);
  }
  log_info("replicate: events from " + (*source)->describe() + " into " + dst_text +
           (o.state_path.empty() ? "" : " (state " + o.state_path + ")"));

  const SyncEndpoint s = endpoint_of(*src), d = endpoint_of(*dst);
  auto old_term = std::signal(SIGTERM, on_stop_signal);
  auto old_int = std::signal(SIGINT, on_stop_signal);
  SyncStats stats;
  ReplicateReport report;
  const auto start = std::chrono::steady_clock::now();
  Status result;
  {
    // --stats: the stats block every interval, for runs without a terminal (--watch daemons).
    const auto stats_log = periodic_stats_logger(stats, SyncMode::sync, ctx.flags.stats_interval,
                                                 ctx.flags.stats_level);
    result = run_replication(**source, s, d, o, stats, report);
  }
  std::signal(SIGTERM, old_term);
  std::signal(SIGINT, old_int);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  if (ctx.flags.json ||
      (!ctx.flags.quiet && (ctx.flags.verbose > 0 || !result.ok() || report.dead)))
    print_report(ctx, report, stats, elapsed);
  if (!result.ok()) return ctx.fail(result.with_context("events " + (*source)->describe()));
  if (report.dead > 0) {
    const std::string place = (*source)->dead_letter_place();
    ctx.err << "cpsync: " << report.dead << " messages could not be applied"
            << (place.empty() ? " (no --dead-letter file: see the errors above)"
                              : "; they are in " + place)
            << "\n";
    return kExitLessSerious;
  }
  return kExitOk;
}

}  // namespace

void add_replicate_command(CLI::App& app, AppContext& ctx) {
  auto* cmd = app.add_subcommand(
      "replicate", "Apply storage events (S3, OSS, Azure Event Grid) from a file or queue to DST");
  auto args = std::make_shared<std::pair<std::string, std::string>>();
  auto f = std::make_shared<ReplicateFlags>();
  cmd->add_option("source", args->first, "Source the events are about, e.g. aws:bucket/dir")
      ->required();
  cmd->add_option("dest", args->second, "Destination, e.g. az:container/dir")->required();
  cmd->add_option("--events", f->events,
                  "Where events come from: FILE, - (stdin, one message per line), "
                  "azqueue:REMOTE/QUEUE or redis://HOST:PORT/STREAM")
      ->required();
  cmd->add_flag("--delete", f->apply_deletes,
                "Apply removals (deletes at DST); without it replication is additive");
  cmd->add_flag("--watch", f->watch, "Keep reading until stopped (SIGTERM finishes the batch)");
  cmd->add_flag("--once", f->once, "Read until the source is empty, then exit (the default)");
  cmd->add_option("--max-attempts", f->max_attempts,
                  "Deliveries of a failing message before it goes to the dead-letter place")
      ->capture_default_str();
  cmd->add_option("--batch", f->batch, "Messages taken at once")->capture_default_str();
  cmd->add_option("--lease", f->lease,
                  "Queues: a message not acknowledged this long is delivered again")
      ->capture_default_str();
  cmd->add_option("--queue-endpoint", f->queue_endpoint,
                  "azqueue: the Queue service URL (default: derived from the blob endpoint)");
  cmd->add_option("--dead-letter", f->dead_letter,
                  "File or stdin events: append messages that cannot be applied to FILE");
  cmd->add_option("--state-file", f->state_file,
                  "The per-key sequencer state (default: in --state-dir, per SRC and DST)");
  cmd->add_option("--state-dir", f->state_dir,
                  "Where the state lives (default $XDG_STATE_HOME/cpsync)");
  cmd->add_flag("--no-state", f->no_state, "Keep the sequencer state in memory only");
  cmd->add_option("--transfers", f->transfers, "Objects copied in parallel")->capture_default_str();
  cmd->add_option("--multi-thread-streams", f->streams, "Parts of one large object in flight")
      ->capture_default_str();
  cmd->add_option("--chunk-size", f->chunk_size, "Part size (memory per stream)")
      ->type_name("SIZE");
  cmd->add_option("--upload-cutoff", f->upload_cutoff, "Objects up to this size go in one PUT")
      ->type_name("SIZE");
  cmd->add_flag("--no-server-side-copy", f->no_server_side_copy,
                "Stream through the client even within one endpoint");
  cmd->add_flag("-c,--checksum", f->checksum, "Compare by MD5 (and size), not mtime");
  cmd->add_flag("--size-only", f->size_only, "Compare by size only");
  cmd->add_option("--low-level-retries", f->low_level_retries, "Tries per request")
      ->capture_default_str();
  on_run(cmd, ctx, [&ctx, args, f] { return run(ctx, args->first, args->second, *f); });
}

}  // namespace cpsync
