// tests/integration/faults_sync_test.cc — a sync Azure -> OSS through fault proxies
// (tests/peers/faultproxy) injecting throttling, connection resets and corrupted bytes:
// it completes within a few runs (cpsync's --retries), every object's MD5 equals the
// source and no partial or corrupt object is ever visible at the destination.
#include <catch2/catch.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <string>

#include "core/buffer_pool.h"
#include "core/crypto.h"
#include "remotes/azure/azure_remote.h"
#include "remotes/oss/oss_remote.h"
#include "sync/engine.h"
#include "sync/entry_stream.h"
#include "tests/integration/oss_test_env.h"
#include "tests/integration/peer_env.h"

extern char** environ;

namespace cpsync::testing {
namespace {

// One faultproxy.js process in front of `target`; killed by PID on destruction.
class FaultProxy {
 public:
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
    REQUIRE(rc == 0);
    FILE* out = fdopen(fds[0], "r");
    char line[128] = {0};
    bool got = fgets(line, sizeof line, out) != nullptr;
    fclose(out);
    REQUIRE(got);
    int port = 0;
    REQUIRE(std::sscanf(line, "listening %d", &port) == 1);
    port_ = port;
  }
  ~FaultProxy() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int st = 0;
      waitpid(pid_, &st, 0);
    }
  }
  // "http://127.0.0.1:PORT" + the target's path (Azure's account path).
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::string path_of(const std::string& url) {
  auto p = url.find('/', url.find("//") + 2);
  return p == std::string::npos ? "" : url.substr(p);
}
std::string origin_of(const std::string& url) {
  return url.substr(0, url.size() - path_of(url).size());
}

std::unique_ptr<Remote> azure_at(const std::string& endpoint) {
  auto env = peer_env("azurite");
  ConfigSection s;
  s.name = "faz";
  s.type = "azureblob";
  s.origin = "faults_sync_test";
  s.values = {{"account", env["AZURE_ACCOUNT"]}, {"key", env["AZURE_KEY"]}, {"endpoint", endpoint}};
  auto r = make_azure_remote(s);
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::unique_ptr<Remote> oss_at(const std::string& endpoint) {
  auto r = make_oss_remote(oss_section("v4", {{"endpoint", endpoint}}));
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::map<std::string, std::string> md5s(Remote& r, const std::string& bucket) {
  std::map<std::string, std::string> out;
  for (const auto& key : list_keys(r, ListRequest{bucket, "", true, ""})) {
    auto data = read_all(r, ObjectRef{bucket, key});
    INFO(key << ": " << data.status().message);
    REQUIRE(data.ok());
    out[key] = md5_hex(*data);
  }
  return out;
}

std::vector<std::string> fault_args(const std::string& provider, const std::string& seed) {
  return {"--seed",
          seed,
          "--provider",
          provider,
          "--throttle-rate",
          "0.04",
          "--throttle-429-rate",
          "0.01",
          "--retry-after",
          "0",
          "--reset-rate",
          "0.01",
          "--reset-request-rate",
          "0.01",
          "--corrupt-rate",
          "0.01"};
}

}  // namespace

TEST_CASE("sync Azure -> OSS through fault proxies completes with every MD5 intact",
          "[cross][faults]") {
  const std::string az_endpoint = peer_env("azurite")["AZURE_ENDPOINT"];
  const std::string oss_endpoint = peer_env("oss")["OSS_ENDPOINT"];
  auto az = azure_at(az_endpoint);  // direct: setup and verification
  auto oss = oss_at(oss_endpoint);
  ScopedBucket src(*az, "fsrc");
  ScopedBucket dst(*oss, "fdst");

  std::map<std::string, std::string> want;
  for (int i = 0; i < 200; ++i) {
    const std::string key = "d" + std::to_string(i % 7) + "/obj-" + std::to_string(i);
    const std::string data = pattern_data(1 + (i * 7919) % 40000, static_cast<uint32_t>(i));
    REQUIRE(az->put(ObjectRef{src.name, key}, data.data(), data.size(), UploadOptions{}).ok());
    want[key] = md5_hex(data);
  }
  {
    const std::string big = pattern_data(64u << 20, 4242);
    UploadOptions uo;
    uo.size = big.size();
    auto put = az->put(ObjectRef{src.name, "big/64MiB.bin"}, big.data(), big.size(), uo);
    INFO(put.status().message);
    REQUIRE(put.ok());
    want["big/64MiB.bin"] = md5_hex(big);
  }

  FaultProxy paz(origin_of(az_endpoint), fault_args("azure", "11"));
  FaultProxy poss(oss_endpoint, fault_args("oss", "12"));
  auto faz = azure_at(paz.url(path_of(az_endpoint)));
  auto foss = oss_at(poss.url());

  BufferPool pool{64u << 20, 8u << 20};
  SyncOptions o;
  o.mode = SyncMode::sync;
  o.transfer.pool = &pool;
  o.transfer.chunk_size = 8u << 20;
  o.transfer.retry.max_attempts = 10;
  o.transfer.retry.base = std::chrono::milliseconds(10);
  o.transfer.retry.cap = std::chrono::milliseconds(200);
  o.transfers = 4;
  o.checkers = 4;
  SyncEndpoint s{faz.get(), src.name, "", "faz:" + src.name};
  SyncEndpoint d{foss.get(), dst.name, "", "foss:" + dst.name};

  // Up to 3 runs, as --retries 3 would do. After every run, whatever is at the
  // destination must be a complete, correct copy.
  Status last;
  int runs = 0;
  for (; runs < 3; ++runs) {
    SyncStats stats;
    last = run_sync(s, d, o, stats);
    auto got = md5s(*oss, dst.name);
    for (const auto& [key, md5] : got) {
      INFO("destination object " << key);
      REQUIRE(want.count(key) == 1);
      CHECK(md5 == want[key]);
    }
    if (last.ok() && stats.errors == 0) break;
    WARN("run " << runs + 1 << ": " << last.to_string() << ", errors " << stats.errors.load());
  }
  INFO(last.to_string());
  REQUIRE(last.ok());
  CHECK(runs < 3);
  CHECK(md5s(*oss, dst.name) == want);
}

}  // namespace cpsync::testing
