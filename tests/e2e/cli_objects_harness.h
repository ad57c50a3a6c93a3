// tests/e2e/cli_objects_harness.h — runs the built cpsync binary (CPSYNC_BINARY) with a
// temp config, stdin from a file, and captures stdout, stderr and the exit code; plus the
// config sections for the local remote and the emulators (peer_env); optionally cpsync's
// peak RSS. Test-thread only.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/peer_env.h"

extern char** environ;

namespace cpsync::testing {

inline std::string read_file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_file_text(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  REQUIRE(out.good());
}

// A fresh directory under $TMPDIR, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "cpsync-e2e-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

struct RunResult {
  int code = -1;
  std::string out, err;
  long peak_rss_kib = 0;  // with measure_rss: cpsync's peak resident set, in KiB
};

// Runs argv (run_cpsync: cpsync with args); stdin from stdin_file ("" = /dev/null). Output goes
// through files, so large outputs cannot deadlock. measure_rss runs it under /usr/bin/time: a child
// spawned straight from this (large) test process would report the test's own peak too,
// as Linux carries the pre-exec memory into the child's ru_maxrss.
inline RunResult run_argv(std::vector<std::string> argv_s, const std::string& stdin_file = "",
                          bool measure_rss = false) {
  TempDir io;
  const std::string out_path = io / "out", err_path = io / "err";
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, stdin_file.empty() ? "/dev/null" : stdin_file.c_str(),
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const std::string rss_path = io / "rss";
  if (measure_rss) argv_s.insert(argv_s.begin(), {"/usr/bin/time", "-f", "%M", "-o", rss_path});
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The child's environment: ours, without any CPSYNC_CONFIG_* overrides.
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).starts_with("CPSYNC_CONFIG")) continue;
    env_s.emplace_back(*e);
  }
  env_s.push_back("TZ=UTC");
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv_s[0].c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  RunResult r;
  if (measure_rss) r.peak_rss_kib = std::atol(read_file_text(rss_path).c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file_text(out_path);
  r.err = read_file_text(err_path);
  return r;
}

inline RunResult run_cpsync(const std::string& config, const std::vector<std::string>& args,
                            const std::string& stdin_file = "", bool measure_rss = false) {
  std::vector<std::string> argv = {CPSYNC_BINARY, "--config", config};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_argv(std::move(argv), stdin_file, measure_rss);
}

// A unique bucket/container name for one test (lower case, DNS-safe).
inline std::string unique_bucket(const std::string& stem) {
  static std::mt19937_64 rng(std::random_device{}());
  const char* hex = "0123456789abcdef";
  std::string s = stem + "-";
  uint64_t v = rng();
  for (int i = 0; i < 10; ++i, v >>= 4) s += hex[v & 15];
  return s;
}

// Config sections. The emulator keys are the peers' fixed test credentials.
inline std::string local_section(const std::string& name) {
  return "[" + name + "]\ntype = local\n\n";
}

inline std::string s3_section(const std::string& name) {
  auto e = peer_env("ceph");
  return "[" + name + "]\ntype = s3\nprovider = Ceph\naccess_key_id = " + e["S3_ACCESS_KEY_ID"] +
         "\nsecret_access_key = " + e["S3_SECRET_ACCESS_KEY"] + "\nendpoint = " + e["S3_ENDPOINT"] +
         "\nforce_path_style = true\nregion = " + e["S3_REGION"] + "\n\n";
}

inline std::string azure_section(const std::string& name) {
  auto e = peer_env("azurite");
  return "[" + name + "]\ntype = azureblob\naccount = " + e["AZURE_ACCOUNT"] +
         "\nkey = " + e["AZURE_KEY"] + "\nendpoint = " + e["AZURE_ENDPOINT"] + "\n\n";
}

inline std::string oss_section(const std::string& name) {
  auto e = peer_env("oss");
  return "[" + name + "]\ntype = oss\naccess_key_id = " + e["OSS_ACCESS_KEY_ID"] +
         "\naccess_key_secret = " + e["OSS_ACCESS_KEY_SECRET"] +
         "\nendpoint = " + e["OSS_ENDPOINT"] + "\nregion = " + e["OSS_REGION"] + "\n\n";
}

// Writes text as a config file (mode 0600) in dir and returns its path.
inline std::string write_config(const TempDir& dir, const std::string& text) {
  const std::string path = dir / "cpsync.conf";
  write_file_text(path, text);
  ::chmod(path.c_str(), 0600);
  return path;
}

inline std::string random_bytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (size_t i = 0; i < n; i += 8) {
    uint64_t v = rng();
    for (size_t j = 0; j < 8 && i + j < n; ++j) s[i + j] = static_cast<char>(v >> (8 * j));
  }
  return s;
}

}  // namespace cpsync::testing
