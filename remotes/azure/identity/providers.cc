// remotes/azure/identity/providers.cc — the token providers (see providers.h).
#include "remotes/azure/identity/providers.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/pem_signing_key.h"
#include "remotes/azure/identity/client_assertion.h"
#include "remotes/http/fetch_http.h"

namespace cpsync::azure {
namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

TimePoint now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// A number that may come as a JSON number or a string ("3599").
std::optional<int64_t> json_int(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (!s.empty() && *end == '\0') return v;
  }
  return std::nullopt;
}

// The token reply of Azure AD and of the managed identity endpoints.
Result<AccessToken> token_from_reply(const HttpResponse& r, const std::string& what,
                                     std::string source) {
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
  if (!r.success()) {
    std::string why = "HTTP " + std::to_string(r.status);
    if (j.is_object()) {
      if (auto e = j.find("error"); e != j.end() && e->is_string())
        why += " " + e->get<std::string>();
      if (auto d = j.find("error_description"); d != j.end() && d->is_string()) {
        std::string text = d->get<std::string>();
        if (auto nl = text.find_first_of("\r\n"); nl != std::string::npos) text.resize(nl);
        why += ": " + text;
      }
    }
    Status s{r.status >= 500 ? Errc::transient : Errc::access_denied,
             what + " refused (" + why + ")"};
    s.http_status = r.status;
    return s;
  }
  if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string())
    return Status{Errc::access_denied, what + ": malformed reply (no access_token)"};
  AccessToken t;
  t.token = j["access_token"].get<std::string>();
  t.source = std::move(source);
  if (auto on = json_int(j, "expires_on"))
    t.expiry = TimePoint(std::chrono::seconds(*on));
  else if (auto in = json_int(j, "expires_in"))
    t.expiry = now() + std::chrono::seconds(*in);
  else
    return Status{Errc::access_denied, what + ": malformed reply (no expires_in)"};
  return t;
}

std::string form(std::initializer_list<std::pair<const char*, std::string>> fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += "&";
    body += uri_encode(k) + "=" + uri_encode(v);
  }
  return body;
}

constexpr const char* kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// A service principal: with its secret, its certificate, or a federated token (workload
// identity).
class ClientCredentialProvider : public TokenProvider {
 public:
  explicit ClientCredentialProvider(IdentitySettings s) : s_(std::move(s)) {}
  std::string name() const override {
    if (!s_.client_secret.empty()) return "client secret";
    if (!s_.client_certificate_path.empty()) return "client certificate";
    return "workload identity";
  }
  Result<AccessToken> fetch() override {
    const std::string what = name() + " (tenant " + s_.tenant_id + ", client " + s_.client_id + ")";
    const std::string token_url =
        trim_slash(s_.authority_host) + "/" + uri_encode(s_.tenant_id) + "/oauth2/v2.0/token";
    std::string body;
    if (!s_.client_secret.empty()) {
      body = form({{"grant_type", "client_credentials"},
                   {"client_id", s_.client_id},
                   {"scope", kStorageScope},
                   {"client_secret", s_.client_secret}});
    } else if (!s_.client_certificate_path.empty()) {
      // Read at every refresh, so a renewed certificate file is picked up.
      auto key = PemSigningKey::load(s_.client_certificate_path, s_.client_certificate_password);
      if (!key.ok())
        return Status{Errc::access_denied,
                      what + ": " + key.status().message + " (AZURE_CLIENT_CERTIFICATE_PATH)"};
      CPSYNC_ASSIGN_OR_RETURN(std::string assertion,
                              client_assertion(*key, s_.client_id, token_url, now(), random_jti()));
      body = form({{"grant_type", "client_credentials"},
                   {"client_id", s_.client_id},
                   {"scope", kStorageScope},
                   {"client_assertion_type", kAssertionType},
                   {"client_assertion", assertion}});
    } else {
      std::ifstream in(s_.federated_token_file, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string assertion = ss.str();
      while (!assertion.empty() && (assertion.back() == '\n' || assertion.back() == '\r'))
        assertion.pop_back();
      if (!in || assertion.empty())
        return Status{Errc::access_denied, what + ": cannot read the token file " +
                                               s_.federated_token_file +
                                               " (AZURE_FEDERATED_TOKEN_FILE)"};
      body = form({{"grant_type", "client_credentials"},
                   {"client_id", s_.client_id},
                   {"scope", kStorageScope},
                   {"client_assertion_type", kAssertionType},
                   {"client_assertion", assertion}});
    }
    HttpRequest req;
    req.method = "POST";
    req.url = token_url;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Accept", "application/json"}};
    req.body_data = body.data();
    req.body_size = body.size();
    req.op = "token";
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, http::fetch_http(req, 3, what));
    return token_from_reply(r, what, what);
  }

 private:
  IdentitySettings s_;
};

