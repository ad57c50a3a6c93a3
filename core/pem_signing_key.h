// core/pem_signing_key.h — an RSA private key and the X.509 certificate that goes with it,
// read from one PEM file (as Azure's AZURE_CLIENT_CERTIFICATE_PATH holds them), for signing
// JWTs with RS256. An object is immutable after load(); sign_rs256() may be called from any
// thread. The private key never leaves the object.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace cpsync {

class PemSigningKey {
 public:
  // Reads the first private key and the first certificate in the file; the key must be an
  // RSA key and match the certificate. An encrypted key is opened with `password` (empty:
  // the key must not be encrypted). Errors (Errc::invalid_argument) name the file and what
  // is missing, never key material.
  static Result<PemSigningKey> load(const std::string& path, const std::string& password = "");

  PemSigningKey(PemSigningKey&&) noexcept;
  PemSigningKey& operator=(PemSigningKey&&) noexcept;
  ~PemSigningKey();

  // The certificate's SHA-1 thumbprint over its DER bytes (raw, 20 bytes): JWT's x5t.
  const std::string& sha1_thumbprint() const { return thumbprint_; }
  // RSASSA-PKCS1-v1_5 with SHA-256 over data (raw signature bytes).
  Result<std::string> sign_rs256(std::string_view data) const;

 private:
  PemSigningKey() = default;
  struct Key;
  std::unique_ptr<Key> key_;
  std::string thumbprint_;
};

// base64url without padding (RFC 7515), as JWTs encode their parts.
std::string base64url_encode(std::string_view raw);

}  // namespace cpsync
