// tests/unit/url_copy_reach_test.cc — where a copy source is, as seen from the service that
// would fetch it (sync/url_copy.h): which presigned URLs a destination service can reach.
#include <catch2/catch.hpp>

#include "sync/url_copy.h"

using namespace cpsync;

TEST_CASE("url_host takes the host out of a URL", "[unit]") {
  CHECK(url_host("https://bucket.s3.eu-west-1.amazonaws.com/k?X-Amz-Signature=x") ==
        "bucket.s3.eu-west-1.amazonaws.com");
  CHECK(url_host("http://127.0.0.1:7480/b/k") == "127.0.0.1");
  CHECK(url_host("http://user@Example.COM:80") == "example.com");
  CHECK(url_host("http://[::1]:10000/devstoreaccount1") == "::1");
  CHECK(url_host("no scheme") == "");
}

TEST_CASE("net_scope sorts hosts into loopback, private and public", "[unit]") {
  CHECK(net_scope("127.0.0.1") == NetScope::loopback);
  CHECK(net_scope("localhost") == NetScope::loopback);
  CHECK(net_scope("bucket.localhost") == NetScope::loopback);
  CHECK(net_scope("::1") == NetScope::loopback);
  CHECK(net_scope("10.1.2.3") == NetScope::private_);
  CHECK(net_scope("172.16.0.1") == NetScope::private_);
  CHECK(net_scope("172.32.0.1") == NetScope::public_);
  CHECK(net_scope("192.168.1.1") == NetScope::private_);
  CHECK(net_scope("100.100.100.200") == NetScope::private_);
  CHECK(net_scope("fd00::1") == NetScope::private_);
  CHECK(net_scope("minio") == NetScope::private_);
  CHECK(net_scope("s3.corp.internal") == NetScope::private_);
  CHECK(net_scope("bucket.oss-cn-hangzhou-internal.aliyuncs.com") == NetScope::private_);
  CHECK(net_scope("bucket.oss-cn-hangzhou.aliyuncs.com") == NetScope::public_);
  CHECK(net_scope("52.95.110.1") == NetScope::public_);
}

TEST_CASE("can_fetch: a service reaches public sources, and private ones only nearby", "[unit]") {
  const char* azure = "https://acct.blob.core.windows.net";
  CHECK(can_fetch(azure, "https://b.s3.amazonaws.com/k?sig"));
  CHECK_FALSE(can_fetch(azure, "http://127.0.0.1:7480/b/k"));
  CHECK_FALSE(can_fetch(azure, "http://10.0.0.5:9000/b/k"));
  CHECK(can_fetch("http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:7480/b/k"));
  CHECK(can_fetch("http://10.0.0.9:10000/devstoreaccount1", "http://10.0.0.5:9000/b/k"));
  CHECK_FALSE(can_fetch("http://10.0.0.9:10000/devstoreaccount1", "http://127.0.0.1:7480/b/k"));
  CHECK(can_fetch("", "https://b.s3.amazonaws.com/k"));
  CHECK_FALSE(can_fetch("", "http://localhost:7480/b/k"));
}
