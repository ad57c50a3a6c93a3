// remotes/oss/credentials/sts.cc — Alibaba Cloud STS AssumeRole and AssumeRoleWithOIDC (see
// sts.h).
#include "remotes/oss/credentials/sts.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/redact.h"
#include "remotes/http/fetch_http.h"

namespace cpsync::oss {

using http::fetch_http;
using http::url_host;
namespace {

constexpr long kTimeoutMs = 10000;

std::string encode_params(const RpcParams& p) {
  std::string out;
  for (const auto& [k, v] : p) {
    if (!out.empty()) out += '&';
    out += rpc_percent_encode(k) + "=" + rpc_percent_encode(v);
  }
  return out;
}

std::string nonce() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                static_cast<unsigned long long>(rng()));
  return buf;
}

std::string session_name(const RoleSpec& r) {
  if (!r.session_name.empty()) return r.session_name;
  if (std::string e = env_value("ALIBABA_CLOUD_ROLE_SESSION_NAME"); !e.empty()) return e;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  return "cpsync-" + std::to_string(secs);
}

RpcParams common_query(const char* action) {
  return {{"Action", action},
          {"Format", "JSON"},
          {"Version", "2015-04-01"},
          {"Timestamp", format_iso8601(std::chrono::system_clock::now())}};
}

// POSTs the query and the form to STS and parses its JSON answer.
Result<OssCredentials> call_sts(const std::string& sts, const RpcParams& query,
                                const RpcParams& form, const std::string& action,
                                const std::string& what) {
  const std::string host = url_host(sts);
  if (host.empty())
    return Status{Errc::invalid_argument, what + ": STS endpoint '" + sts + "' is not a URL"};
  const std::string body = encode_params(form);
  HttpRequest req;
  req.method = "POST";
  req.url = http::url_origin(sts) + "/?" + encode_params(query);
  req.op = "sts";
  req.timeout_ms = kTimeoutMs;
  req.body_data = body.data();
  req.body_size = body.size();
  req.headers = {{"content-type", "application/x-www-form-urlencoded"},
                 {"accept-encoding", "identity"}};
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, fetch_http(req, 3, what));
  nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
  auto str = [&](const char* k) -> std::string {
    if (j.is_discarded() || !j.is_object()) return "";
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!r.success()) {
    const std::string code = str("Code");
    const std::string msg = redact_secrets(str("Message"));
    Status s{r.status >= 500 ? Errc::transient : Errc::access_denied,
             what + ": STS " + action + " refused (HTTP " + std::to_string(r.status) +
                 (code.empty() ? "" : ", " + code) + ")" + (msg.empty() ? "" : ": " + msg)};
    s.provider_code = code;
    s.http_status = r.status;
    return s;
  }
  if (j.is_discarded() || !j.is_object() || !j.contains("Credentials"))
    return Status{Errc::access_denied,
                  what + ": malformed reply: no Credentials in STS's " + action + " answer"};
  return credentials_from_json(j["Credentials"], what);
}

std::string read_token(const std::string& file, const std::string& what, Status* err) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *err = Status{Errc::access_denied,
                  what + ": cannot read ALIBABA_CLOUD_OIDC_TOKEN_FILE '" + file + "'"};
    return "";
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str();
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ')) t.pop_back();
  if (t.empty())
    *err = Status{Errc::access_denied, what + ": the OIDC token file '" + file + "' is empty"};
  return t;
}

}  // namespace

std::string rpc_percent_encode(std::string_view s) {
  return uri_encode(s);
}

std::string rpc_string_to_sign(std::string_view method, RpcParams params) {
  std::sort(params.begin(), params.end());
  return std::string(method) + "&%2F&" + rpc_percent_encode(encode_params(params));
}

std::string rpc_signature(std::string_view method, const RpcParams& params,
                          std::string_view secret) {
  return base64_encode(
      hmac_sha1_raw(std::string(secret) + "&", rpc_string_to_sign(method, params)));
}

