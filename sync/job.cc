// sync/job.cc — a copy/sync/move/check job: single-object detection, state identity and
// run-level retries around run_sync (see job.h).
#include "sync/job.h"

#include <algorithm>

#include "core/log.h"

namespace cpsync {
namespace {

// A pair's identity in the state directory: remote name, endpoint, bucket and path as typed
// (kept byte for byte, so state files written by earlier versions stay valid).
std::string side_id(const JobSide& side) {
  return side.remote->name() + "\n" + side.remote->endpoint_id() + "\n" + side.bucket + "\n" +
         side.path;
}

bool names_a_path(const JobSide& side) {
  return !side.path.empty() && side.path.back() != '/';
}

}  // namespace

SyncEndpoint directory_endpoint(const JobSide& side) {
  SyncEndpoint e;
  e.remote = side.remote;
  e.bucket = side.bucket;
  e.prefix = side.path;
  if (!e.prefix.empty() && e.prefix.back() != '/') e.prefix += '/';
  e.display = side.display;
  return e;
}

SyncJob::SyncJob(JobRequest request)
    : request_(std::move(request)),
      src_(directory_endpoint(request_.src)),
      dst_(directory_endpoint(request_.dst)) {
  request_.options.compare.etags_comparable =
      same_endpoint(*request_.src.remote, *request_.dst.remote);
}

SyncJob::~SyncJob() = default;

Status SyncJob::prepare(std::string* warning) {
  SyncOptions& o = request_.options;
  // A destination naming an existing object is not a directory to fill (rclone: "is a file
  // not a directory").
  if (o.mode != SyncMode::check && names_a_path(request_.dst)) {
    auto info = request_.dst.remote->stat(ObjectRef{request_.dst.bucket, request_.dst.path});
    if (info.ok() && !info->is_dir)
      return Status{Errc::invalid_argument,
                    request_.dst.display +
                        ": is an object, not a directory (use copyto to copy to one object name)"};
  }
  // A source naming one object rather than a directory: that object alone, into the
  // destination directory (rclone's behaviour).
  if (names_a_path(request_.src)) {
    auto info = request_.src.remote->stat(ObjectRef{request_.src.bucket, request_.src.path});
    if (info.ok() && !info->is_dir) {
      const std::string& path = request_.src.path;
      const size_t slash = path.rfind('/');
      const size_t name_at = slash == std::string::npos ? 0 : slash + 1;
      src_.prefix = path.substr(0, name_at);
      single_ = {path.substr(name_at)};
      o.only_keys = &single_;
      log_debug(request_.src.display + ": a single object");
    }
  }
  // A shard keeps its own state: its range is part of the pair's identity.
  const std::string shard_id = o.range.bounded() ? "\nshard " + o.range.describe() : "";
  state_path_ = SyncState::default_path(request_.state_dir, side_id(request_.src) + shard_id,
                                        side_id(request_.dst));
  if (request_.use_state && o.mode != SyncMode::check && !o.dry_run) {
    auto st = SyncState::open(state_path_);
    if (st.ok())
      state_ = std::move(st).value();
    else if (warning)
      *warning = "sync state disabled: " + st.status().message;
  }
  o.state = state_.get();
  return Status::OK();
}

Status SyncJob::run(SyncStats& total, const AttemptObserver& observe) {
  const int attempts = std::max(1, request_.retries);
  Status result;
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    SyncStats run_stats;
    request_.options.state = state_.get();
    {
      std::shared_ptr<void> watcher = observe ? observe(run_stats) : nullptr;
      result = run_sync(src_, dst_, request_.options, run_stats);
    }
    total.add(run_stats);
    total.errors = run_stats.errors.load();
    total.transfer_limit_reached = run_stats.transfer_limit_reached.load();
    const bool again =
        result.retryable() || result.code == Errc::conflict || result.code == Errc::corrupt;
    if (result.ok() || !again || attempt == attempts) break;
    log_notice("attempt " + std::to_string(attempt) + "/" + std::to_string(attempts) +
               " failed with " + std::to_string(run_stats.errors.load()) + " errors; retrying");
    if (state_) {  // the run committed the state; reopen it for the next pass
      auto st = SyncState::open(state_path_);
      state_ = st.ok() ? std::move(st).value() : nullptr;
    }
  }
  return result;
}

}  // namespace cpsync
