// cli/stats_output.h — rclone-like live progress (-P) and the final stats block of a sync
// run, plain or JSON. Progress runs on its own thread reading the atomic SyncStats.
#pragma once

#include <atomic>
#include <chrono>
#include <iosfwd>
#include <string>
#include <thread>

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

// The final stats block (text) or one JSON object (--json), including requests by type.
void print_final_stats(std::ostream& out, const SyncStats& s, SyncMode mode,
                       std::chrono::duration<double> elapsed, bool json);

}  // namespace cpsync
