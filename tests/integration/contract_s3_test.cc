// tests/integration/contract_s3_test.cc — the conformance suite against the S3 remote on
// Ceph RGW (path style, provider Ceph), in a fresh bucket; the second remote has a wrong
// secret key.
#include <catch2/catch.hpp>

#include "remotes/s3/s3_remote.h"
#include "tests/integration/contract.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {
namespace {

std::unique_ptr<Remote> make_s3(const std::string& name, bool bad_secret) {
  auto env = peer_env("ceph");
  ConfigSection s;
  s.name = name;
  s.type = "s3";
  s.origin = "contract_s3_test";
  s.values = {{"provider", "Ceph"},
              {"endpoint", env["S3_ENDPOINT"]},
              {"access_key_id", env["S3_ACCESS_KEY_ID"]},
              {"secret_access_key",
               bad_secret ? "wrong-secret-for-contract-test" : env["S3_SECRET_ACCESS_KEY"]},
              {"region", env["S3_REGION"]},
              {"force_path_style", "true"}};
  auto r = make_s3_remote(s);
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("s3 remote passes the contract suite on Ceph RGW", "[s3][contract]") {
  BucketFixture f(make_s3("cephcontract", false), make_s3("cephcontract-badkey", true));
  run_remote_conformance(f);
}

}  // namespace cpsync::testing
