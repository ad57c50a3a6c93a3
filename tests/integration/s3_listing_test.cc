// tests/integration/s3_listing_test.cc — the S3 remote against Ceph RGW: pagination past
// 1000 keys in byte order, delimiter listings, awkward keys, buckets and error lines.
#include <algorithm>
#include <atomic>
#include <thread>

#include "tests/integration/s3_peer.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

// Puts every key (tiny bodies) from 4 threads.
void put_all(Remote& r, const std::string& bucket, const std::vector<std::string>& keys) {
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  std::string first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (size_t i; (i = next++) < keys.size();) {
        Status st =
            r.put({bucket, keys[i]}, keys[i].data(), std::min<size_t>(keys[i].size(), 7), {})
                .status();
        if (!st.ok() && failures++ == 0) first_error = st.message;
      }
    });
  for (auto& t : threads) t.join();
  INFO(first_error);
  REQUIRE(failures == 0);
}

}  // namespace

TEST_CASE("s3 lists more than 1000 keys across pages in byte order", "[s3]") {
  S3Bucket b;
  std::vector<std::string> keys;
  for (int i = 0; i < 1010; ++i) keys.push_back("p/" + std::to_string(i * 7919 % 100003));
  for (const char* k :
       {"p/A", "p/Z", "p/a", "p/_", "p/~", "p/\xC3\xA9", "p/\xE2\x82\xAC", "p/\xF0\x9F\x98\x80",
        "p/sub/x", "p/sub/y", "p/sub2/z", "p/ space", "p/+plus", "p/%pct"})
    keys.push_back(k);
  put_all(*b.remote, b.bucket, keys);
  std::vector<std::string> want = keys;
  std::sort(want.begin(), want.end());  // std::string compares bytes as unsigned char

  size_t pages = 0;
  std::vector<std::string> got;
  Status st = b.remote->list({b.bucket, "p/", true, ""}, [&](std::vector<ObjectInfo>& page) {
    ++pages;
    for (auto& o : page) got.push_back(o.key);
    return Status::OK();
  });
  INFO(st.message);
  REQUIRE(st.ok());
  CHECK(pages >= 2);
  CHECK(got == want);

  SECTION("start_after resumes exclusively") {
    std::vector<std::string> rest;
    REQUIRE(b.remote
                ->list({b.bucket, "p/", true, want[999]},
                       [&](std::vector<ObjectInfo>& page) {
                         for (auto& o : page) rest.push_back(o.key);
                         return Status::OK();
                       })
                .ok());
    CHECK(rest == std::vector<std::string>(want.begin() + 1000, want.end()));
  }
  SECTION("delimiter listing gives common prefixes as directories, merged in order") {
    auto entries = b.list("p/", false);
    std::vector<std::string> dirs, all;
    for (auto& o : entries) {
      all.push_back(o.key);
      if (o.is_dir) dirs.push_back(o.key);
    }
    CHECK(dirs == std::vector<std::string>{"p/sub/", "p/sub2/"});
    CHECK(std::is_sorted(all.begin(), all.end()));
    CHECK(all.size() == keys.size() - 3 + 2);
  }
  SECTION("remove_many deletes in batches of 1000") {
    REQUIRE(b.remote->remove_many(b.bucket, keys).ok());
    CHECK(b.list().empty());
  }
  SECTION("a sink error stops the listing and is returned") {
    Status s = b.remote->list({b.bucket, "", true, ""}, [&](std::vector<ObjectInfo>&) {
      return Status{Errc::cancelled, "stop"};
    });
    CHECK(s.code == Errc::cancelled);
  }
}

