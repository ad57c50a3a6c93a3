// cli/stats_output.h — rclone-like live progress (-P), the stats block logged every --stats
// interval and the final stats block of a sync run, plain or JSON. Progress and the stats
// logger each run on their own thread reading the atomic SyncStats.
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <memory>
#include <string>
#include <thread>

#include "core/log.h"
#include "sync/engine.h"

namespace cpsync {

// Human sizes as rclone prints them: "1.500 MiB", "12 B".
std::string format_bytes(double bytes);
std::string format_duration(std::chrono::duration<double> d);

// Prints a progress line to `err` every interval until stopped (destructor stops).
class ProgressPrinter {
 public:
  ProgressPrinter(const SyncStats& stats, std::ostream& err,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(500));
  ~ProgressPrinter();
  void stop();

 private:
  void print(bool final_line);
  const SyncStats& stats_;
  std::ostream& err_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Logs the stats block (stats_block_text; the JSON log adds it as a "stats" object) at level
// every interval until stopped (destructor stops), to the log file or stderr: rclone's
// --stats. A last block is logged on stop when the run lasted at least one interval.
class StatsLogger {
 public:
  StatsLogger(const SyncStats& stats, SyncMode mode, std::chrono::nanoseconds interval,
              LogLevel level);
  ~StatsLogger();
  void stop();

 private:
  void print();
  const SyncStats& stats_;
  SyncMode mode_;
  LogLevel level_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<bool> stop_{false};
  bool printed_ = false;
  std::thread thread_;
};

// --stats DURATION: a logger of stats every interval at level, or null when none is asked
// for (interval 0) or the level is not logged. The one rule for sync, queue workers and
// replicate.
std::unique_ptr<StatsLogger> periodic_stats_logger(const SyncStats& stats, SyncMode mode,
                                                   std::chrono::nanoseconds interval,
                                                   LogLevel level);

// The stats block so far, one "Name:   value" line each, ending with a newline: bytes moved
// (of planned, rate, ETA), server-side and resumed bytes, checks, copies, backups, deletes,
// errors, elapsed time.
std::string stats_block_text(const SyncStats& s, SyncMode mode,
                             std::chrono::duration<double> elapsed);

// The final stats block (text) or one JSON object (--json), including requests by type.
void print_final_stats(std::ostream& out, const SyncStats& s, SyncMode mode,
                       std::chrono::duration<double> elapsed, bool json);

}  // namespace cpsync
