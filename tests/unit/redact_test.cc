// tests/unit/redact_test.cc — redact_secrets on the credential shapes of every provider, and
// on ordinary text that merely names a scheme (which must stay readable).
#include <catch2/catch.hpp>

#include "core/redact.h"

using namespace cpsync;

TEST_CASE("redact_secrets hides each provider's authorization credential", "[redact]") {
  CHECK(redact_secrets("sent OSS LTAIak:c2lnbmF0dXJl=") == "sent OSS ***");
  CHECK(redact_secrets("sent OSS4-HMAC-SHA256 Credential=ak/20240101/cn/oss/aliyun_v4_request") ==
        "sent OSS4-HMAC-SHA256 ***");
  CHECK(redact_secrets("SharedKeyLite acct:c2ln") == "SharedKeyLite ***");
  CHECK(redact_secrets("x-oss-security-token: tok\nnext") == "x-oss-security-token: ***\nnext");
  CHECK(redact_secrets("u?x-oss-signature=abc&x-oss-expires=1") ==
        "u?x-oss-signature=***&x-oss-expires=1");
}

TEST_CASE("redact_secrets leaves plain words after a scheme name", "[redact]") {
  const std::string msg = "cannot make public links (needs an S3, OSS or Azure remote)";
  CHECK(redact_secrets(msg) == msg);
  CHECK(redact_secrets("check the OSS endpoint") == "check the OSS endpoint");
  CHECK(redact_secrets("SharedKey authentication failed") == "SharedKey authentication failed");
}