// The managed identity of the VM (instance metadata) or of the App Service / Container App.
class ManagedIdentityProvider : public TokenProvider {
 public:
  explicit ManagedIdentityProvider(IdentitySettings s) : s_(std::move(s)) {}
  std::string name() const override {
    return s_.identity_endpoint.empty() ? "managed identity (instance metadata)"
                                        : "managed identity (IDENTITY_ENDPOINT)";
  }
  Result<AccessToken> fetch() override {
    std::string what = name();
    if (!s_.msi_client_id.empty()) what += ", client " + s_.msi_client_id;
    HttpRequest req;
    req.op = "token";
    req.no_proxy = true;
    std::string query = "resource=" + uri_encode(kStorageResource);
    if (!s_.msi_client_id.empty()) query += "&client_id=" + uri_encode(s_.msi_client_id);
    if (!s_.identity_endpoint.empty()) {
      req.url = s_.identity_endpoint +
                (s_.identity_endpoint.find('?') == std::string::npos ? "?" : "&") +
                "api-version=2019-08-01&" + query;
      req.headers = {{"X-IDENTITY-HEADER", s_.identity_header}};
    } else {
      req.url = trim_slash(s_.imds_host) +
                "/metadata/identity/oauth2/token?api-version=2018-02-01&" + query;
      req.headers = {{"Metadata", "true"}};
      req.timeout_ms = 5000;
    }
    auto r = http::fetch_http(req, 3, what);
    if (!r.ok()) {
      Status s = r.status();
      if (s.code == Errc::transient && s_.identity_endpoint.empty())
        s.message +=
            " (no Azure identity found: set client_id/client_secret/tenant, "
            "AZURE_FEDERATED_TOKEN_FILE, or run on a VM with a managed identity)";
      return s;
    }
    return token_from_reply(*r, what, what);
  }

 private:
  IdentitySettings s_;
};

}  // namespace

std::string AccessToken::describe() const {
  std::string d = source;
  if (expiry) d += ", expires " + format_iso8601(*expiry);
  return d;
}

std::string AccessToken::identity() const {
  return sha256_hex(token);
}

IdentitySettings identity_from_env(IdentitySettings s) {
  if (s.tenant_id.empty()) s.tenant_id = env_or("AZURE_TENANT_ID", "");
  if (s.client_id.empty()) s.client_id = env_or("AZURE_CLIENT_ID", "");
  if (s.client_secret.empty()) s.client_secret = env_or("AZURE_CLIENT_SECRET", "");
  if (s.client_certificate_path.empty())
    s.client_certificate_path = env_or("AZURE_CLIENT_CERTIFICATE_PATH", "");
  if (s.client_certificate_password.empty())
    s.client_certificate_password = env_or("AZURE_CLIENT_CERTIFICATE_PASSWORD", "");
  if (s.federated_token_file.empty())
    s.federated_token_file = env_or("AZURE_FEDERATED_TOKEN_FILE", "");
  if (s.authority_host.empty())
    s.authority_host = env_or("AZURE_AUTHORITY_HOST", "https://login.microsoftonline.com");
  if (s.imds_host.empty())
    s.imds_host = env_or("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://169.254.169.254");
  if (s.identity_endpoint.empty()) s.identity_endpoint = env_or("IDENTITY_ENDPOINT", "");
  if (s.identity_header.empty()) s.identity_header = env_or("IDENTITY_HEADER", "");
  return s;
}

namespace {

enum class Form { secret, certificate, federated, managed };

// The one decision make_token_provider and planned_source share.
Form form_of(const IdentitySettings& s) {
  const bool principal = !s.tenant_id.empty() && !s.client_id.empty();
  if (!s.managed_identity_only && principal) {
    if (!s.client_secret.empty()) return Form::secret;
    if (!s.client_certificate_path.empty()) return Form::certificate;
    if (!s.federated_token_file.empty()) return Form::federated;
  }
  return Form::managed;
}

IdentitySettings managed_settings(const IdentitySettings& s) {
  IdentitySettings msi = s;
  // As the SDKs read it: AZURE_CLIENT_ID alone names a user-assigned identity.
  if (msi.msi_client_id.empty()) msi.msi_client_id = s.client_id;
  return msi;
}

}  // namespace

std::unique_ptr<TokenProvider> make_token_provider(const IdentitySettings& s) {
  if (form_of(s) != Form::managed) return std::make_unique<ClientCredentialProvider>(s);
  return std::make_unique<ManagedIdentityProvider>(managed_settings(s));
}

std::string planned_source(const IdentitySettings& s) {
  const std::string who = "tenant " + s.tenant_id + ", client " + s.client_id;
  switch (form_of(s)) {
    case Form::secret:
      return "service principal (secret), " + who;
    case Form::certificate:
      return "service principal (certificate " + s.client_certificate_path + "), " + who;
    case Form::federated:
      return "workload identity, " + who + ", token file " + s.federated_token_file;
    case Form::managed:
      break;
  }
  const IdentitySettings m = managed_settings(s);
  std::string d = m.identity_endpoint.empty()
                      ? "managed identity (instance metadata " + trim_slash(m.imds_host) + ")"
                      : "managed identity (IDENTITY_ENDPOINT " + m.identity_endpoint + ")";
  if (!m.msi_client_id.empty()) d += ", client " + m.msi_client_id;
  return d;
}

}  // namespace cpsync::azure
