// tests/integration/cleanup_test.cc — `cpsync cleanup` through the binary on Ceph RGW and
// the OSS test server (abandoned multipart uploads) and Azurite (blobs with only uncommitted
// blocks): those older than --max-age are aborted (their parts gone, nothing left visible),
// younger ones and other prefixes are kept, --dry-run changes nothing.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "core/part_size.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

std::unique_ptr<Upload> abandoned(Remote& r, const std::string& bucket, const std::string& key) {
  UploadOptions uo;
  uo.size = 6 * kMiB;
  uo.part_size = 6 * kMiB;
  auto up = r.begin_upload(ObjectRef{bucket, key}, uo);
  REQUIRE(up.ok());
  const std::string part(6 * kMiB, 'x');
  REQUIRE((*up)->write_part(1, 0, part.data(), part.size()).ok());
  return std::move(up).value();  // kept alive: its destructor's abort runs after the test
}

std::vector<std::string> pending_keys(Remote& r, const std::string& bucket) {
  std::vector<PendingUpload> p;
  Status st = r.list_pending_uploads(bucket, "", p);
  INFO(st.to_string());
  REQUIRE(st.ok());
  std::vector<std::string> keys;
  for (auto& u : p) keys.push_back(u.key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

void cleanup_removes_old_uploads(const std::string& kind, const std::string& section) {
  PeerBucket b(kind);
  TempDir dir;
  const std::string config = write_config(dir, section);
  Remote& r = *b.remote;
  auto old_up = abandoned(r, b.bucket, "dir/old.bin");
  auto other = abandoned(r, b.bucket, "other/keep.bin");
  std::this_thread::sleep_for(std::chrono::seconds(4));
  auto young = abandoned(r, b.bucket, "dir/young.bin");
  REQUIRE(pending_keys(r, b.bucket) ==
          std::vector<std::string>{"dir/old.bin", "dir/young.bin", "other/keep.bin"});

  const std::string loc = "peer:" + b.bucket + "/dir/";
  RunResult dry = run_cpsync(config, {"cleanup", loc, "--max-age", "3s", "--dry-run"});
  INFO(dry.err);
  CHECK(dry.code == 0);
  CHECK(dry.out.find("would abort peer:" + b.bucket + "/dir/old.bin") != std::string::npos);
  CHECK(dry.out.find("young") == std::string::npos);
  CHECK(pending_keys(r, b.bucket).size() == 3);

  RunResult run = run_cpsync(config, {"cleanup", loc, "--max-age", "3s"});
  INFO(run.err);
  CHECK(run.code == 0);
  CHECK(run.out.find("aborted peer:" + b.bucket + "/dir/old.bin") != std::string::npos);
  CHECK(pending_keys(r, b.bucket) == std::vector<std::string>{"dir/young.bin", "other/keep.bin"});

  RunResult all = run_cpsync(config, {"cleanup", "peer:" + b.bucket, "--max-age", "0"});
  CHECK(all.code == 0);
  CHECK(pending_keys(r, b.bucket).empty());
  size_t visible = 0;  // aborting leaves no object behind (Azure: no empty blob)
  REQUIRE(r.list(ListRequest{b.bucket, "", true, ""}, [&](std::vector<ObjectInfo>& page) {
             visible += page.size();
             return Status::OK();
           }).ok());
  CHECK(visible == 0);

  RunResult bad = run_cpsync(config, {"cleanup", loc, "--max-age", "soon"});
  CHECK(bad.code == 1);
  CHECK(bad.err.find("invalid --max-age 'soon'") != std::string::npos);
  RunResult root = run_cpsync(config, {"cleanup", "peer:"});
  CHECK(root.code == 1);
  RunResult missing = run_cpsync(config, {"cleanup", "peer:" + b.bucket + "-missing"});
  INFO(missing.err);
  CHECK(missing.code == 3);
}

}  // namespace

TEST_CASE("cleanup: abandoned uploads older than --max-age are aborted on S3", "[s3][cleanup]") {
  cleanup_removes_old_uploads("s3", s3_section("peer"));
}

TEST_CASE("cleanup: abandoned uploads older than --max-age are aborted on OSS", "[oss][cleanup]") {
  cleanup_removes_old_uploads("oss", oss_section("peer"));
}

TEST_CASE(
    "cleanup: blobs with only uncommitted blocks older than --max-age are discarded on "
    "Azure",
    "[azure][cleanup]") {
  cleanup_removes_old_uploads("azure", azure_section("peer"));
}
