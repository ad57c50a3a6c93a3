// tests/integration/resume_support.h — helpers for the resume and cleanup tests: the
// counting proxy (tests/peers/proxy/proxy.js) as a child process, a cpsync child that can
// be SIGKILLed, and a destination config section that points through the proxy.
// Test-thread only; every child is started and stopped by PID.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http.h"
#include "tests/integration/peer_env.h"

extern char** environ;

namespace cpsync::testing {

// The counting proxy in front of target ("http://127.0.0.1:PORT"); SIGTERM on destruction.
class CountingProxy {
 public:
  explicit CountingProxy(const std::string& target) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> args = {
        "node",     std::string(CPSYNC_SOURCE_DIR) + "/tests/peers/proxy/proxy.js",
        "--target", target,
        "--port",   "0"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawnp(&pid_, "node", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(fds[1]);
    REQUIRE(rc == 0);
    FILE* out = ::fdopen(fds[0], "r");
    char line[128] = {};
    bool got = std::fgets(line, sizeof line, out) != nullptr;
    std::fclose(out);
    REQUIRE(got);
    REQUIRE(std::sscanf(line, "listening %d", &port_) == 1);
  }
  ~CountingProxy() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  CountingProxy(const CountingProxy&) = delete;
  CountingProxy& operator=(const CountingProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Request body bytes that went up through the proxy since the last reset.
  uint64_t bytes_up() {
    HttpRequest r;
    r.url = url() + "/__proxy/stats";
    auto resp = http_client().send(r);
    REQUIRE(resp.ok());
    return nlohmann::json::parse(resp->body).at("bytes_up").get<uint64_t>();
  }
  void reset() {
    HttpRequest r;
    r.method = "POST";
    r.url = url() + "/__proxy/reset";
    REQUIRE(http_client().send(r).ok());
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

// A cpsync child process (stdout/stderr to files in io_dir).
class CpsyncChild {
 public:
  CpsyncChild(const std::string& config, const std::vector<std::string>& args,
              const std::string& io_dir) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    const std::string out = io_dir + "/out", err = io_dir + "/err";
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> argv_s = {CPSYNC_BINARY, "--config", config};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, CPSYNC_BINARY, &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
  }
  ~CpsyncChild() {
    if (pid_ > 0) kill9();
  }
  CpsyncChild(const CpsyncChild&) = delete;
  CpsyncChild& operator=(const CpsyncChild&) = delete;

  // Exit code if it has exited, else nullopt.
  std::optional<int> poll() {
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r != pid_) return std::nullopt;
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  int wait() {
    int st = 0;
    REQUIRE(::waitpid(pid_, &st, 0) == pid_);
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  void kill9() {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// "http://127.0.0.1:PORT/..." -> "http://127.0.0.1:PORT".
inline std::string origin_of(const std::string& url) {
  auto p = url.find('/', url.find("//") + 2);
  return p == std::string::npos ? url : url.substr(0, p);
}

// The peer's origin (what the proxy forwards to) for "s3", "oss" or "azure".
inline std::string peer_origin(const std::string& kind) {
  if (kind == "s3") return origin_of(peer_env("ceph")["S3_ENDPOINT"]);
  if (kind == "oss") return origin_of(peer_env("oss")["OSS_ENDPOINT"]);
  return origin_of(peer_env("azurite")["AZURE_ENDPOINT"]);
}

// A config section named `name` for the peer `kind`, with its endpoint at proxy_origin.
inline std::string proxied_section(const std::string& kind, const std::string& name,
                                   const std::string& proxy_origin) {
  std::string s = "[" + name + "]\n";
  if (kind == "s3") {
    auto e = peer_env("ceph");
    s += "type = s3\nprovider = Ceph\naccess_key_id = " + e["S3_ACCESS_KEY_ID"] +
         "\nsecret_access_key = " + e["S3_SECRET_ACCESS_KEY"] + "\nendpoint = " + proxy_origin +
         "\nforce_path_style = true\nregion = " + e["S3_REGION"] + "\n";
  } else if (kind == "oss") {
    auto e = peer_env("oss");
    s += "type = oss\naccess_key_id = " + e["OSS_ACCESS_KEY_ID"] +
         "\naccess_key_secret = " + e["OSS_ACCESS_KEY_SECRET"] + "\nendpoint = " + proxy_origin +
         "\nregion = " + e["OSS_REGION"] + "\n";
  } else {
    auto e = peer_env("azurite");
    s += "type = azureblob\naccount = " + e["AZURE_ACCOUNT"] + "\nkey = " + e["AZURE_KEY"] +
         "\nendpoint = " + proxy_origin + "/" + e["AZURE_ACCOUNT"] + "\n";
  }
  return s + "\n";
}

}  // namespace cpsync::testing
