// tests/integration/peers_smoke_test.cc — proves each ctest fixture started its peer: the
// env file is there and the server answers on 127.0.0.1 (with curl, not our own HTTP code,
// so a fixture fault is never confused with a transport bug). Single-threaded.
#include "tests/integration/peer_env.h"

#include <array>
#include <cstdio>
#include <string>

namespace {

struct CurlResult {
  int status = -1;  // curl's exit status
  std::string out;  // body, then the HTTP code on its own last line
  int http_code() const {
    auto nl = out.rfind('\n');
    return std::atoi(out.c_str() + (nl == std::string::npos ? 0 : nl + 1));
  }
};

// Runs curl with ARGS (already shell-quoted where needed); the command line is not logged,
// since it may carry test credentials.
CurlResult curl(const std::string& args) {
  std::string cmd = "curl -sS -m 20 -w '\\n%{http_code}' " + args + " 2>&1";
  CurlResult r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  r.status = pclose(p);
  return r;
}

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

void require_loopback(const std::string& endpoint) {
  INFO("endpoint " << endpoint);
  REQUIRE(endpoint.rfind("http://127.0.0.1:", 0) == 0);
}

}  // namespace

using cpsync::testing::peer_env;

TEST_CASE("ceph fixture: RGW answers SigV4 with the test keys and rejects a wrong secret", "[s3]") {
  auto env = peer_env("ceph");
  const std::string endpoint = env["S3_ENDPOINT"];
  require_loopback(endpoint);
  REQUIRE(env["S3_REGION"] == "us-east-1");
  const std::string sig = "--aws-sigv4 " + quoted("aws:amz:" + env["S3_REGION"] + ":s3") +
                          " -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' ";

  auto ok = curl(sig + "-u " + quoted(env["S3_ACCESS_KEY_ID"] + ":" + env["S3_SECRET_ACCESS_KEY"]) +
                 " " + quoted(endpoint + "/"));
  CHECK(ok.status == 0);
  CHECK(ok.http_code() == 200);
  CHECK(ok.out.find("ListAllMyBucketsResult") != std::string::npos);

  auto bad = curl(sig + "-u " + quoted(env["S3_ACCESS_KEY_ID"] + ":not-the-secret") + " " +
                  quoted(endpoint + "/"));
  CHECK(bad.http_code() == 403);
  CHECK(bad.out.find("SignatureDoesNotMatch") != std::string::npos);
}

TEST_CASE("azurite fixture: the blob service answers and refuses anonymous listing", "[azure]") {
  auto env = peer_env("azurite");
  const std::string endpoint = env["AZURE_ENDPOINT"];
  require_loopback(endpoint);
  CHECK(env["AZURE_ACCOUNT"] == "devstoreaccount1");
  CHECK(endpoint.substr(endpoint.rfind('/') + 1) == env["AZURE_ACCOUNT"]);
  CHECK_FALSE(env["AZURE_KEY"].empty());

  auto r = curl(quoted(endpoint + "?comp=list"));
  CHECK(r.status == 0);
  CHECK(r.http_code() == 403);
}

TEST_CASE("oss fixture: the OSS test server answers", "[oss]") {
  auto env = peer_env("oss");
  const std::string endpoint = env["OSS_ENDPOINT"];
  INFO("endpoint " << endpoint);
  REQUIRE(endpoint.find("127.0.0.1:") != std::string::npos);
  CHECK_FALSE(env["OSS_ACCESS_KEY_ID"].empty());
  CHECK_FALSE(env["OSS_ACCESS_KEY_SECRET"].empty());
  CHECK_FALSE(env["OSS_REGION"].empty());

  auto r = curl(quoted(endpoint + "/"));
  CHECK(r.status == 0);
  CHECK(r.http_code() >= 200);
  CHECK(r.http_code() < 600);
}

TEST_CASE("cross fixtures: all three peers are up together", "[cross]") {
  for (const char* peer : {"ceph", "azurite", "oss"}) {
    auto env = peer_env(peer);
    CHECK(env.size() >= 3);
  }
}
