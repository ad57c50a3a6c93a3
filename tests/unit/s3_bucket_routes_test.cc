// tests/unit/s3_bucket_routes_test.cc — reading S3's wrong-region answers (the forms AWS
// documents: 301 PermanentRedirect and 400 with x-amz-bucket-region, AuthorizationHeaderMalformed
// naming the <Region>) and the route an AWS remote takes from them: the regional endpoint.
// Answers that name their region need no request; RGW's are tested in s3_region_test.cc.
#include <catch2/catch.hpp>

#include "conf/config_section.h"
#include "remotes/s3/bucket_routes.h"

namespace cpsync::s3 {
namespace {

HttpResponse answer(int status, Headers h, std::string body = "") {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(h);
  r.body = std::move(body);
  return r;
}

Status refused(int status, std::string code) {
  Status s{Errc::permanent, "refused"};
  s.http_status = status;
  s.provider_code = std::move(code);
  return s;
}

S3Options aws_options(const std::string& region) {
  // Designated initializers: member-wise assignment of short literals after default
  // construction trips GCC 12's -O3 maybe-uninitialized false positive.
  ConfigSection s{.name = "aws",
                  .type = "s3",
                  .origin = "test",
                  .values = {{"access_key_id", "AKIDEXAMPLE"}, {"secret_access_key", "secret"}},
                  .lines = {}};
  if (!region.empty()) s.values["region"] = region;
  auto o = S3Options::from_section(s);
  REQUIRE(o.ok());
  return *o;
}

TEST_CASE("s3 regions: the region a wrong-region answer names", "[s3]") {
  auto moved = answer(301, {{"x-amz-bucket-region", "eu-west-1"}},
                      "<Error><Code>PermanentRedirect</Code></Error>");
  CHECK(region_named_by(moved) == "eu-west-1");
  CHECK(is_wrong_region(moved, refused(301, "PermanentRedirect")));
  auto malformed = answer(400, {},
                          "<?xml version=\"1.0\"?><Error><Code>AuthorizationHeaderMalformed</Code>"
                          "<Region>ap-southeast-2</Region></Error>");
  CHECK(region_named_by(malformed) == "ap-southeast-2");
  CHECK(is_wrong_region(malformed, refused(400, "AuthorizationHeaderMalformed")));
  auto head = answer(400, {{"x-amz-bucket-region", "us-west-2"}});  // a HEAD has no body
  CHECK(is_wrong_region(head, refused(400, "")));
  CHECK(is_wrong_region(answer(400, {}), refused(400, "IllegalLocationConstraintException")));
  // Other refusals are not about regions.
  CHECK_FALSE(is_wrong_region(answer(403, {}), refused(403, "AccessDenied")));
  CHECK_FALSE(is_wrong_region(answer(400, {}), refused(400, "InvalidArgument")));
  CHECK(region_named_by(answer(404, {}, "<Error><Code>NoSuchKey</Code></Error>")).empty());
}

TEST_CASE("s3 regions: an AWS remote follows a bucket to its regional endpoint", "[s3]") {
  S3Options o = aws_options("");
  CHECK(o.region_auto);
  CHECK(o.region == "us-east-1");
  BucketRoutes routes(o);
  http::Request req;
  req.bucket = "far-bucket";
  CHECK(routes.route("far-bucket").host == "s3.us-east-1.amazonaws.com");
  auto moved = answer(301, {{"x-amz-bucket-region", "eu-central-1"}});
  CHECK(routes.reroute(moved, req, refused(301, "")));
  BucketRoute at = routes.route("far-bucket");
  CHECK(at.region == "eu-central-1");
  CHECK(at.host == "s3.eu-central-1.amazonaws.com");
  CHECK(at.scheme == "https");
  // Other buckets keep the remote's own route; a service request has no bucket to move.
  CHECK(routes.route("near-bucket").region == "us-east-1");
  http::Request service;
  CHECK_FALSE(routes.reroute(moved, service, refused(301, "")));
  // An answer that is not about regions changes nothing.
  CHECK_FALSE(routes.reroute(answer(403, {}), req, refused(403, "AccessDenied")));
  CHECK(routes.route("far-bucket").region == "eu-central-1");

  // "auto" is the same as unset; a region set is kept, and still follows a wrong-region answer.
  CHECK(aws_options("auto").region_auto);
  S3Options fixed = aws_options("ap-south-1");
  CHECK_FALSE(fixed.region_auto);
  BucketRoutes fixed_routes(fixed);
  auto malformed = answer(400, {},
                          "<Error><Code>AuthorizationHeaderMalformed</Code>"
                          "<Region>sa-east-1</Region></Error>");
  CHECK(fixed_routes.reroute(malformed, req, refused(400, "AuthorizationHeaderMalformed")));
  CHECK(fixed_routes.route("far-bucket").host == "s3.sa-east-1.amazonaws.com");
}

}  // namespace
}  // namespace cpsync::s3
