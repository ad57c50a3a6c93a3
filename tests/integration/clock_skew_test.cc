// tests/integration/clock_skew_test.cc — a client whose clock is an hour off still works:
// RGW and the OSS server refuse its first request as RequestTimeTooSkewed, the request
// pipeline (remotes/http/pipeline.h) takes the server's Date and signs every later request
// with the corrected clock, once per remote. CPSYNC_TEST_CLOCK_OFFSET_S makes the clock
// wrong; without the correction every request below would fail.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "remotes/http/pipeline.h"
#include "tests/integration/peer_remotes.h"

using namespace cpsync;
using namespace cpsync::testing;

namespace {

struct ClockOffset {
  explicit ClockOffset(const char* seconds) { ::setenv("CPSYNC_TEST_CLOCK_OFFSET_S", seconds, 1); }
  ~ClockOffset() { ::unsetenv("CPSYNC_TEST_CLOCK_OFFSET_S"); }
};

}  // namespace

TEST_CASE("a skewed clock is corrected from the server's Date, once per remote", "[cross][skew]") {
  for (const char* kind : {"s3", "oss"}) {
    for (const char* offset : {"-3600", "5400"}) {
      INFO(kind << " with the clock off by " << offset << " s");
      ClockOffset skew(offset);
      const uint64_t before = http::clock_corrections();
      PeerBucket b(kind);  // make_bucket: refused, corrected, sent again
      CHECK(http::clock_corrections() == before + 1);
      Remote& r = *b.remote;
      const std::string body = "signed with the server's time";
      auto put = r.put(ObjectRef{b.bucket, "a b+%.txt"}, body.data(), body.size(), {});
      INFO(put.status().to_string());
      REQUIRE(put.ok());
      std::string got;
      Status read =
          r.read(ObjectRef{b.bucket, "a b+%.txt"}, ByteRange{}, [&](const char* d, size_t n) {
            got.append(d, n);
            return Status::OK();
          });
      INFO(read.to_string());
      REQUIRE(read.ok());
      CHECK(got == body);
      auto info = r.stat(ObjectRef{b.bucket, "a b+%.txt"});
      REQUIRE(info.ok());
      CHECK(info->size == body.size());
      // Every request after the first signed with the corrected clock.
      CHECK(http::clock_corrections() == before + 1);
    }
  }
}
