// tests/integration/s3_credentials_refresh_test.cc — keeping S3 credentials fresh for a
// whole run, against Ceph RGW and the credentials endpoint (tests/peers/imds): refresh
// ahead of expiry (and not per request), one refresh for many threads, and a sync that
// survives its keys being revoked on RGW mid-run (radosgw-admin key rm after the endpoint
// starts handing out a second key) and ends byte-identical. Plus the CLI's one-line
// credential errors and exit code 7.
#include <atomic>
#include <thread>

#include "core/time_format.h"
#include "tests/integration/s3_credentials_support.h"

namespace cpsync::testing {
namespace {

std::string in_seconds(int s) {
  return format_iso8601(std::chrono::time_point_cast<std::chrono::nanoseconds>(
      std::chrono::system_clock::now() + std::chrono::seconds(s)));
}

nlohmann::json static_creds(const std::string& ak, const std::string& sk) {
  return {{"AccessKeyId", ak}, {"SecretAccessKey", sk}};
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

TEST_CASE("s3 credentials: refreshed ahead of expiry, once, for all threads", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  auto imds = peer_env("imds");
  imds_reset();
  env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
          imds["IMDS_ENDPOINT"] + imds["IMDS_CONTAINER_PATH"]);
  env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", imds["IMDS_CONTAINER_TOKEN"]);
  // The user's keys, said to expire 5 minutes and 3 seconds from now.
  imds_control({{"mode", "static"},
                {"creds", static_creds(ceph["S3_ACCESS_KEY_ID"], ceph["S3_SECRET_ACCESS_KEY"])},
                {"expiration", in_seconds(303)}});
  auto r = chain_remote();
  REQUIRE(round_trip(*r).ok());
  CHECK(imds_stats()["container"] == 1);  // many requests, one fetch
  CHECK(creds_of(*r).refreshes() == 0);

  imds_control({{"expiration", in_seconds(3600)}});
  std::this_thread::sleep_for(std::chrono::seconds(4));  // now inside the 5-minute window
  REQUIRE(round_trip(*r).ok());
  CHECK(imds_stats()["container"] == 2);
  CHECK(creds_of(*r).refreshes() == 1);
  REQUIRE(round_trip(*r).ok());  // an hour left: no more fetches
  CHECK(imds_stats()["container"] == 2);

  // Eight threads told at once that the keys were rejected: one fetch between them.
  const uint64_t gen = creds_of(*r).current()->generation;
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i)
    ts.emplace_back([&] { ok += creds_of(*r).refresh_after_rejection(gen).ok() ? 1 : 0; });
  for (auto& t : ts) t.join();
  CHECK(ok == 8);
  CHECK(imds_stats()["container"] == 3);
  CHECK(creds_of(*r).refreshes() == 2);
  imds_reset();
}

TEST_CASE("s3 credentials: a sync survives its keys being revoked mid-run", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  auto imds = peer_env("imds");
  imds_reset();
  // A user of its own, so removing its key touches no other test.
  const std::string uid = "cpsync-rot-" + random_suffix();
  const std::string ak1 = "CPSYNCROT1" + random_suffix(),
                    sk1 = "rot1-" + random_suffix() + random_suffix();
  const std::string ak2 = "CPSYNCROT2" + random_suffix(),
                    sk2 = "rot2-" + random_suffix() + random_suffix();
  REQUIRE(radosgw_admin("user create --uid=" + uid + " --display-name=rotation --access-key=" +
                        ak1 + " --secret-key=" + sk1) == 0);
  imds_control(
      {{"mode", "static"}, {"creds", static_creds(ak1, sk1)}, {"expiration", in_seconds(3600)}});
  env.unset("AWS_EC2_METADATA_DISABLED");
  env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds["IMDS_ENDPOINT"]);

  // The strict gateway: it says InvalidAccessKeyId for a removed key, as S3 does.
  TempDir dir;
  const std::string config =
      write_config(dir,
                   "[rgw]\ntype = s3\nprovider = Ceph\nenv_auth = true\nforce_path_style = true\n"
                   "endpoint = " +
                       ceph["S3_ENDPOINT"] + "\n\n[local]\ntype = local\n\n");
  constexpr int kFiles = 300;
  for (int i = 0; i < kFiles; ++i)
    write_file_text(dir / ("src/f" + std::to_string(i)), test_bytes(16 * 1024, i + 1));
  const std::string bucket = unique_bucket("cpsync-rot");
  REQUIRE(run_cpsync(config, {"mkdir", "rgw:" + bucket}).code == 0);

