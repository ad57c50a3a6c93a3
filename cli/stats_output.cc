// cli/stats_output.cc — progress and stats formatting.
#include "cli/stats_output.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/http.h"
#include "core/http_connections.h"
#include "remotes/local/local_list.h"

namespace cpsync {

std::string format_bytes(double b) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int u = 0;
  while (b >= 1024 && u < 5) b /= 1024, ++u;
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%.0f %s", b, units[u]);
  else
    std::snprintf(buf, sizeof buf, "%.3f %s", b, units[u]);
  return buf;
}

std::string format_duration(std::chrono::duration<double> d) {
  double s = d.count();
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else
    std::snprintf(buf, sizeof buf, "%dh%02dm%02ds", int(s) / 3600, int(s) / 60 % 60, int(s) % 60);
  return buf;
}

ProgressPrinter::ProgressPrinter(const SyncStats& stats, std::ostream& err,
                                 std::chrono::milliseconds interval)
    : stats_(stats), err_(err), start_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this, interval] {
    while (!stop_) {
      auto until = std::chrono::steady_clock::now() + interval;
      while (!stop_ && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!stop_) print(false);
    }
  });
}

ProgressPrinter::~ProgressPrinter() {
  stop();
}

void ProgressPrinter::stop() {
  if (stop_.exchange(true)) return;
  thread_.join();
  print(true);
}

void ProgressPrinter::print(bool final_line) {
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double done = static_cast<double>(stats_.bytes.load());
  double total = static_cast<double>(stats_.planned_bytes.load());
  double rate = secs > 0 ? done / secs : 0;
  std::string eta = rate > 0 && total > done
                        ? format_duration(std::chrono::duration<double>((total - done) / rate))
                        : "-";
  int pct = total > 0 ? static_cast<int>(100 * done / total) : 100;
  char line[256];
  std::snprintf(line, sizeof line,
                "Transferred: %s / %s, %d%%, %s/s, ETA %s | checks %llu, copied %llu, "
                "in flight %llu, errors %llu",
                format_bytes(done).c_str(), format_bytes(total).c_str(), pct,
                format_bytes(rate).c_str(), eta.c_str(),
                static_cast<unsigned long long>(stats_.checked.load()),
                static_cast<unsigned long long>(stats_.transferred.load()),
                static_cast<unsigned long long>(stats_.in_flight.load()),
                static_cast<unsigned long long>(stats_.errors.load()));
  err_ << "\r" << line << "\x1b[K" << (final_line ? "\n" : "") << std::flush;
}

StatsLogger::StatsLogger(const SyncStats& stats, SyncMode mode, std::chrono::nanoseconds interval,
                         LogLevel level)
    : stats_(stats), mode_(mode), level_(level), start_(std::chrono::steady_clock::now()) {
  thread_ = std::thread([this, interval] {
    auto next = start_ + interval;
    while (!stop_) {
      // Wakes at the interval, or every 20 ms to see stop() (short intervals are honoured).
      for (auto now = std::chrono::steady_clock::now(); !stop_ && now < next;
           now = std::chrono::steady_clock::now())
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            next - now, std::chrono::milliseconds(20)));
      if (stop_) break;
      print();
      next += interval;
    }
  });
}

StatsLogger::~StatsLogger() {
  stop();
}

void StatsLogger::stop() {
  if (stop_.exchange(true)) return;
  thread_.join();
  if (printed_) print();  // the end of a run long enough to have shown blocks
}

void StatsLogger::print() {
  printed_ = true;
  if (!log_enabled(level_)) return;
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  nlohmann::json j;
  j["stats"] = {{"bytes", stats_.bytes.load()},
                {"total_bytes", stats_.planned_bytes.load()},
                {"server_side_bytes", stats_.server_side_bytes.load()},
                {"resumed_bytes", stats_.resumed_bytes.load()},
                {"checks", stats_.checked.load()},
                {"transfers", stats_.transferred.load()},
                {"server_side_copies", stats_.server_side.load()},
                {"backed_up", stats_.backed_up.load()},
                {"deletes", stats_.deleted.load()},
                {"errors", stats_.errors.load()},
                {"elapsed_seconds", elapsed.count()}};
  std::string block = stats_block_text(stats_, mode_, elapsed);
  block.pop_back();  // the log line adds its own newline
  // rclone starts the message with a newline, so the block's lines stand on their own.
  log_with_fields(level_, "\n" + block, j.dump());
}

std::unique_ptr<StatsLogger> periodic_stats_logger(const SyncStats& stats, SyncMode mode,
                                                   std::chrono::nanoseconds interval,
                                                   LogLevel level) {
  if (interval.count() <= 0 || !log_enabled(level)) return nullptr;
  return std::make_unique<StatsLogger>(stats, mode, interval, level);
}

