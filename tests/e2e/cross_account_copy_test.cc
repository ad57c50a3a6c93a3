// tests/e2e/cross_account_copy_test.cc — S3 to S3 between two accounts of one service (two
// RGW users on the peer): the destination's identity copies server-side (CopyObject and
// UploadPartCopy naming the other account's bucket) when a bucket policy lets it read the
// source; without one, the first refusal is said once at -v and every object streams
// through cpsync. Either way the copies check equal. (RGW 16 refuses UploadPartCopy from
// another user's bucket even where the policy lets CopyObject read it: objects above
// copy_cutoff then stream, as any refusal does; this test stays under copy_cutoff.)
// Tag [e2e]: ctest group e2e.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "core/crypto.h"
#include "remotes/s3/client.h"
#include "remotes/s3/remote_impl.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/peer_remotes.h"

namespace cpsync::testing {
namespace {

using json = nlohmann::json;
constexpr size_t kMi = size_t{1} << 20;

struct Account {
  std::string uid, access_key, secret;
};

// A second RGW user: another account on the same service.
Account make_other_account() {
  auto e = peer_env("ceph");
  Account a;
  a.uid = unique_bucket("cpsync-other");
  a.access_key = "XACCOUNT" + unique_bucket("k").substr(2);
  a.secret = "other/" + unique_bucket("secret") + "+key";
  auto r = run_argv({"/usr/bin/radosgw-admin", "-c", e["CEPH_CONF"], "user", "create",
                     "--uid=" + a.uid, "--display-name=cpsync other account",
                     "--access-key=" + a.access_key, "--secret-key=" + a.secret});
  INFO(r.err);
  REQUIRE(r.code == 0);
  return a;
}

std::string other_section(const std::string& name, const Account& a) {
  auto e = peer_env("ceph");
  return "[" + name + "]\ntype = s3\nprovider = Ceph\naccess_key_id = " + a.access_key +
         "\nsecret_access_key = " + a.secret + "\nendpoint = " + e["S3_ENDPOINT"] +
         "\nforce_path_style = true\nregion = " + e["S3_REGION"] + "\n\n";
}

// The peer's own user lets `reader` get and list the objects of its bucket.
void allow_reads(const std::string& bucket, const Account& reader) {
  auto owner = make_peer_remote("s3");
  auto* s3r = dynamic_cast<s3::S3Remote*>(owner.get());
  REQUIRE(s3r != nullptr);
  const std::string policy =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/)" +
      reader.uid + R"("]},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::)" +
      bucket + R"(","arn:aws:s3:::)" + bucket + R"(/*"]}]})";
  s3::S3Call call;
  call.method = "PUT";
  call.bucket = bucket;
  call.query = {{"policy", ""}};
  call.body = policy.data();
  call.body_size = policy.size();
  call.sign_body = true;
  call.headers = {{"content-type", "application/json"},
                  {"content-md5", base64_encode(md5_raw(policy))}};
  auto r = s3r->client().call(call.with_verb("put bucket policy"));
  INFO(r.status().message);
  REQUIRE(r.ok());
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("S3 to S3 across accounts: server-side where a bucket policy allows, else streamed",
          "[e2e]") {
  TempDir dir;
  const Account other = make_other_account();
  const std::string config = write_config(
      dir, s3_section("mine") + other_section("theirs", other) + local_section("disk"));
  const std::string src = unique_bucket("xacct-src"), dst = unique_bucket("xacct-dst");
  const std::string data = dir / "data";
  write_file_text(data + "/small.txt", random_bytes(1000, 1));
  write_file_text(data + "/dir/mid.bin", random_bytes(3 * kMi + 5, 2));
  write_file_text(data + "/dir/parts.bin", random_bytes(11 * kMi, 3));
  REQUIRE(run_cpsync(config, {"mkdir", "mine:" + src}).code == 0);
  REQUIRE(run_cpsync(config, {"mkdir", "theirs:" + dst}).code == 0);
  REQUIRE(run_cpsync(config, {"copy", "disk:" + data, "mine:" + src}).code == 0);
  const uint64_t total = 1000 + 3 * kMi + 5 + 11 * kMi;

  SECTION("without a policy: one line, then every object streams") {
    auto r = run_cpsync(config, {"copy", "mine:" + src, "theirs:" + dst + "/one", "--json", "-v"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    json s = json::parse(r.out);
    CHECK(s["server_side_copies"] == 0);
    CHECK(s["client_bytes"] == total);
    CHECK(count_of(r.err, "cannot copy server-side from mine:" + src) == 1);
    CHECK(r.err.find(other.secret) == std::string::npos);
    auto check = run_cpsync(config, {"check", "mine:" + src, "theirs:" + dst + "/one"});
    INFO(check.err);
    CHECK(check.code == 0);
  }

  SECTION("with a bucket policy: every object copies server-side, no byte through cpsync") {
    allow_reads(src, other);
    auto r = run_cpsync(config, {"copy", "mine:" + src, "theirs:" + dst + "/two", "--json", "-v"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    json s = json::parse(r.out);
    CHECK(s["server_side_copies"] == 3);
    CHECK(s["client_bytes"] == 0);
    CHECK(r.err.find("cannot copy server-side") == std::string::npos);
    auto check = run_cpsync(config, {"check", "mine:" + src, "theirs:" + dst + "/two"});
    INFO(check.err);
    CHECK(check.code == 0);
    // A rerun compares and sends nothing.
    auto again = run_cpsync(config, {"sync", "mine:" + src, "theirs:" + dst + "/two", "--json"});
    REQUIRE(again.code == 0);
    CHECK(json::parse(again.out)["server_side_copies"] == 0);
  }
}

}  // namespace cpsync::testing
