// core/http_ca_store.h — the certificate stores core/http verifies TLS peers with, parsed once
// per process for each distinct CA configuration (a bundle file and/or a hashed directory)
// and shared by every connection, instead of libcurl parsing the bundle (Debian's: 145
// certificates, about 36 ms of CPU) at each new connection. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

typedef struct ssl_ctx_st SSL_CTX;

namespace cpsync {

// Where trusted certificates come from: a PEM bundle file, a hashed directory, or both
// (either may be empty).
struct CaLocation {
  std::string file;
  std::string dir;
  bool operator==(const CaLocation&) const = default;
};

// Installs the shared store for `where` on ctx (one reference more; the store itself is
// loaded on first use of `where` and kept for the life of the process). False, with
// `error` set, when the location cannot be loaded (a missing or unreadable file, no
// certificate in it): the connection must then fail, as a wrong CA would.
bool install_ca_store(SSL_CTX* ctx, const CaLocation& where, std::string& error);

// How many stores have been loaded in this process (for the tests).
uint64_t ca_stores_loaded();

}  // namespace cpsync
