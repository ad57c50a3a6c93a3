// tests/integration/fault_proxy.h — runs tests/peers/faultproxy/faultproxy.js in front of one
// peer for the lifetime of a FaultProxy (spawned with posix_spawn, stopped by its PID) and
// reads its counters. Not thread-safe; one owner.
#pragma once

#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/http.h"

extern char** environ;

namespace cpsync::testing {

class FaultProxy {
 public:
  // target: "http://127.0.0.1:PORT"; args: faultproxy.js options ("--seed", "7", ...).
  FaultProxy(const std::string& target, const std::vector<std::string>& args) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> argv_s = {
        "node",     std::string(CPSYNC_SOURCE_DIR) + "/tests/peers/faultproxy/faultproxy.js",
        "--target", target,
        "--port",   "0"};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_s) argv.push_back(s.data());
    argv.push_back(nullptr);
    int rc = posix_spawnp(&pid_, "node", &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      pid_ = -1;
      FAIL("could not start node faultproxy.js");
    }
    FILE* out = fdopen(fds[0], "r");
    char line[128] = {0};
    bool got = fgets(line, sizeof line, out) != nullptr;
    fclose(out);
    REQUIRE(got);
    REQUIRE(std::sscanf(line, "listening %d", &port_) == 1);
  }
  ~FaultProxy() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st = 0;
      waitpid(pid_, &st, 0);
    }
  }
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  // "http://127.0.0.1:PORT" + path (e.g. Azure's "/devstoreaccount1").
  std::string url(const std::string& path = "") const { return "http://" + host() + path; }

  // GET /__proxy/stats: {requests, forwarded, bytesUp, bytesDown, injected: {...}}.
  nlohmann::json stats() const { return control("GET", "/__proxy/stats", ""); }
  // POST /__proxy/config with a JSON object of rates (e.g. to turn faults off).
  void configure(const nlohmann::json& cfg) const {
    (void)control("POST", "/__proxy/config", cfg.dump());
  }
  // POST /__proxy/reset: every counter back to zero (peakInFlight too).
  void reset() const {
    HttpRequest r;
    r.method = "POST";
    r.url = url("/__proxy/reset");
    auto resp = http_client().send(r);
    REQUIRE(resp.ok());
    REQUIRE(resp->status == 204);
  }

 private:
  nlohmann::json control(const std::string& method, const std::string& path,
                         const std::string& body) const {
    HttpRequest r;
    r.method = method;
    r.url = url(path);
    if (method != "GET") {
      r.body_data = body.data();
      r.body_size = body.size();
      r.headers = {{"Content-Type", "application/json"}};
    }
    auto resp = http_client().send(r);
    INFO(path << ": " << resp.status().message);
    REQUIRE(resp.ok());
    INFO(resp->body);
    REQUIRE(resp->status == 200);
    return nlohmann::json::parse(resp->body);
  }

  pid_t pid_ = -1;
  int port_ = 0;
};

// "http://127.0.0.1:PORT/devstoreaccount1" -> "/devstoreaccount1"; "" without a path.
inline std::string url_path(const std::string& url) {
  auto p = url.find('/', url.find("//") + 2);
  return p == std::string::npos ? "" : url.substr(p);
}
// "http://127.0.0.1:PORT/devstoreaccount1" -> "http://127.0.0.1:PORT".
inline std::string url_origin(const std::string& url) {
  return url.substr(0, url.size() - url_path(url).size());
}

}  // namespace cpsync::testing