  // 300 x 16 KiB at 1 MiB/s: about 5 s. The keys change 1.5 s in.
  std::thread rotate([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(radosgw_admin("key create --uid=" + uid + " --key-type=s3 --access-key=" + ak2 +
                        " --secret-key=" + sk2) == 0);
    imds_control({{"creds", static_creds(ak2, sk2)}});
    CHECK(radosgw_admin("key rm --uid=" + uid + " --key-type=s3 --access-key=" + ak1) == 0);
  });
  auto run = run_cpsync(config, {"sync", "-vv", "--transfers", "4", "--bwlimit", "1M",
                                 "local:" + dir.path() + "/src", "rgw:" + bucket});
  rotate.join();
  INFO(run.err.substr(run.err.size() > 4000 ? run.err.size() - 4000 : 0));
  CHECK(run.code == 0);
  // The old key is gone from RGW, which refuses it with InvalidAccessKeyId or (while its
  // user cache is stale) AccessDenied: either way the new key did the rest.
  CHECK(count(run.err, "access denied with a key the provider no longer hands out") +
            count(run.err, "credentials rejected as expired; refreshing") >=
        1);
  CHECK(count(run.err, "credentials refreshed from instance metadata (IMDSv2)") >= 1);
  CHECK(run.err.find(sk1) == std::string::npos);
  CHECK(run.err.find(sk2) == std::string::npos);

  // Byte-identical: check compares every object's MD5 with the local file's.
  auto check =
      run_cpsync(config, {"check", "--checksum", "local:" + dir.path() + "/src", "rgw:" + bucket});
  INFO(check.err);
  CHECK(check.code == 0);
  // Every object there, read with the second key directly; then cleaned up.
  auto direct = make_s3_remote(ceph_section(
      {{"access_key_id", ak2}, {"secret_access_key", sk2}, {"force_path_style", "true"}}));
  REQUIRE(direct.ok());
  std::vector<std::string> keys;
  REQUIRE((*direct)
              ->list({bucket, "", true, ""},
                     [&](std::vector<ObjectInfo>& page) {
                       for (auto& o : page) keys.push_back(o.key);
                       return Status::OK();
                     })
              .ok());
  CHECK(keys.size() == kFiles);
  (void)(*direct)->remove_many(bucket, keys);
  (void)(*direct)->remove_bucket(bucket);
  imds_reset();
  (void)radosgw_admin("user rm --purge-data --uid=" + uid);
}

TEST_CASE("s3 credentials: the CLI's one-line errors and exit code 7", "[s3creds]") {
  ScopedAwsEnv env;
  auto ceph = peer_env("ceph");
  TempDir dir;
  const std::string config =
      write_config(dir,
                   "[rgw]\ntype = s3\nprovider = Ceph\nenv_auth = true\nforce_path_style = true\n"
                   "endpoint = " +
                       ceph["S3_ENDPOINT"] + "\n");
  // Nothing in the chain.
  auto none = run_cpsync(config, {"lsd", "rgw:"});
  CHECK(none.code == 7);
  CHECK(count(none.err, "\n") == 1);
  CHECK(none.err.find("s3 remote 'rgw': credentials from the AWS chain: none found") !=
        std::string::npos);
  // The web identity token file is missing.
  env.set("AWS_WEB_IDENTITY_TOKEN_FILE", dir / "no-token");
  env.set("AWS_ROLE_ARN", ceph["S3_ROLE_ARN"]);
  auto wif = run_cpsync(config, {"lsd", "rgw:"});
  CHECK(wif.code == 7);
  CHECK(count(wif.err, "\n") == 1);
  CHECK(wif.err.find("s3 remote 'rgw': credentials from web identity " + ceph["S3_ROLE_ARN"] +
                     ": cannot read the token file '" + dir.path() + "/no-token'") !=
        std::string::npos);
  // -vv names the source (and never the secret).
  env.unset("AWS_WEB_IDENTITY_TOKEN_FILE");
  env.set("AWS_ACCESS_KEY_ID", ceph["S3_ACCESS_KEY_ID"]);
  env.set("AWS_SECRET_ACCESS_KEY", ceph["S3_SECRET_ACCESS_KEY"]);
  auto ok = run_cpsync(config, {"lsd", "-vv", "rgw:"});
  CHECK(ok.code == 0);
  CHECK(ok.err.find("s3 remote 'rgw': credentials from environment") != std::string::npos);
  CHECK(ok.err.find(ceph["S3_SECRET_ACCESS_KEY"]) == std::string::npos);
}

}  // namespace
}  // namespace cpsync::testing
