// remotes/s3/credentials/sts.cc — STS AssumeRole and AssumeRoleWithWebIdentity (see sts.h).
#include "remotes/s3/credentials/sts.h"

#include <tinyxml2.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/redact.h"
#include "core/time_format.h"
#include "remotes/http/fetch_http.h"

namespace cpsync::s3 {

using http::fetch_http;
using http::url_host;
using http::url_origin;
namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

std::string form_encode(const Form& f) {
  std::string out;
  for (const auto& [k, v] : f) {
    if (!out.empty()) out += '&';
    out += uri_encode(k) + "=" + uri_encode(v);
  }
  return out;
}

std::string session_name(const RoleSpec& r) {
  if (!r.session_name.empty()) return r.session_name;
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  return "cpsync-" + std::to_string(secs);
}

const char* text_of(const tinyxml2::XMLElement* e, const char* child) {
  const tinyxml2::XMLElement* c = e ? e->FirstChildElement(child) : nullptr;
  return c && c->GetText() ? c->GetText() : "";
}

// Parses an <XxxResponse><XxxResult><Credentials> reply, or the <ErrorResponse>.
Result<AwsCredentials> parse_reply(const HttpResponse& r, const std::string& action,
                                   const std::string& what) {
  tinyxml2::XMLDocument doc;
  const bool parsed =
      !r.body.empty() && doc.Parse(r.body.data(), r.body.size()) == tinyxml2::XML_SUCCESS;
  if (!r.success()) {
    const tinyxml2::XMLElement* err =
        parsed && doc.RootElement() ? doc.RootElement()->FirstChildElement("Error") : nullptr;
    if (!err && parsed) err = doc.FirstChildElement("Error");
    std::string code = text_of(err, "Code");
    std::string msg = redact_secrets(text_of(err, "Message"));
    Status s{r.status >= 500 ? Errc::transient : Errc::access_denied,
             what + ": STS " + action + " refused (HTTP " + std::to_string(r.status) +
                 (code.empty() ? "" : ", " + code) + ")" + (msg.empty() ? "" : ": " + msg)};
    s.provider_code = code;
    s.http_status = r.status;
    return s;
  }
  const tinyxml2::XMLElement* root = parsed ? doc.RootElement() : nullptr;
  const tinyxml2::XMLElement* result =
      root ? root->FirstChildElement((action + "Result").c_str()) : nullptr;
  const tinyxml2::XMLElement* cr = result ? result->FirstChildElement("Credentials") : nullptr;
  if (!cr)
    return Status{Errc::access_denied,
                  what + ": malformed reply: no " + action + "Result/Credentials in STS's answer"};
  AwsCredentials c;
  c.keys.access_key_id = text_of(cr, "AccessKeyId");
  c.keys.secret_access_key = text_of(cr, "SecretAccessKey");
  c.keys.session_token = text_of(cr, "SessionToken");
  auto exp = parse_iso8601(text_of(cr, "Expiration"));
  if (c.keys.access_key_id.empty() || c.keys.secret_access_key.empty() || !exp)
    return Status{Errc::access_denied,
                  what + ": malformed reply: STS credentials lack a key or an Expiration"};
  c.expiry = *exp;
  return c;
}

Result<HttpResponse> post(const StsEndpoint& sts, const std::string& body,
                          const Credentials* signer, const std::string& what) {
  const std::string host = url_host(sts.url);
  if (host.empty())
    return Status{Errc::invalid_argument, what + ": STS endpoint '" + sts.url + "' is not a URL"};
  HttpRequest req;
  req.method = "POST";
  req.url = url_origin(sts.url) + "/";
  req.op = "sts";
  req.body_data = body.data();
  req.body_size = body.size();
  Headers h{{"host", host}, {"content-type", "application/x-www-form-urlencoded"}};
  if (signer) {
    SigV4Request sr;
    sr.method = "POST";
    sr.path = "/";
    sr.headers = h;
    const std::string hash = sha256_hex(body);
    sr.headers.emplace_back("x-amz-content-sha256", hash);
    SigV4Signed s = sign_header(
        sr, *signer, sts.region,
        std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()),
        hash, "sts");
    req.headers = std::move(s.headers);
  } else {
    req.headers = std::move(h);
  }
  return fetch_http(req, 3, what);
}

}  // namespace

StsEndpoint sts_endpoint(std::string_view region) {
  StsEndpoint e;
  e.region = std::string(region);
  if (e.region.empty()) e.region = env_value("AWS_REGION");
  if (e.region.empty()) e.region = "us-east-1";
  e.url = env_value("AWS_ENDPOINT_URL_STS");
  if (e.url.empty()) e.url = env_value("AWS_ENDPOINT_URL");
  if (e.url.empty()) e.url = "https://sts." + e.region + ".amazonaws.com";
  return e;
}

Result<AwsCredentials> AssumeRoleProvider::fetch() {
  const std::string what = name();
  auto base = base_->fetch();
  if (!base.ok()) {
    Status s = base.status();
    s.message = what + ": its source credentials: " + s.message;
    return s;
  }
  Form f{{"Action", "AssumeRole"},
         {"Version", "2011-06-15"},
         {"RoleArn", role_.role_arn},
         {"RoleSessionName", session_name(role_)},
         {"DurationSeconds", std::to_string(role_.duration_seconds)}};
  if (!role_.external_id.empty()) f.emplace_back("ExternalId", role_.external_id);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, post(sts_, form_encode(f), &base->keys, what));
  auto c = parse_reply(r, "AssumeRole", what);
  if (c.ok()) c->source = "assume role " + role_.role_arn + " (from " + base->source + ")";
  return c;
}

Result<AwsCredentials> WebIdentityProvider::fetch() {
  const std::string what = name();
  std::ifstream in(token_file_, std::ios::binary);
  if (!in)
    return Status{Errc::access_denied, what + ": cannot read the token file '" + token_file_ + "'"};
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty())
    return Status{Errc::access_denied, what + ": the token file '" + token_file_ + "' is empty"};
  Form f{{"Action", "AssumeRoleWithWebIdentity"},
         {"Version", "2011-06-15"},
         {"RoleArn", role_.role_arn},
         {"RoleSessionName", session_name(role_)},
         {"WebIdentityToken", token},
         {"DurationSeconds", std::to_string(role_.duration_seconds)}};
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, post(sts_, form_encode(f), nullptr, what));
  auto c = parse_reply(r, "AssumeRoleWithWebIdentity", what);
  if (c.ok()) c->source = "web identity " + role_.role_arn;
  return c;
}

}  // namespace cpsync::s3
