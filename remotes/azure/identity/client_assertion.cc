// remotes/azure/identity/client_assertion.cc — the certificate's client assertion (see
// client_assertion.h).
#include "remotes/azure/identity/client_assertion.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "core/crypto.h"

namespace cpsync::azure {

Result<std::string> client_assertion(const PemSigningKey& key, const std::string& client_id,
                                     const std::string& token_endpoint, TimePoint now,
                                     const std::string& jti) {
  std::string kid = hex_lower(key.sha1_thumbprint());
  for (char& c : kid) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const nlohmann::json header = {{"alg", "RS256"},
                                 {"typ", "JWT"},
                                 {"x5t", base64url_encode(key.sha1_thumbprint())},
                                 {"kid", kid}};
  const int64_t nbf =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const nlohmann::json claims = {{"aud", token_endpoint},
                                 {"iss", client_id},
                                 {"sub", client_id},
                                 {"jti", jti},
                                 {"nbf", nbf},
                                 {"exp", nbf + kAssertionLifetimeSeconds}};
  const std::string signing_input =
      base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
  CPSYNC_ASSIGN_OR_RETURN(std::string sig, key.sign_rs256(signing_input));
  return signing_input + "." + base64url_encode(sig);
}

std::string random_jti() {
  std::random_device rd;
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(rd());
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace cpsync::azure
