// tests/integration/contract_local_test.cc — the conformance suite against the local remote,
// in a fresh temporary directory (keys are absolute paths below it).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "remotes/local/local_remote.h"
#include "tests/integration/contract.h"

namespace cpsync::testing {
namespace {

class LocalFixture : public RemoteFixture {
 public:
  LocalFixture() {
    ConfigSection s;
    s.name = "disk";
    s.type = "local";
    auto r = make_local_remote(s);
    REQUIRE(r.ok());
    remote_ = std::move(r).value();
    std::string tmpl = std::filesystem::temp_directory_path().string() + "/cpsync-ct-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    root_ = tmpl;
    prefix_ = root_ + "/";
  }
  ~LocalFixture() override { std::filesystem::remove_all(root_); }
  Remote& remote() override { return *remote_; }
  const std::string& bucket() const override { return bucket_; }
  const std::string& key_prefix() const override { return prefix_; }
  Quirks quirks() const override {
    Quirks q;
    q.keys_are_paths = true;
    q.user_metadata = false;
    q.max_key_bytes = 255;
    return q;
  }

 private:
  std::unique_ptr<Remote> remote_;
  std::string root_, prefix_, bucket_;
};

}  // namespace

TEST_CASE("local remote passes the contract suite", "[local][contract]") {
  LocalFixture f;
  run_remote_conformance(f);
}

}  // namespace cpsync::testing