TEST_CASE("s3 awkward keys round trip through put, stat, read, list and remove", "[s3]") {
  S3Bucket b;
  std::vector<std::string> keys = {
      "with space/and  two",
      "unicode/r\xC3\xA9sum\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xF0\x9F\x98\x80",
      "reserved/+%=&?#~!'()*,;:@$[]",
      "double//slash//",
      "/leading-slash",
      "dot/./and/../dots",
      "trailing-space ",
      std::string(1024 - 5, 'k') + ".long",
      "percent/%41%2F%zz",
  };
  for (const auto& k : keys) {
    INFO("key " << k);
    const std::string data = "data:" + k;
    auto put = b.remote->put(b.ref(k), data.data(), data.size(), {});
    INFO(put.status().message);
    REQUIRE(put.ok());
    auto st = b.remote->stat(b.ref(k));
    INFO(st.status().message);
    REQUIRE(st.ok());
    CHECK(st->size == data.size());
    auto got = b.get(k);
    REQUIRE(got.ok());
    CHECK(*got == data);
  }
  std::vector<std::string> want = keys, got;
  std::sort(want.begin(), want.end());
  for (auto& o : b.list()) got.push_back(o.key);
  CHECK(got == want);
  auto dirs = b.list("double/", false);
  REQUIRE(dirs.size() == 1);
  CHECK(dirs[0].key == "double//");
  CHECK(dirs[0].is_dir);
  for (const auto& k : keys) {
    INFO("key " << k);
    CHECK(b.remote->remove(b.ref(k)).ok());
  }
  CHECK(b.list().empty());
}

TEST_CASE("s3 buckets can be made, listed and removed", "[s3]") {
  auto remote = ceph_remote();
  const std::string name = "cpsync-bkt-" + random_suffix();
  REQUIRE(remote->make_bucket(name).ok());
  CHECK(remote->make_bucket(name).ok());  // already ours: fine
  std::vector<std::string> names;
  REQUIRE(remote
              ->list_buckets([&](std::vector<ObjectInfo>& page) {
                for (auto& o : page) names.push_back(o.key);
                return Status::OK();
              })
              .ok());
  CHECK(std::find(names.begin(), names.end(), name) != names.end());
  CHECK(std::is_sorted(names.begin(), names.end()));
  REQUIRE(remote->remove_bucket(name).ok());
  CHECK(remote->remove_bucket(name).code == Errc::not_found);
}

TEST_CASE("s3 missing bucket is not_found with one line naming the remote", "[s3]") {
  auto remote = ceph_remote();
  const std::string missing = "cpsync-missing-" + random_suffix();
  Status st =
      remote->list({missing, "", true, ""}, [](std::vector<ObjectInfo>&) { return Status::OK(); });
  CHECK(st.code == Errc::not_found);
  CHECK(st.message.find("s3 remote 'ceph'") != std::string::npos);
  CHECK(st.message.find(missing) != std::string::npos);
  CHECK(st.message.find('\n') == std::string::npos);
  CHECK(remote->stat({missing, "k"}).status().code == Errc::not_found);
  std::string data = "x";
  CHECK(remote->put({missing, "k"}, data.data(), 1, {}).status().code == Errc::not_found);
}

TEST_CASE("s3 wrong credentials are access_denied with one line naming the remote", "[s3]") {
  S3Bucket good;
  SECTION("wrong secret") {
    auto bad = ceph_remote({{"secret_access_key", "wrong-secret-0123456789"}});
    Status st = bad->list({good.bucket, "", true, ""},
                          [](std::vector<ObjectInfo>&) { return Status::OK(); });
    CHECK(st.code == Errc::access_denied);
    CHECK(st.provider_code == "SignatureDoesNotMatch");
    CHECK(st.message.find("s3 remote 'ceph'") != std::string::npos);
    CHECK(st.message.find("access_key_id/secret_access_key") != std::string::npos);
    CHECK(st.message.find("wrong-secret") == std::string::npos);
    CHECK(st.message.find('\n') == std::string::npos);
  }
  SECTION("unknown access key") {
    auto bad = ceph_remote({{"access_key_id", "NOSUCHKEY0000000000"}});
    auto st = bad->stat(good.ref("k"));
    CHECK(st.status().code == Errc::access_denied);  // HEAD: no body, still a clear line
    CHECK(st.status().message.find("s3 remote 'ceph'") != std::string::npos);
    std::string data = "x";
    auto put = bad->put(good.ref("k"), data.data(), 1, {});
    CHECK(put.status().code == Errc::access_denied);
    CHECK(put.status().provider_code == "InvalidAccessKeyId");
    CHECK(put.status().message ==
          "s3 remote 'ceph': access denied for object '" + good.bucket +
              "/k' (InvalidAccessKeyId): check access_key_id/secret_access_key");
  }
}
