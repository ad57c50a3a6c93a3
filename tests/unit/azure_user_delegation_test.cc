// tests/unit/azure_user_delegation_test.cc — the user delegation SAS (remotes/azure/sas.h)
// against a vector made by Azurite 3.37's own checker (generateBlobSASSignatureWithUDK in
// dist/src/blob/authentication/IBlobSASSignatureValues.js, signed version 2021-08-06; no SDK
// vector exists in /work/shared/vectors), its refusals, and the Get User Delegation Key
// body and reply (remotes/azure/user_delegation.h).
#include <catch2/catch.hpp>

#include "core/crypto.h"
#include "core/time_format.h"
#include "remotes/azure/user_delegation.h"

using namespace cpsync;
using namespace cpsync::azure;

namespace {

UserDelegationKey test_key() {
  UserDelegationKey k;
  k.signed_oid = "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d04";
  k.signed_tid = "72f0c1d3-5e4b-4a69-8c2d-0cb5c7a11e01";
  k.signed_start = "2026-12-07T09:55:00Z";
  k.signed_expiry = "2026-12-08T10:00:00Z";
  k.signed_service = "b";
  k.signed_version = "2021-08-06";
  REQUIRE(base64_decode("Y3BzeW5jLXRlc3QtdXNlci1kZWxlZ2F0aW9uLWtleS0=", k.value));
  return k;
}

ServiceSasValues blob_values() {
  ServiceSasValues v;
  v.version = "2021-08-06";
  v.container = "logs";
  v.blob = "2024/app log+1.txt";
  v.permissions = "r";
  v.expires_on = parse_iso8601("2026-12-08T10:00:00Z");
  v.protocol = "https";
  return v;
}

}  // namespace

TEST_CASE("user delegation SAS: Azurite's string to sign and signature", "[azure]") {
  auto t = make_user_delegation_sas(blob_values(), "acct", test_key());
  REQUIRE(t.ok());
  CHECK(t->string_to_sign ==
        "r\n\n2026-12-08T10:00:00Z\n/blob/acct/logs/2024/app log+1.txt\n"
        "b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d04\n72f0c1d3-5e4b-4a69-8c2d-0cb5c7a11e01\n"
        "2026-12-07T09:55:00Z\n2026-12-08T10:00:00Z\nb\n2021-08-06\n\n\n\n\nhttps\n"
        "2021-08-06\nb\n\n\n\n\n\n\n");
  CHECK(t->query ==
        "sv=2021-08-06&spr=https&se=2026-12-08T10%3A00%3A00Z&sr=b&sp=r"
        "&skoid=b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d04&sktid=72f0c1d3-5e4b-4a69-8c2d-0cb5c7a11e01"
        "&skt=2026-12-07T09%3A55%3A00Z&ske=2026-12-08T10%3A00%3A00Z&sks=b&skv=2021-08-06"
        "&sig=ARk040vyCFdfMZEb1hk3dd5BgnnTK6Cci5v0mLm75XQ%3D");
  // Another key, another signature; the same fields.
  UserDelegationKey other = test_key();
  other.value[0] ^= 1;
  auto t2 = make_user_delegation_sas(blob_values(), "acct", other);
  REQUIRE(t2.ok());
  CHECK(t2->string_to_sign == t->string_to_sign);
  CHECK(t2->query != t->query);
}

TEST_CASE("user delegation SAS: what it refuses", "[azure]") {
  ServiceSasValues v = blob_values();
  v.identifier = "policy1";
  CHECK(make_user_delegation_sas(v, "acct", test_key()).status().code == Errc::invalid_argument);
  v = blob_values();
  v.version = "2020-10-02";
  CHECK(make_user_delegation_sas(v, "acct", test_key()).status().code == Errc::invalid_argument);
  v = blob_values();
  v.expires_on.reset();
  CHECK(make_user_delegation_sas(v, "acct", test_key()).status().code == Errc::invalid_argument);
}

TEST_CASE("user delegation key: request body and reply", "[azure]") {
  CHECK(key_info_xml(*parse_iso8601("2026-12-07T09:55:00Z"),
                     *parse_iso8601("2026-12-08T10:00:00Z")) ==
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<KeyInfo><Start>2026-12-07T09:55:00Z</Start>"
        "<Expiry>2026-12-08T10:00:00Z</Expiry></KeyInfo>");
  const std::string reply =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey>"
      "<SignedOid>b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d04</SignedOid>"
      "<SignedTid>72f0c1d3-5e4b-4a69-8c2d-0cb5c7a11e01</SignedTid>"
      "<SignedStart>2026-12-07T09:55:00Z</SignedStart><SignedExpiry>2026-12-08T10:00:00Z"
      "</SignedExpiry><SignedService>b</SignedService><SignedVersion>2021-08-06</SignedVersion>"
      "<Value>Y3BzeW5jLXRlc3QtdXNlci1kZWxlZ2F0aW9uLWtleS0=</Value></UserDelegationKey>";
  auto k = parse_user_delegation_key(reply);
  REQUIRE(k.ok());
  const UserDelegationKey want = test_key();
  CHECK(k->signed_oid == want.signed_oid);
  CHECK(k->signed_tid == want.signed_tid);
  CHECK(k->signed_start == want.signed_start);
  CHECK(k->signed_expiry == want.signed_expiry);
  CHECK(k->signed_service == "b");
  CHECK(k->signed_version == "2021-08-06");
  CHECK(k->value == want.value);
  std::string no_value = reply;
  no_value.erase(no_value.find("<Value>"),
                 no_value.find("</UserDelegationKey>") - no_value.find("<Value>"));
  CHECK(parse_user_delegation_key(no_value).status().code == Errc::corrupt);
  CHECK(parse_user_delegation_key("<Error/>").status().code == Errc::corrupt);
}
