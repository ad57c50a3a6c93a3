// sync/job.h — one copy, sync, move or check between two resolved locations, with the
// decisions that belong to the job rather than to the command line: a source path that
// names one object (that object alone), a destination path that names an object (refused),
// whether ETags compare (one endpoint), the sync state's identity and file, and run-level
// retries whose stats are summed over the attempts. The CLI turns flags into a JobRequest
// and the returned Status into an exit code. One job runs on one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sync/engine.h"
#include "sync/sync_state.h"

namespace cpsync {

// One side as resolved: path is the key prefix (or local path) as typed, without the '/'
// a directory gets; display is what the user typed ("aws:bucket/dir").
struct JobSide {
  Remote* remote = nullptr;
  std::string bucket;
  std::string path;
  std::string display;
};

// The side as a directory endpoint: path with a trailing '/' (when not empty).
SyncEndpoint directory_endpoint(const JobSide& side);

struct JobRequest {
  JobSide src, dst;
  // Everything but only_keys, state and compare.etags_comparable, which the job sets.
  SyncOptions options;
  int retries = 3;        // whole-run attempts (--retries); at least 1 is made
  bool use_state = true;  // --no-state, and queue workers, say false
  std::string state_dir;  // --state-dir; "" = the default place
};

class SyncJob {
 public:
  explicit SyncJob(JobRequest request);
  ~SyncJob();

  // Decides what the job is, before anything is listed: one stat of the destination path
  // when it has no trailing '/' (an object there is Errc::invalid_argument, "is an object,
  // not a directory"; check excepted) and one of the source path (an object there becomes
  // the job's only key). Opens the sync state unless dry-run, check or !use_state; a state
  // that cannot be opened disables it and is reported in *warning (the run goes on).
  Status prepare(std::string* warning);

  const SyncEndpoint& src() const { return src_; }
  const SyncEndpoint& dst() const { return dst_; }
  // The options as prepared (for a queued run, which plans instead of copying).
  SyncOptions& options() { return request_.options; }

  // Runs up to request.retries attempts: another follows a failure that is retryable, a
  // conflict or corrupt data. observe(stats) is called at the start of each attempt with
  // that attempt's stats; what it returns is kept until the attempt ends (a progress
  // printer). total receives the sum of the attempts' counters, and the last attempt's
  // errors and transfer-limit flag. Returns the last attempt's Status.
  using AttemptObserver = std::function<std::shared_ptr<void>(SyncStats&)>;
  Status run(SyncStats& total, const AttemptObserver& observe = {});

 private:
  JobRequest request_;
  SyncEndpoint src_, dst_;
  std::vector<std::string> single_;  // the one key of a single-object source
  std::string state_path_;
  std::unique_ptr<SyncState> state_;
};

}  // namespace cpsync
