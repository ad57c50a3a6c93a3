// core/pem_signing_key.cc — PEM key + certificate, RS256 signing (see pem_signing_key.h).
#include "core/pem_signing_key.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>

#include "core/crypto.h"

namespace cpsync {

struct PemSigningKey::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

PemSigningKey::PemSigningKey(PemSigningKey&&) noexcept = default;
PemSigningKey& PemSigningKey::operator=(PemSigningKey&&) noexcept = default;
PemSigningKey::~PemSigningKey() = default;

namespace {

struct FileCloser {
  void operator()(FILE* f) const { std::fclose(f); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// The password callback: the given password, or none (an encrypted key then fails to open).
int password_cb(char* buf, int size, int /*rwflag*/, void* u) {
  const auto* p = static_cast<const std::string*>(u);
  if (!p || p->empty() || static_cast<int>(p->size()) > size) return -1;
  p->copy(buf, p->size());
  return static_cast<int>(p->size());
}

}  // namespace

Result<PemSigningKey> PemSigningKey::load(const std::string& path, const std::string& password) {
  auto fail = [&path](const std::string& why) {
    return Status{Errc::invalid_argument, "certificate file " + path + ": " + why};
  };
  // Reads every PEM block in turn, keeping the first key and the first certificate.
  std::unique_ptr<FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) return fail("cannot be read");
  PemSigningKey k;
  k.key_ = std::make_unique<Key>();
  std::unique_ptr<X509, X509Free> cert;
  std::string pw = password;
  bool bad_password = false;
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long len = 0;
    const long pos = std::ftell(f.get());
    if (PEM_read(f.get(), &name, &header, &data, &len) != 1) break;
    const std::string block = name ? name : "";
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
    if (block == "CERTIFICATE" && !cert) {
      std::fseek(f.get(), pos, SEEK_SET);
      cert.reset(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
      if (!cert) return fail("a CERTIFICATE block does not parse");
    } else if (block.find("PRIVATE KEY") != std::string::npos && !k.key_->pkey) {
      std::fseek(f.get(), pos, SEEK_SET);
      k.key_->pkey = PEM_read_PrivateKey(f.get(), nullptr, &password_cb, &pw);
      if (!k.key_->pkey) {
        bad_password = true;
        break;
      }
    }
  }
  if (bad_password)
    return fail(password.empty() ? "the private key does not parse (is it encrypted? set "
                                   "AZURE_CLIENT_CERTIFICATE_PASSWORD)"
                                 : "the private key does not open with the password given");
  if (!k.key_->pkey) return fail("no PRIVATE KEY block in it");
  if (!cert) return fail("no CERTIFICATE block in it");
  if (EVP_PKEY_get_base_id(k.key_->pkey) != EVP_PKEY_RSA) return fail("the key is not an RSA key");
  if (X509_check_private_key(cert.get(), k.key_->pkey) != 1)
    return fail("the private key does not match the certificate");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (X509_digest(cert.get(), EVP_sha1(), md, &md_len) != 1)
    return fail("cannot compute the certificate's thumbprint");
  k.thumbprint_.assign(reinterpret_cast<const char*>(md), md_len);
  return k;
}

Result<std::string> PemSigningKey::sign_rs256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_->pkey) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1)
    return Status{Errc::permanent, "RS256: cannot start signing"};
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    return Status{Errc::permanent, "RS256: signing failed"};
  sig.resize(len);
  return sig;
}

std::string base64url_encode(std::string_view raw) {
  std::string s = base64_encode(raw);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

}  // namespace cpsync
