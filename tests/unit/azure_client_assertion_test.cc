// tests/unit/azure_client_assertion_test.cc — core/pem_signing_key.h and the certificate's
// client assertion (remotes/azure/identity/client_assertion.h): keys and certificates made
// by the openssl command, the JWT's header and claims as MSAL shapes them, its signature
// checked by `openssl dgst -verify` against the certificate, and the refusals of files
// that do not hold a matching RSA key and certificate.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/crypto.h"
#include "core/pem_signing_key.h"
#include "remotes/azure/identity/client_assertion.h"

using namespace cpsync;

namespace {

struct Dir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("cpsync-assertion-" + std::to_string(::getpid()));
  Dir() { std::filesystem::create_directories(path); }
  ~Dir() { std::filesystem::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

int sh(const std::string& cmd) {
  return std::system((cmd + " >/dev/null 2>&1").c_str());
}

std::string slurp(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// prefix-key.pem, prefix-cert.pem, prefix-both.pem (key then certificate).
void make_pair(const Dir& d, const std::string& prefix, const std::string& newkey = "rsa:2048") {
  const std::string p = d / prefix;
  REQUIRE(sh("openssl req -x509 -newkey " + newkey + " -nodes -keyout " + p + "-key.pem -out " + p +
             "-cert.pem -subj /CN=cpsync-test -days 1") == 0);
  std::ofstream(p + "-both.pem") << slurp(p + "-key.pem") << slurp(p + "-cert.pem");
}

std::string b64url_decode(std::string s) {
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (s.size() % 4) s += '=';
  std::string out;
  REQUIRE(base64_decode(s, out));
  return out;
}

// The certificate's SHA-1 fingerprint by the openssl command, as upper-case hex.
std::string openssl_sha1(const std::string& cert) {
  FILE* p = ::popen(("openssl x509 -noout -fingerprint -sha1 -in " + cert).c_str(), "r");
  REQUIRE(p);
  char buf[256] = {};
  std::string line = std::fgets(buf, sizeof buf, p) ? buf : "";
  ::pclose(p);
  std::string hex;
  for (char c : line.substr(line.find('=') + 1))
    if (std::isxdigit(static_cast<unsigned char>(c))) hex += c;
  return hex;
}

}  // namespace

TEST_CASE("client assertion: RS256 JWT with x5t, signed by the certificate's key", "[azure]") {
  Dir d;
  make_pair(d, "a");
  auto key = PemSigningKey::load(d / "a-both.pem");
  REQUIRE(key.ok());
  // The certificate after the key, or before it: the same.
  std::ofstream(d / "a-rev.pem") << slurp(d / "a-cert.pem") << slurp(d / "a-key.pem");
  auto rev = PemSigningKey::load(d / "a-rev.pem");
  REQUIRE(rev.ok());
  CHECK(rev->sha1_thumbprint() == key->sha1_thumbprint());

  const TimePoint now{std::chrono::seconds(1765112345)};
  const std::string aud = "https://login.example/tenant-1/oauth2/v2.0/token";
  auto jwt = azure::client_assertion(*key, "client-1", aud, now, "jti-1");
  REQUIRE(jwt.ok());
  const std::string& t = *jwt;
  const auto dot1 = t.find('.'), dot2 = t.rfind('.');
  REQUIRE(dot1 != dot2);
  auto header = nlohmann::json::parse(b64url_decode(t.substr(0, dot1)));
  auto claims = nlohmann::json::parse(b64url_decode(t.substr(dot1 + 1, dot2 - dot1 - 1)));
  CHECK(header["alg"] == "RS256");
  CHECK(header["typ"] == "JWT");
  // x5t: base64url of the SHA-1 of the certificate's DER, as openssl computes it.
  std::string raw;
  REQUIRE(hex_decode(openssl_sha1(d / "a-cert.pem"), raw));
  CHECK(header["x5t"] == base64url_encode(raw));
  CHECK(header["kid"] == openssl_sha1(d / "a-cert.pem"));
  CHECK(claims["aud"] == aud);
  CHECK(claims["iss"] == "client-1");
  CHECK(claims["sub"] == "client-1");
  CHECK(claims["jti"] == "jti-1");
  CHECK(claims["nbf"] == 1765112345);
  CHECK(claims["exp"] == 1765112345 + 600);
  CHECK(t.find('=') == std::string::npos);  // no padding

  // The signature verifies with the certificate's public key (openssl), and not over
  // other bytes.
  std::ofstream(d / "input", std::ios::binary) << t.substr(0, dot2);
  std::ofstream(d / "sig", std::ios::binary) << b64url_decode(t.substr(dot2 + 1));
  REQUIRE(sh("(openssl x509 -pubkey -noout -in " + d / "a-cert.pem" + " > " + d / "pub.pem)") == 0);
  CHECK(sh("openssl dgst -sha256 -verify " + d / "pub.pem" + " -signature " + d / "sig " +
           d / "input") == 0);
  std::ofstream(d / "input", std::ios::binary) << t.substr(0, dot2) << "x";
  CHECK(sh("openssl dgst -sha256 -verify " + d / "pub.pem" + " -signature " + d / "sig " +
           d / "input") != 0);

  auto u = azure::random_jti();
  CHECK(u.size() == 36);
  CHECK(u[14] == '4');
  CHECK(u != azure::random_jti());
}

TEST_CASE("client certificate file: what is refused, in one line without key material", "[azure]") {
  Dir d;
  make_pair(d, "a");
  make_pair(d, "b");
  auto msg = [](const std::string& path, const std::string& pw = "") {
    auto k = PemSigningKey::load(path, pw);
    REQUIRE_FALSE(k.ok());
    CHECK(k.status().message.find('\n') == std::string::npos);
    CHECK(k.status().message.find("BEGIN") == std::string::npos);
    return k.status().message;
  };
  CHECK(msg(d / "absent.pem") == "certificate file " + d / "absent.pem" + ": cannot be read");
  CHECK(msg(d / "a-cert.pem").ends_with("no PRIVATE KEY block in it"));
  CHECK(msg(d / "a-key.pem").ends_with("no CERTIFICATE block in it"));
  std::ofstream(d / "mixed.pem") << slurp(d / "b-key.pem") << slurp(d / "a-cert.pem");
  CHECK(msg(d / "mixed.pem").ends_with("the private key does not match the certificate"));
  make_pair(d, "ec", "ec -pkeyopt ec_paramgen_curve:P-256");
  CHECK(msg(d / "ec-both.pem").ends_with("the key is not an RSA key"));

  // An encrypted key opens with its password only.
  REQUIRE(sh("openssl pkey -in " + d / "a-key.pem" + " -aes256 -passout pass:pw1 -out " +
             d / "enc-key.pem") == 0);
  std::ofstream(d / "enc-both.pem") << slurp(d / "enc-key.pem") << slurp(d / "a-cert.pem");
  CHECK(msg(d / "enc-both.pem").find("AZURE_CLIENT_CERTIFICATE_PASSWORD") != std::string::npos);
  CHECK(msg(d / "enc-both.pem", "wrong").ends_with("does not open with the password given"));
  CHECK(PemSigningKey::load(d / "enc-both.pem", "pw1").ok());
}
