// core/http_ca_store.cc — one X509_STORE per CA location, loaded on first use under a lock
// and kept: see core/http_ca_store.h.
#include "core/http_ca_store.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <map>
#include <mutex>
#include <utility>

namespace cpsync {

namespace {

struct Loaded {
  X509_STORE* store = nullptr;  // nullptr when loading failed
  std::string error;
};

struct Stores {
  std::mutex mu;
  std::map<std::pair<std::string, std::string>, Loaded> by_location;
  uint64_t loads = 0;
};
// Never destroyed: connections may still hold the stores while static destruction runs.
Stores& stores() {
  static auto* s = new Stores;
  return *s;
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (!e) return "no certificate found";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Loaded load(const CaLocation& where) {
  Loaded out;
  X509_STORE* store = X509_STORE_new();
  if (!store) return {nullptr, "out of memory"};
  ERR_clear_error();
  if (!where.file.empty() && X509_STORE_load_file(store, where.file.c_str()) != 1) {
    out.error = "cannot load CA file " + where.file + ": " + openssl_error();
    X509_STORE_free(store);
    return out;
  }
  // A hashed directory is looked up lazily, certificate by certificate, as peers need them.
  if (!where.dir.empty() && X509_STORE_load_path(store, where.dir.c_str()) != 1 &&
      where.file.empty()) {
    out.error = "cannot use CA directory " + where.dir + ": " + openssl_error();
    X509_STORE_free(store);
    return out;
  }
  ERR_clear_error();
  // What libcurl sets on the stores it loads itself: trust a chain that ends at any
  // certificate in the store, and prefer the store's copy of an issuer to the peer's.
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_TRUSTED_FIRST);
  out.store = store;
  return out;
}

}  // namespace

bool install_ca_store(SSL_CTX* ctx, const CaLocation& where, std::string& error) {
  auto& s = stores();
  X509_STORE* store = nullptr;
  {
    std::lock_guard lock(s.mu);
    auto key = std::make_pair(where.file, where.dir);
    auto it = s.by_location.find(key);
    if (it == s.by_location.end()) {
      it = s.by_location.emplace(std::move(key), load(where)).first;
      ++s.loads;
    }
    if (!it->second.store) {
      error = it->second.error;
      return false;
    }
    store = it->second.store;
  }
  SSL_CTX_set1_cert_store(ctx, store);  // takes its own reference
  return true;
}

uint64_t ca_stores_loaded() {
  auto& s = stores();
  std::lock_guard lock(s.mu);
  return s.loads;
}

}  // namespace cpsync
