// core/crypto.h — hashes, HMACs and byte encodings on OpenSSL 3 EVP.
// Md5/Sha256 are incremental and single-threaded objects; the free functions are pure
// and safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cpsync {

// Incremental digest (MD5 or SHA-256). digest() finishes it; the object is then spent.
class Digest {
 public:
  enum class Algo { md5, sha256 };
  explicit Digest(Algo a);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;
  void update(const void* data, size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  std::string digest();  // raw bytes (16 or 32)

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string md5_raw(std::string_view data);
std::string sha256_raw(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_raw(std::string_view key, std::string_view data);
std::string hmac_sha1_raw(std::string_view key, std::string_view data);

std::string hex_lower(std::string_view raw);
std::string base64_encode(std::string_view raw);
// Returns false on malformed input.
bool base64_decode(std::string_view text, std::string& out);
// Hex string to raw bytes; false if not hex of even length.
bool hex_decode(std::string_view hex, std::string& out);

}  // namespace cpsync