std::string sts_endpoint(std::string_view configured) {
  std::string e(configured);
  if (e.empty()) e = env_value("CPSYNC_ALIBABA_STS_ENDPOINT");
  if (e.empty()) {
    const std::string prefix = env_true("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") ? "sts-vpc" : "sts";
    const std::string region = env_value("ALIBABA_CLOUD_STS_REGION");
    e = region.empty() ? "sts.aliyuncs.com" : prefix + "." + region + ".aliyuncs.com";
  }
  if (e.find("://") == std::string::npos) e = "https://" + e;
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

Result<OssCredentials> AssumeRoleProvider::fetch() {
  const std::string what = name();
  auto base = base_->fetch();
  if (!base.ok()) {
    Status s = base.status();
    s.message = what + ": its source credentials: " + s.message;
    return s;
  }
  RpcParams query = common_query("AssumeRole");
  query.insert(query.end(), {{"SignatureMethod", "HMAC-SHA1"},
                             {"SignatureVersion", "1.0"},
                             {"SignatureNonce", nonce()},
                             {"AccessKeyId", base->keys.access_key_id}});
  if (!base->keys.security_token.empty())
    query.emplace_back("SecurityToken", base->keys.security_token);
  RpcParams form{{"RoleArn", role_.role_arn},
                 {"RoleSessionName", session_name(role_)},
                 {"DurationSeconds", std::to_string(role_.duration_seconds)}};
  if (!role_.external_id.empty()) form.emplace_back("ExternalId", role_.external_id);
  RpcParams signed_params = query;
  signed_params.insert(signed_params.end(), form.begin(), form.end());
  query.emplace_back("Signature",
                     rpc_signature("POST", signed_params, base->keys.access_key_secret));
  auto c = call_sts(sts_, query, form, "AssumeRole", what);
  if (c.ok()) c->source = "assume role " + role_.role_arn + " (from " + base->source + ")";
  return c;
}

bool OidcProvider::configured() {
  return !env_value("ALIBABA_CLOUD_OIDC_TOKEN_FILE").empty();
}

OidcProvider::OidcProvider(std::string sts)
    : token_file_(env_value("ALIBABA_CLOUD_OIDC_TOKEN_FILE")),
      provider_arn_(env_value("ALIBABA_CLOUD_OIDC_PROVIDER_ARN")),
      sts_(std::move(sts)) {
  role_.role_arn = env_value("ALIBABA_CLOUD_ROLE_ARN");
}

Result<OssCredentials> OidcProvider::fetch() {
  const std::string what = name();
  for (auto [value, var] : {std::pair{&token_file_, "ALIBABA_CLOUD_OIDC_TOKEN_FILE"},
                            std::pair{&provider_arn_, "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"},
                            std::pair{&role_.role_arn, "ALIBABA_CLOUD_ROLE_ARN"}})
    if (value->empty())
      return Status{Errc::access_denied, what + ": " + var +
                                             " is not set (RRSA needs "
                                             "ALIBABA_CLOUD_OIDC_TOKEN_FILE, "
                                             "ALIBABA_CLOUD_OIDC_PROVIDER_ARN and "
                                             "ALIBABA_CLOUD_ROLE_ARN)"};
  Status err;
  const std::string token = read_token(token_file_, what, &err);
  if (!err.ok()) return err;
  RpcParams form{{"RoleArn", role_.role_arn},
                 {"OIDCProviderArn", provider_arn_},
                 {"OIDCToken", token},
                 {"RoleSessionName", session_name(role_)},
                 {"DurationSeconds", std::to_string(role_.duration_seconds)}};
  auto c = call_sts(sts_, common_query("AssumeRoleWithOIDC"), form, "AssumeRoleWithOIDC", what);
  if (c.ok()) c->source = "OIDC role (RRSA) " + role_.role_arn;
  return c;
}

}  // namespace cpsync::oss
