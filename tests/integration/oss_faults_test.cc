// tests/integration/oss_faults_test.cc — the oss remote through the fault-injecting proxy
// (tests/peers/faultproxy) in front of the OSS test server: reads whose bodies are cut
// short or reset resume from the next byte (the request pipeline's get_range) and arrive
// intact, whole and ranged; deletes, bulk deletes and bucket calls answered with throttling
// or resets are retried (they were not before the pipeline).
#include <catch2/catch.hpp>

#include <random>

#include "core/crypto.h"
#include "tests/integration/fault_proxy.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

std::string pattern(size_t n) {
  std::string s(n, '\0');
  std::mt19937 rng(5);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string read_all(Remote& r, const ObjectRef& ref, const ByteRange& range, Status* st) {
  std::string got;
  *st = r.read(ref, range, [&](const char* d, size_t n) {
    got.append(d, n);
    return Status::OK();
  });
  return got;
}

}  // namespace

TEST_CASE("oss: broken bodies resume, throttled deletes and bucket calls are retried",
          "[oss][faults]") {
  PeerBucket direct("oss");
  const std::string data = pattern(3 << 20);
  REQUIRE(direct.remote->put(ObjectRef{direct.bucket, "big"}, data.data(), data.size(), {}).ok());
  for (int i = 0; i < 12; ++i)
    REQUIRE(direct.remote->put(ObjectRef{direct.bucket, "small/" + std::to_string(i)}, "x", 1, {})
                .ok());

  FaultProxy proxy(
      peer_env("oss")["OSS_ENDPOINT"],
      {"--seed", "9", "--provider", "oss", "--throttle-rate", "0.15", "--throttle-429-rate", "0.05",
       "--retry-after", "0", "--reset-rate", "0.1", "--truncate-rate", "0.15"});
  ConfigSection s = peer_section("oss");
  s.name = "ossfaults";
  s.values["endpoint"] = proxy.url();
  auto made = make_remote_from(s);
  Remote& r = *made;

  for (int round = 0; round < 8; ++round) {
    Status st;
    std::string got = read_all(r, ObjectRef{direct.bucket, "big"}, ByteRange{}, &st);
    INFO("whole read " << round << ": " << st.to_string());
    REQUIRE(st.ok());
    CHECK(md5_raw(got) == md5_raw(data));
    got = read_all(r, ObjectRef{direct.bucket, "big"}, ByteRange{1000 + 7u * round, 2u << 20}, &st);
    INFO("ranged read " << round << ": " << st.to_string());
    REQUIRE(st.ok());
    CHECK(got == data.substr(1000 + 7u * round, 2u << 20));
  }

  for (int i = 0; i < 6; ++i) {
    Status rm = r.remove(ObjectRef{direct.bucket, "small/" + std::to_string(i)});
    INFO(rm.to_string());
    CHECK(rm.ok());
  }
  std::vector<std::string> rest;
  for (int i = 6; i < 12; ++i) rest.push_back("small/" + std::to_string(i));
  Status many = r.remove_many(direct.bucket, rest);
  INFO(many.to_string());
  CHECK(many.ok());
  const std::string other = unique_bucket_name();
  for (int i = 0; i < 3; ++i) {
    Status mk = r.make_bucket(other);
    INFO(mk.to_string());
    CHECK(mk.ok());
    Status rb = r.remove_bucket(other);
    INFO(rb.to_string());
    CHECK(rb.ok());
  }
  size_t listed = 0;
  Status ls = direct.remote->list(ListRequest{direct.bucket, "small/", true, ""},
                                  [&](std::vector<ObjectInfo>& page) {
                                    listed += page.size();
                                    return Status::OK();
                                  });
  CHECK(ls.ok());
  CHECK(listed == 0);

  // The faults really happened: bodies were cut and requests throttled.
  auto j = proxy.stats();
  INFO(j.dump());
  CHECK(j["injected"]["truncate"].get<int>() + j["injected"]["resetResponse"].get<int>() > 0);
  CHECK(j["injected"]["throttle"].get<int>() > 0);
}