std::string stats_block_text(const SyncStats& s, SyncMode mode,
                             std::chrono::duration<double> elapsed) {
  const double secs = elapsed.count();
  const double done = static_cast<double>(s.bytes.load());
  const double total = static_cast<double>(s.planned_bytes.load());
  const double rate = secs > 0 ? done / secs : 0;
  std::string out = "Transferred:   " + format_bytes(done);
  if (total > done) {
    std::string eta =
        rate > 0 ? format_duration(std::chrono::duration<double>((total - done) / rate)) : "-";
    out += " / " + format_bytes(total) + ", " +
           std::to_string(static_cast<int>(100 * done / total)) + "%, " + format_bytes(rate) +
           "/s, ETA " + eta + "\n";
  } else {
    out += ", " + format_bytes(rate) + "/s\n";
  }
  out += "Server-side:   " + format_bytes(static_cast<double>(s.server_side_bytes.load())) +
         " (not through this machine)\n";
  out += "Resumed:       " + format_bytes(static_cast<double>(s.resumed_bytes.load())) +
         " (parts already uploaded)\n";
  out += "Checks:        " + std::to_string(s.checked.load()) + " (" +
         std::to_string(s.matched.load()) + " matched)\n";
  if (mode == SyncMode::check) {
    out += "Differences:   " + std::to_string(s.differ.load()) + " differ, " +
           std::to_string(s.missing_on_dst.load()) + " missing on destination, " +
           std::to_string(s.missing_on_src.load()) + " missing on source\n";
  } else {
    out += "Copied:        " + std::to_string(s.transferred.load()) + " (" +
           std::to_string(s.server_side.load()) + " server-side)\n";
    out += "Backed up:     " + std::to_string(s.backed_up.load()) + "\n";
    out += "Deleted:       " + std::to_string(s.deleted.load()) + " (destination), " +
           std::to_string(s.src_deleted.load()) + " (source)\n";
  }
  out += "Errors:        " + std::to_string(s.errors.load()) + "\n";
  out += "Elapsed time:  " + format_duration(elapsed) + "\n";
  return out;
}

void print_final_stats(std::ostream& out, const SyncStats& s, SyncMode mode,
                       std::chrono::duration<double> elapsed, bool json) {
  auto requests = request_counters().snapshot();
  if (json) {
    nlohmann::json j;
    j["listed_src"] = s.listed_src.load();
    j["listed_dst"] = s.listed_dst.load();
    j["checks"] = s.checked.load();
    j["matched"] = s.matched.load();
    j["transfers"] = s.transferred.load();
    j["server_side_copies"] = s.server_side.load();
    j["bytes"] = s.bytes.load();
    j["server_side_bytes"] = s.server_side_bytes.load();
    j["client_bytes"] = s.bytes.load() - s.server_side_bytes.load();
    j["resumed_bytes"] = s.resumed_bytes.load();
    j["backed_up"] = s.backed_up.load();
    j["deletes"] = s.deleted.load();
    j["source_deletes"] = s.src_deleted.load();
    j["errors"] = s.errors.load();
    j["skipped_special_files"] = local::special_files_skipped();
    if (mode != SyncMode::check) j["transfers_peak"] = s.transfer_width_peak.load();
    if (mode == SyncMode::check) {
      j["missing_on_dst"] = s.missing_on_dst.load();
      j["missing_on_src"] = s.missing_on_src.load();
      j["differences"] = s.differ.load();
    }
    j["elapsed_seconds"] = elapsed.count();
    nlohmann::json r = nlohmann::json::object();
    uint64_t total = 0;
    for (const auto& [op, n] : requests) r[op] = n, total += n;
    j["requests"] = r;
    j["requests_total"] = total;
    j["connections"] = connections_opened();
    out << j.dump() << "\n";
    return;
  }
  double secs = elapsed.count();
  double rate = secs > 0 ? static_cast<double>(s.bytes.load()) / secs : 0;
  out << "Transferred:   " << format_bytes(static_cast<double>(s.bytes.load())) << ", "
      << format_bytes(rate) << "/s";
  if (s.server_side_bytes.load())  // those never passed through this machine
    out << " (" << format_bytes(static_cast<double>(s.server_side_bytes.load())) << " server-side)";
  out << "\n";
  out << "Listed:        " << s.listed_src.load() << " source, " << s.listed_dst.load()
      << " destination\n";
  out << "Checks:        " << s.checked.load() << " (" << s.matched.load() << " matched)\n";
  if (mode == SyncMode::check) {
    out << "Differences:   " << s.differ.load() << " differ, " << s.missing_on_dst.load()
        << " missing on destination, " << s.missing_on_src.load() << " missing on source\n";
  } else {
    out << "Copied:        " << s.transferred.load() << " (" << s.server_side.load()
        << " server-side)\n";
    if (s.resumed_bytes.load())
      out << "Resumed:       " << format_bytes(static_cast<double>(s.resumed_bytes.load()))
          << " (parts already uploaded, not sent again)\n";
    out << "Backed up:     " << s.backed_up.load() << "\n";
    out << "Deleted:       " << s.deleted.load() << " (destination), " << s.src_deleted.load()
        << " (source)\n";
  }
  out << "Errors:        " << s.errors.load() << "\n";
  // FIFOs, sockets and devices in local listings: each was noticed; a line only if any.
  if (const uint64_t special = local::special_files_skipped())
    out << "Skipped:       " << special << " special files (FIFOs, sockets, devices)\n";
  out << "Requests:      ";
  uint64_t total = 0;
  for (const auto& [op, n] : requests) total += n;
  out << total;
  if (!requests.empty()) {
    out << " (";
    bool first = true;
    for (const auto& [op, n] : requests) {
      out << (first ? "" : ", ") << op << " " << n;
      first = false;
    }
    out << ")";
  }
  out << "\n";
  out << "Connections:   " << connections_opened() << " opened\n";
  out << "Elapsed time:  " << format_duration(elapsed) << "\n";
}

}  // namespace cpsync
