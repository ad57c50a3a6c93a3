// tests/integration/s3_region_test.cc — bucket region discovery against RGW with two
// zonegroups (tests/peers/ceph-zonegroup: the peer's zonegroup "default" and eu-west-9, each
// on its own gateway, each answering a request for the other's bucket with 301 and the
// other's endpoint). One remote without a region reaches buckets in both, learns each
// bucket's region once (said at -v), and its presigned links point at the right gateway.
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "core/http.h"
#include "core/log.h"
#include "remotes/s3/remote_impl.h"
#include "tests/integration/s3_peer.h"

namespace cpsync::testing {
namespace {

std::map<std::string, std::string> zonegroup_env() {
  return peer_env("ceph-zonegroup");
}

// A remote on the given gateway with no region (auto).
std::map<std::string, std::string> on(const std::string& endpoint, const std::string& region) {
  return {{"endpoint", endpoint}, {"region", region}};
}

const s3::BucketRoutes& routes_of(Remote& r) {
  auto* s3r = dynamic_cast<s3::S3Remote*>(&r);
  REQUIRE(s3r != nullptr);
  return s3r->client().routes();
}

std::string host_of(const std::string& url) {
  auto p = url.find("://");
  std::string rest = url.substr(p + 3);
  return rest.substr(0, rest.find('/'));
}

void require_ok(const Status& st) {
  INFO(st.message);
  REQUIRE(st.ok());
}

// Log lines at -v go to a file while it lives.
struct InfoLog {
  std::string path = "/tmp/cpsync-region-log-" + std::to_string(::getpid()) + ".txt";
  LogOptions before = log_options();
  InfoLog() {
    std::remove(path.c_str());
    set_log_options({LogLevel::info, false});
    REQUIRE(open_log_file(path).ok());
  }
  ~InfoLog() {
    close_log_file();
    set_log_options(before);
    std::remove(path.c_str());
  }
  std::string text() const {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
};

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

TEST_CASE("s3 regions: one remote without a region reaches buckets in both zonegroups",
          "[s3region]") {
  auto zg = zonegroup_env();
  auto ceph = peer_env("ceph");
  const std::string second = zg["S3_ZONEGROUP_ENDPOINT"];
  // A bucket of each zonegroup, made on its own gateway.
  S3Bucket here(on(ceph["S3_ENDPOINT"], ""));
  S3Bucket there(on(second, ""));

  auto remote = ceph_remote(on(ceph["S3_ENDPOINT"], "auto"));
  InfoLog log;
  // The second zonegroup's bucket through the first gateway: the 301 names the other
  // endpoint, GetBucketLocation there the region.
  const std::string body = test_bytes(1000, 7);
  require_ok(remote->put({there.bucket, "a/one"}, body.data(), body.size(), {}).status());
  s3::BucketRoute at = routes_of(*remote).route(there.bucket);
  CHECK(at.region == zg["S3_ZONEGROUP_REGION"]);
  CHECK(at.scheme + "://" + at.host == second);
  CHECK_FALSE(routes_of(*remote).learnt(here.bucket));

  auto info = remote->stat({there.bucket, "a/one"});
  require_ok(info.status());
  CHECK(info->size == 1000);
  std::string got;
  require_ok(remote->read({there.bucket, "a/one"}, {}, [&](const char* d, size_t n) {
    got.append(d, n);
    return Status::OK();
  }));
  CHECK(got == body);
  // A multipart upload and a server-side copy in the other zonegroup.
  const std::string big = test_bytes(6 * 1024 * 1024 + 3, 8);
  UploadOptions uo;
  uo.size = big.size();
  uo.part_size = 5 * 1024 * 1024;
  auto up = remote->begin_upload({there.bucket, "a/big"}, uo);
  require_ok(up.status());
  require_ok((*up)->write_part(1, 0, big.data(), uo.part_size));
  require_ok(
      (*up)->write_part(2, uo.part_size, big.data() + uo.part_size, big.size() - uo.part_size));
  require_ok((*up)->commit().status());
  auto copied = remote->copy_server_side({there.bucket, "a/one"}, {there.bucket, "b/copy"}, *info);
  require_ok(copied.status());
  auto listed = there.list();
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].key == "a/big");
  CHECK(listed[0].size == big.size());
  CHECK(listed[2].key == "b/copy");

  // The first gateway's own bucket is untouched by all this.
  require_ok(remote->put({here.bucket, "x"}, "local", 5, {}).status());
  CHECK_FALSE(routes_of(*remote).learnt(here.bucket));

  // Learnt once, said once at -v.
  const std::string text = log.text();
  INFO(text);
  CHECK(count(text, "bucket '" + there.bucket + "' is in region " + zg["S3_ZONEGROUP_REGION"] +
                        " at " + second) == 1);
  CHECK(count(text, "bucket '" + here.bucket + "'") == 0);

  // A presigned link points at the bucket's own gateway and works without credentials.
  auto url = remote->link({there.bucket, "a/one"}, std::chrono::seconds(600));
  require_ok(url.status());
  CHECK("http://" + host_of(*url) == second);
  CHECK(url->find("%2F" + zg["S3_ZONEGROUP_REGION"] + "%2Fs3%2F") != std::string::npos);
  HttpRequest req;
  req.url = *url;
  auto resp = http_client().send(req);
  require_ok(resp.status());
  CHECK(resp->status == 200);
  CHECK(resp->body == body);
}

TEST_CASE("s3 regions: the other way round, and with a region set", "[s3region]") {
  auto zg = zonegroup_env();
  auto ceph = peer_env("ceph");
  const std::string second = zg["S3_ZONEGROUP_ENDPOINT"];
  S3Bucket here(on(ceph["S3_ENDPOINT"], ""));

  // A remote on the second gateway, signing for its own region, reaches the first's bucket:
  // a wrong-region answer reroutes whatever region was configured.
  auto remote = ceph_remote(on(second, zg["S3_ZONEGROUP_REGION"]));
  // The second gateway learns of a bucket made on the master by metadata sync (seconds):
  // until then it says NoSuchBucket rather than redirecting.
  Status put = remote->put({here.bucket, "k"}, "back", 4, {}).status();
  for (int i = 0; i < 120 && put.missing == Missing::bucket; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    put = remote->put({here.bucket, "k"}, "back", 4, {}).status();
  }
  require_ok(put);
  s3::BucketRoute at = routes_of(*remote).route(here.bucket);
  CHECK(at.scheme + "://" + at.host == ceph["S3_ENDPOINT"]);
  CHECK(at.region == "default");  // the master zonegroup's api name
  CHECK(here.get("k").value() == "back");

  // A fresh remote's link asks the bucket first when it has no region.
  auto fresh = ceph_remote(on(second, ""));
  auto url = fresh->link({here.bucket, "k"}, std::chrono::seconds(600));
  require_ok(url.status());
  CHECK("http://" + host_of(*url) == ceph["S3_ENDPOINT"]);
  HttpRequest req;
  req.url = *url;
  auto resp = http_client().send(req);
  require_ok(resp.status());
  CHECK(resp->status == 200);
  CHECK(resp->body == "back");

  // A bucket that exists nowhere stays a plain not-found.
  CHECK(remote->stat({"cpsync-absent-" + random_suffix(), "k"}).status().code == Errc::not_found);
}

}  // namespace
}  // namespace cpsync::testing
