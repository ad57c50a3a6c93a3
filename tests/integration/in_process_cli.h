// tests/integration/in_process_cli.h — runs the cpsync CLI inside the test process, so a
// test can count the requests it sends (request_counters() in core/http.h). Restores the
// global log and transport options when done. One at a time per process.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "core/http.h"
#include "core/log.h"
#include "remotes/registry.h"

namespace cpsync::testing {

struct InProcessCli {
  std::ostringstream out, err;
  AppContext ctx{out, err, Environment{{"HOME", "/nonexistent-home"}}, builtin_remotes()};
  ~InProcessCli() {
    set_log_options(LogOptions{});
    set_transport_options(TransportOptions{});
  }
  int run(const std::string& config, std::vector<std::string> args) {
    args.insert(args.begin(), {"cpsync", "--config", config});
    std::vector<const char*> argv;
    for (auto& a : args) argv.push_back(a.c_str());
    return run_cli(static_cast<int>(argv.size()), argv.data(), ctx);
  }
};

// Requests of one kind ("head", "put", "part", ...) counted since the last reset.
inline uint64_t requests_of(const std::string& op) {
  for (const auto& [name, n] : request_counters().snapshot())
    if (name == op) return n;
  return 0;
}

}  // namespace cpsync::testing
