// tests/unit/crypto_test.cc — hashes, HMACs and encodings against published check values.
#include <catch2/catch.hpp>

#include "core/crypto.h"
#include "core/encoding.h"

using namespace cpsync;

TEST_CASE("md5 and sha256 match RFC 1321 / FIPS 180 check values", "[crypto]") {
  CHECK(hex_lower(md5_raw("")) == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(hex_lower(md5_raw("abc")) == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Digest d(Digest::Algo::sha256);
  d.update("a");
  d.update("bc");
  CHECK(hex_lower(d.digest()) == sha256_hex("abc"));
}

TEST_CASE("hmac matches RFC 4231 and RFC 2202 test case 2", "[crypto]") {
  CHECK(hex_lower(hmac_sha256_raw("Jefe", "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hex_lower(hmac_sha1_raw("Jefe", "what do ya want for nothing?")) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST_CASE("base64 and hex round trip (RFC 4648 vectors)", "[crypto]") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  std::string out;
  REQUIRE(base64_decode("Zm8=", out));
  CHECK(out == "fo");
  REQUIRE(base64_decode("Zg==", out));
  CHECK(out == "f");
  CHECK_FALSE(base64_decode("Zm8", out));
  REQUIRE(hex_decode("00ff10", out));
  CHECK(out == std::string("\x00\xff\x10", 3));
  CHECK_FALSE(hex_decode("0g", out));
}

TEST_CASE("uri_encode escapes all but unreserved characters", "[encoding]") {
  CHECK(uri_encode("a b+c%/d~e", false) == "a%20b%2Bc%25%2Fd~e");
  CHECK(uri_encode("dir/r\xc3\xa9sum\xc3\xa9", true) == "dir/r%C3%A9sum%C3%A9");
  std::string out;
  REQUIRE(uri_decode("a%20b+c", out));
  CHECK(out == "a b+c");
  REQUIRE(uri_decode("a%20b+c", out, true));
  CHECK(out == "a b c");
  CHECK_FALSE(uri_decode("bad%2", out));
}
