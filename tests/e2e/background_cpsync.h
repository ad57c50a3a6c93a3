// tests/e2e/background_cpsync.h — a cpsync process in the background for tests that stop or
// kill it mid-run (the work queue, event replication): spawn with output to files, wait for
// its exit with a deadline. Test-thread only.
#pragma once

#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/cli_objects_harness.h"

namespace cpsync::testing {

// Output to the files out and err; the PID to wait for or kill.
inline pid_t spawn_cpsync(const std::string& config, const std::vector<std::string>& args,
                          const std::string& out, const std::string& err) {
  std::vector<std::string> argv_s = {CPSYNC_BINARY, "--config", config};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv_s[0].c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  return pid;
}

// The exit code (128 + signal when killed), or -1 (after a KILL) when the process did not
// end within secs.
inline int wait_exit(pid_t pid, int secs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(secs);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

}  // namespace cpsync::testing
