// remotes/oss/credentials/ecs_provider.cc — see ecs_provider.h.
#include "remotes/oss/credentials/ecs_provider.h"

#include <nlohmann/json.hpp>

#include "remotes/http/fetch_http.h"

namespace cpsync::oss {

using http::fetch_http;
namespace {

constexpr long kTimeoutMs = 1000;
constexpr int kTokenTtl = 21600;
constexpr const char* kCredsPath = "/latest/meta-data/ram/security-credentials/";

}  // namespace

bool EcsRamRoleProvider::enabled() {
  return !env_true("ALIBABA_CLOUD_ECS_METADATA_DISABLED");
}

EcsRamRoleProvider::EcsRamRoleProvider(std::string role)
    : endpoint_(env_value("CPSYNC_ALIBABA_ECS_METADATA_ENDPOINT")), role_(std::move(role)) {
  if (endpoint_.empty()) endpoint_ = "http://100.100.100.200";
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
  if (role_.empty()) role_ = env_value("ALIBABA_CLOUD_ECS_METADATA");
}

std::string EcsRamRoleProvider::name() const {
  return "ECS RAM role" + (role_.empty() ? "" : " " + role_) + " (" + endpoint_ + ")";
}

Result<std::optional<std::string>> EcsRamRoleProvider::token() {
  const auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < token_expiry_) return std::optional<std::string>(token_);
  HttpRequest req;
  req.method = "PUT";
  req.url = endpoint_ + "/latest/api/token";
  req.op = "credentials";
  req.timeout_ms = kTimeoutMs;
  req.no_proxy = true;
  req.headers.emplace_back("X-aliyun-ecs-metadata-token-ttl-seconds", std::to_string(kTokenTtl));
  auto r = fetch_http(req, 2, name());
  const bool normal_allowed = !env_true("ALIBABA_CLOUD_IMDSV1_DISABLED");
  if (!r.ok() || !r->success() || r->body.empty()) {
    if (normal_allowed) return std::optional<std::string>();
    if (!r.ok()) return r.status();
    return Status{Errc::access_denied, name() + ": the metadata token request was refused (HTTP " +
                                           std::to_string(r->status) +
                                           ") and ALIBABA_CLOUD_IMDSV1_DISABLED is set"};
  }
  token_ = r->body;
  token_expiry_ = now + std::chrono::seconds(kTokenTtl - 60);
  return std::optional<std::string>(token_);
}

Result<HttpResponse> EcsRamRoleProvider::get(const std::string& path,
                                             const std::optional<std::string>& token) {
  HttpRequest req;
  req.url = endpoint_ + path;
  req.op = "credentials";
  req.timeout_ms = kTimeoutMs;
  req.no_proxy = true;
  if (token) req.headers.emplace_back("X-aliyun-ecs-metadata-token", *token);
  return fetch_http(req, 2, name());
}

Result<OssCredentials> EcsRamRoleProvider::fetch() {
  for (int attempt = 0; attempt < 2; ++attempt) {
    CPSYNC_ASSIGN_OR_RETURN(std::optional<std::string> tok, token());
    const auto retry_token = [&](const HttpResponse& r) {
      if ((r.status == 401 || r.status == 403) && tok && attempt == 0) {
        token_.clear();  // the token expired: a new one
        return true;
      }
      return false;
    };
    std::string role = role_;
    if (role.empty()) {
      CPSYNC_ASSIGN_OR_RETURN(HttpResponse roles, get(kCredsPath, tok));
      if (retry_token(roles)) continue;
      if (roles.status == 404)
        return Status{Errc::access_denied, name() + ": no RAM role is attached to this instance"};
      if (!roles.success())
        return Status{Errc::access_denied, name() + ": listing the role failed (HTTP " +
                                               std::to_string(roles.status) + ")"};
      role = roles.body.substr(0, roles.body.find_first_of("\r\n"));
      if (role.empty() || role.find('/') != std::string::npos)
        return Status{Errc::access_denied, name() + ": malformed reply: no role name"};
    }
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, get(kCredsPath + role, tok));
    if (retry_token(r)) continue;
    if (r.status == 404)
      return Status{Errc::access_denied,
                    name() + ": role '" + role + "' is not attached to this instance (HTTP 404)"};
    if (!r.success())
      return Status{Errc::access_denied, name() + ": the credentials of role '" + role +
                                             "' failed (HTTP " + std::to_string(r.status) + ")"};
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return Status{Errc::access_denied, name() + ": malformed reply: not a JSON object"};
    auto code = j.find("Code");
    const std::string code_text =
        code != j.end() && code->is_string() ? code->get<std::string>() : "";
    if (code_text != "Success")
      return Status{Errc::access_denied,
                    name() + ": the endpoint answered Code '" + code_text + "'"};
    auto c = credentials_from_json(j, name());
    if (!c.ok()) return c;
    c->source = "ECS RAM role " + role + (tok ? "" : " (normal mode)");
    return c;
  }
  return Status{Errc::access_denied, name() + ": the metadata token was refused twice"};
}

}  // namespace cpsync::oss
