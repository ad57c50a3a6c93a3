// tests/integration/contract_oss_test.cc — the conformance suite against the OSS remote on
// the OSS test server, once with V1 and once with V4 signatures, each in a fresh bucket.
#include <catch2/catch.hpp>

#include "remotes/oss/oss_remote.h"
#include "tests/integration/contract.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {
namespace {

std::unique_ptr<Remote> make_oss(const std::string& name, const std::string& signature,
                                 bool bad_secret) {
  auto env = peer_env("oss");
  ConfigSection s;
  s.name = name;
  s.type = "oss";
  s.origin = "contract_oss_test";
  s.values = {
      {"endpoint", env["OSS_ENDPOINT"]},
      {"access_key_id", env["OSS_ACCESS_KEY_ID"]},
      {"access_key_secret", bad_secret ? "wrong-secret-for-test" : env["OSS_ACCESS_KEY_SECRET"]},
      {"region", env["OSS_REGION"]},
      {"signature_version", signature}};
  auto r = make_oss_remote(s);
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

void run(const std::string& signature) {
  Quirks q;
  q.max_key_bytes = 1023;  // OSS object names: 1 to 1023 bytes
  BucketFixture f(make_oss("osscontract", signature, false),
                  make_oss("osscontract-badkey", signature, true), q);
  run_remote_conformance(f);
}

}  // namespace

TEST_CASE("oss remote passes the contract suite (V4 signatures)", "[oss][contract]") {
  run("v4");
}

TEST_CASE("oss remote passes the contract suite (V1 signatures)", "[oss][contract]") {
  run("v1");
}

}  // namespace cpsync::testing
