// remotes/s3/credentials/imds_provider.cc — see imds_provider.h.
#include "remotes/s3/credentials/imds_provider.h"

#include "remotes/http/fetch_http.h"

namespace cpsync::s3 {

using http::fetch_http;
namespace {

constexpr long kTimeoutMs = 1000;
constexpr int kTokenTtl = 21600;
constexpr const char* kCredsPath = "/latest/meta-data/iam/security-credentials/";

bool is_true(const std::string& v) {
  return v == "true" || v == "TRUE" || v == "True" || v == "1";
}

}  // namespace

bool ImdsProvider::enabled() {
  return !is_true(env_value("AWS_EC2_METADATA_DISABLED"));
}

ImdsProvider::ImdsProvider() : endpoint_(env_value("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
  if (endpoint_.empty()) endpoint_ = "http://169.254.169.254";
  while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
}

Result<std::optional<std::string>> ImdsProvider::token() {
  const auto now = std::chrono::steady_clock::now();
  if (!token_.empty() && now < token_expiry_) return std::optional<std::string>(token_);
  HttpRequest req;
  req.method = "PUT";
  req.url = endpoint_ + "/latest/api/token";
  req.op = "credentials";
  req.timeout_ms = kTimeoutMs;
  req.no_proxy = true;
  req.headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtl));
  auto r = fetch_http(req, 2, name());
  const bool v1_allowed = !is_true(env_value("AWS_EC2_METADATA_V1_DISABLED"));
  if (!r.ok()) {
    // A timed-out PUT is the hop-limit case: the SDKs then try v1. Refused connections are
    // not: the endpoint is down.
    if (v1_allowed && r.status().message.find("imed out") != std::string::npos)
      return std::optional<std::string>();
    return r.status();
  }
  if (r->status == 403 || r->status == 404 || r->status == 405) {
    if (v1_allowed) return std::optional<std::string>();
    return Status{Errc::access_denied, name() + ": the IMDSv2 token request was refused (HTTP " +
                                           std::to_string(r->status) +
                                           ") and AWS_EC2_METADATA_V1_DISABLED is set"};
  }
  if (!r->success() || r->body.empty())
    return Status{Errc::access_denied, name() + ": the IMDSv2 token request failed (HTTP " +
                                           std::to_string(r->status) + ")"};
  token_ = r->body;
  token_expiry_ = now + std::chrono::seconds(kTokenTtl - 60);
  return std::optional<std::string>(token_);
}

Result<HttpResponse> ImdsProvider::get(const std::string& path,
                                       const std::optional<std::string>& token) {
  HttpRequest req;
  req.url = endpoint_ + path;
  req.op = "credentials";
  req.timeout_ms = kTimeoutMs;
  req.no_proxy = true;
  if (token) req.headers.emplace_back("x-aws-ec2-metadata-token", *token);
  return fetch_http(req, 2, name());
}

Result<AwsCredentials> ImdsProvider::fetch() {
  const std::string what = name();
  for (int attempt = 0; attempt < 2; ++attempt) {
    CPSYNC_ASSIGN_OR_RETURN(std::optional<std::string> tok, token());
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse roles, get(kCredsPath, tok));
    if (roles.status == 401 && tok && attempt == 0) {  // the token expired: a new one
      token_.clear();
      continue;
    }
    if (roles.status == 404)
      return Status{Errc::access_denied, what + ": no IAM role is attached to this instance"};
    if (!roles.success())
      return Status{Errc::access_denied,
                    what + ": listing the role failed (HTTP " + std::to_string(roles.status) + ")"};
    std::string role = roles.body.substr(0, roles.body.find_first_of("\r\n"));
    if (role.empty() || role.find('/') != std::string::npos)
      return Status{Errc::access_denied, what + ": malformed reply: no role name"};
    CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, get(kCredsPath + role, tok));
    if (r.status == 401 && tok && attempt == 0) {
      token_.clear();
      continue;
    }
    if (!r.success())
      return Status{Errc::access_denied, what + ": the credentials of role '" + role +
                                             "' failed (HTTP " + std::to_string(r.status) + ")"};
    auto c = credentials_from_json(r.body, what);
    if (!c.ok()) return c;
    c->source =
        std::string("instance metadata ") + (tok ? "(IMDSv2)" : "(IMDSv1)") + ", role " + role;
    return c;
  }
  return Status{Errc::access_denied, what + ": the IMDSv2 token was refused twice"};
}

}  // namespace cpsync::s3
