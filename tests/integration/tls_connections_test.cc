// tests/integration/tls_connections_test.cc — over HTTPS (the Ceph peer's TLS port,
// S3_HTTPS_ENDPOINT, trusting its test CA) connections are reused: requests and threads
// that come and go do not each open a connection (a TCP and TLS handshake). Counted by
// core/http (libcurl's CURLINFO_NUM_CONNECTS, summed). The CA store is parsed once per CA
// location, and a CA that did not sign the server's certificate is refused. Single-threaded apart
// from the threads each test starts and joins.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/http.h"
#include "core/http_ca_store.h"
#include "core/http_connections.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/in_process_cli.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// CURL_CA_BUNDLE for one scope (the CLI reads the CA from the environment), restored after.
class ScopedCaBundle {
 public:
  explicit ScopedCaBundle(const std::string& path) {
    if (const char* v = std::getenv("CURL_CA_BUNDLE")) saved_ = v;
    ::setenv("CURL_CA_BUNDLE", path.c_str(), 1);
  }
  ~ScopedCaBundle() {
    if (saved_)
      ::setenv("CURL_CA_BUNDLE", saved_->c_str(), 1);
    else
      ::unsetenv("CURL_CA_BUNDLE");
  }

 private:
  std::optional<std::string> saved_;
};

// Sends `requests` anonymous GETs of the endpoint's root (RGW lists no buckets: 200).
void get_root(const std::string& endpoint, int requests) {
  for (int i = 0; i < requests; ++i) {
    HttpRequest req;
    req.url = endpoint + "/";
    auto r = http_client().send(req);
    INFO(r.status().message);
    REQUIRE(r.ok());
    REQUIRE(r->status == 200);
  }
}

}  // namespace

TEST_CASE("HTTPS: 3 rounds of 4 new threads, 5 requests each, open at most 4 connections",
          "[s3][tls]") {
  auto env = peer_env("ceph");
  REQUIRE(env["S3_HTTPS_ENDPOINT"].rfind("https://", 0) == 0);
  ScopedCaBundle ca(env["S3_CA"]);
  const uint64_t before = connections_opened();
  for (int round = 0; round < 3; ++round) {
    std::vector<std::thread> threads;
    // Catch's REQUIRE is not for other threads: each records its failure for this one.
    std::vector<std::string> errors(4);
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 5; ++i) {
          HttpRequest req;
          req.url = env["S3_HTTPS_ENDPOINT"] + "/";
          auto r = http_client().send(req);
          if (!r.ok() || r->status != 200) {
            errors[t] = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message;
            return;
          }
        }
      });
    for (auto& th : threads) th.join();
    for (const auto& e : errors) REQUIRE(e.empty());
  }
  // Each thread of a round takes a client a thread of the round before left, with its
  // connection open: 4 connections in all, not one per thread (12) or per request (60).
  CHECK(connections_opened() - before <= 4);
  CHECK(connections_opened() - before >= 1);
}

TEST_CASE("HTTPS: one thread's 20 requests share one connection", "[s3][tls]") {
  auto env = peer_env("ceph");
  ScopedCaBundle ca(env["S3_CA"]);
  get_root(env["S3_HTTPS_ENDPOINT"], 1);  // this thread's client connects (if not yet)
  const uint64_t before = connections_opened();
  get_root(env["S3_HTTPS_ENDPOINT"], 20);
  CHECK(connections_opened() - before == 0);
}

TEST_CASE(
    "HTTPS: copying 4 multipart files with 3 streams each opens connections for the "
    "streams, not per file",
    "[s3][tls]") {
  auto env = peer_env("ceph");
  ScopedCaBundle ca(env["S3_CA"]);
  TempDir tmp;
  const std::string config = write_config(
      tmp, "[tls]\ntype = s3\nprovider = Ceph\naccess_key_id = " + env["S3_ACCESS_KEY_ID"] +
               "\nsecret_access_key = " + env["S3_SECRET_ACCESS_KEY"] +
               "\nendpoint = " + env["S3_HTTPS_ENDPOINT"] +
               "\nforce_path_style = true\nregion = " + env["S3_REGION"] + "\n");
  for (int i = 0; i < 4; ++i)
    write_file_text(tmp / ("src/f" + std::to_string(i)), random_bytes(15u << 20, 40 + i));
  const std::string bucket = "cpsync-tls-" + std::to_string(::getpid());
  {
    InProcessCli mk;
    REQUIRE(mk.run(config, {"mkdir", "tls:" + bucket}) == 0);
  }
  request_counters().reset();
  InProcessCli copy;
  const int rc = copy.run(
      config, {"copy", tmp / "src", "tls:" + bucket, "--transfers", "1", "--multi-thread-streams",
               "3", "--chunk-size", "5M", "--upload-cutoff", "5M"});
  INFO(copy.err.str());
  REQUIRE(rc == 0);
  const uint64_t parts = requests_of("part");
  const uint64_t connections = connections_opened();
  INFO(parts << " part requests, " << connections << " connections");
  REQUIRE(parts == 12);
  // 3 part streams at a time plus the listing and the transfer worker's own requests
  // (create, complete): per-file threads (3 a file, 12 in all) reuse what ended before.
  CHECK(connections <= 6);
  InProcessCli purge;
  (void)purge.run(config, {"purge", "tls:" + bucket});
}

TEST_CASE("HTTPS: new connections share one CA store, loaded once", "[s3][tls]") {
  auto env = peer_env("ceph");
  TempDir tmp;
  // A CA path of its own, so no earlier test has loaded it.
  std::ifstream in(env["S3_CA"]);
  std::stringstream pem;
  pem << in.rdbuf();
  write_file_text(tmp / "ca.pem", pem.str());
  ScopedCaBundle ca(tmp / "ca.pem");
  const uint64_t loads = ca_stores_loaded();
  const uint64_t before = connections_opened();
  for (int i = 0; i < 5; ++i) {  // each request a new connection (and TLS handshake)
    HttpRequest req;
    req.url = env["S3_HTTPS_ENDPOINT"] + "/";
    req.headers.emplace_back("Connection", "close");
    auto r = http_client().send(req);
    INFO(r.status().message);
    REQUIRE(r.ok());
    REQUIRE(r->status == 200);
  }
  CHECK(connections_opened() - before == 5);
  CHECK(ca_stores_loaded() - loads == 1);
}

TEST_CASE("HTTPS: a CA that did not sign the server's certificate is refused", "[s3][tls]") {
  auto env = peer_env("ceph");
  HttpRequest req;
  req.url = env["S3_HTTPS_ENDPOINT"] + "/";
  {
    ScopedCaBundle ca(env["S3_CA"]);
    auto r = http_client().send(req);  // this thread's client now has a verified connection
    REQUIRE(r.ok());
  }
  {
    // Debian's system bundle, without the test CA: the open connection is not reused.
    ScopedCaBundle ca("/etc/ssl/certs/ca-certificates.crt");
    auto r = http_client().send(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::permanent);
  }
  {
    TempDir tmp;
    ScopedCaBundle ca(tmp / "missing.pem");
    auto r = http_client().send(req);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message.find("cannot load CA file") != std::string::npos);
  }
}
