// tests/unit/http_status_test.cc — provider error bodies become typed, redacted Status.
#include <catch2/catch.hpp>

#include "core/http.h"
#include "core/redact.h"
#include "remotes/http/error_fields.h"

using namespace cpsync;

static HttpResponse response(int status, std::string body, Headers h = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(h);
  return r;
}

TEST_CASE("status_from_http maps codes, messages and request ids", "[http]") {
  auto s = http::error_fields(
      response(404,
               "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified "
               "key does not exist.</Message></Error>",
               {{"x-amz-request-id", "tx123"}}),
      "s3 remote 'aws': stat b/k", http::kS3Errors);
  CHECK(s.code == Errc::not_found);
  CHECK(s.provider_code == "NoSuchKey");
  CHECK(s.request_id == "tx123");
  CHECK(s.http_status == 404);
  CHECK(s.message == "s3 remote 'aws': stat b/k: not found: The specified key does not exist.");

  CHECK(http::error_fields(response(503, "<Error><Code>SlowDown</Code></Error>"), "x",
                           http::kS3Errors)
            .code == Errc::throttled);
  CHECK(http::error_fields(response(429, ""), "x", http::kS3Errors).code == Errc::throttled);
  CHECK(http::error_fields(response(500, ""), "x", http::kS3Errors).code == Errc::transient);
  CHECK(http::error_fields(response(403, "", {{"x-ms-error-code", "AuthorizationFailure"}}), "x",
                           http::kAzureErrors)
            .provider_code == "AuthorizationFailure");
  CHECK(http::error_fields(response(400, "<Error><Code>BadDigest</Code></Error>"), "x",
                           http::kS3Errors)
            .code == Errc::corrupt);
  CHECK(http::error_fields(response(412, ""), "x", http::kS3Errors).code == Errc::conflict);
}

TEST_CASE("provider messages that echo signatures are redacted", "[http][redact]") {
  auto s = http::error_fields(
      response(403,
               "<Error><Code>AuthenticationFailed</Code><Message>The MAC signature found in "
               "the HTTP request 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c2=' is not the "
               "same as any computed signature.\nRequestId:abc</Message></Error>"),
      "azureblob remote 'az'", http::kAzureErrors);
  CHECK(s.code == Errc::access_denied);
  CHECK(s.message.find("q1w2e3r4") == std::string::npos);
  CHECK(s.message.find("RequestId") == std::string::npos);
}

TEST_CASE("redact_secrets removes signatures, tokens and authorization values", "[redact]") {
  CHECK(redact_secrets("https://a/b?sv=2021&sig=abc%2Bdef&se=1") ==
        "https://a/b?sv=2021&sig=***&se=1");
  CHECK(redact_secrets("X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok") ==
        "X-Amz-Signature=***&X-Amz-Security-Token=***");
  CHECK(redact_secrets("Authorization: AWS4-HMAC-SHA256 Credential=AK/x, Signature=ff") ==
        "Authorization: ***");
  CHECK(redact_secrets("header SharedKey acct:c2lnbmF0dXJl") == "header SharedKey ***");
  CHECK(url_for_display("https://h/p?sig=1") == "https://h/p?...");
}

TEST_CASE("each provider's dialect names its own code and request-id headers", "[http]") {
  HttpResponse head = response(404, "",
                               {{"x-oss-ec", "0026-00000001"},
                                {"x-oss-request-id", "oss-1"},
                                {"x-ms-error-code", "BlobNotFound"},
                                {"x-ms-request-id", "ms-1"},
                                {"x-amz-request-id", "amz-1"}});
  Status oss = http::error_fields(head, "x", http::kOssErrors);
  CHECK(oss.provider_code == "0026-00000001");
  CHECK(oss.request_id == "oss-1");
  Status az = http::error_fields(head, "x", http::kAzureErrors);
  CHECK(az.provider_code == "BlobNotFound");
  CHECK(az.request_id == "ms-1");
  // S3 answers a HEAD without a body and names no code in a header.
  Status s3 = http::error_fields(head, "x", http::kS3Errors);
  CHECK(s3.provider_code.empty());
  CHECK(s3.request_id == "amz-1");
  CHECK(s3.code == Errc::not_found);
}
