// tests/integration/azure_contract_test.cc — the conformance suite against the azureblob
// remote on Azurite (SharedKey), in a fresh container.
#include <catch2/catch.hpp>

#include "core/crypto.h"
#include "remotes/azure/azure_remote.h"
#include "tests/integration/contract.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {
namespace {

std::unique_ptr<Remote> make_az(const std::string& name, bool bad_key) {
  auto env = peer_env("azurite");
  ConfigSection s;
  s.name = name;
  s.type = "azureblob";
  s.origin = "azure_contract_test";
  s.values = {{"account", env["AZURE_ACCOUNT"]},
              {"key", bad_key ? base64_encode(std::string(64, 'w')) : env["AZURE_KEY"]},
              {"endpoint", env["AZURE_ENDPOINT"]},
              {"list_chunk", "1000"}};  // Azure pages hold 5000; the suite lists 1,100 keys
  auto r = make_azure_remote(s);
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

}  // namespace

TEST_CASE("azureblob remote passes the contract suite", "[azure][contract]") {
  BucketFixture f(make_az("azcontract", false), make_az("azcontract-badkey", true));
  run_remote_conformance(f);
}

}  // namespace cpsync::testing
