// remotes/s3/credentials/container_provider.cc — see container_provider.h.
#include "remotes/s3/credentials/container_provider.h"

#include <fstream>
#include <sstream>

#include "remotes/http/fetch_http.h"

namespace cpsync::s3 {

using http::fetch_http;
using http::url_host;
namespace {

constexpr long kTimeoutMs = 2000;

std::string host_only(std::string hostport) {
  if (!hostport.empty() && hostport.front() == '[') {
    auto e = hostport.find(']');
    return e == std::string::npos ? hostport : hostport.substr(0, e + 1);
  }
  auto c = hostport.find(':');
  return c == std::string::npos ? hostport : hostport.substr(0, c);
}

bool allowed_http_host(const std::string& h) {
  if (h == "localhost" || h == "[::1]" || h == "169.254.170.2" || h == "169.254.170.23" ||
      h == "[fd00:ec2::23]")
    return true;
  // 127.0.0.0/8: four dotted numbers starting with 127.
  if (h.rfind("127.", 0) != 0) return false;
  int dots = 0;
  for (char c : h) {
    if (c == '.')
      ++dots;
    else if (c < '0' || c > '9')
      return false;
  }
  return dots == 3;
}

}  // namespace

bool ContainerProvider::configured() {
  return !env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").empty() ||
         !env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI").empty();
}

std::string ContainerProvider::check_full_uri(std::string_view uri) {
  if (uri.rfind("https://", 0) == 0) return "";
  if (uri.rfind("http://", 0) != 0) return "it must be an http:// or https:// URL";
  if (allowed_http_host(host_only(url_host(uri)))) return "";
  return "over http it must name a loopback address, 169.254.170.2, 169.254.170.23 or "
         "[fd00:ec2::23] (use https otherwise)";
}

Result<AwsCredentials> ContainerProvider::fetch() {
  const std::string what = name();
  std::string url;
  if (std::string rel = env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty()) {
    url = "http://169.254.170.2" + (rel.front() == '/' ? rel : "/" + rel);
  } else {
    url = env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (std::string why = check_full_uri(url); !why.empty())
      return Status{Errc::access_denied,
                    what + ": AWS_CONTAINER_CREDENTIALS_FULL_URI is not allowed: " + why};
  }
  HttpRequest req;
  req.url = url;
  req.op = "credentials";
  req.timeout_ms = kTimeoutMs;
  req.no_proxy = true;
  std::string token;
  if (std::string file = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      return Status{Errc::access_denied,
                    what + ": cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE '" + file + "'"};
    std::stringstream ss;
    ss << in.rdbuf();
    token = ss.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  } else {
    token = env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token.find_first_of("\r\n") != std::string::npos)
    return Status{Errc::access_denied, what + ": the authorization token holds a line break"};
  if (!token.empty()) req.headers.emplace_back("Authorization", token);
  CPSYNC_ASSIGN_OR_RETURN(HttpResponse r, fetch_http(req, 3, what));
  if (!r.success()) {
    Status s{
        Errc::access_denied,
        what + ": " + url_host(url) + " refused (HTTP " + std::to_string(r.status) + ")" +
            (r.status == 401 || r.status == 403 ? ": check AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)"
                                                : "")};
    s.http_status = r.status;
    return s;
  }
  auto c = credentials_from_json(r.body, what);
  if (c.ok()) c->source = "container credentials (" + url_host(url) + ")";
  return c;
}

}  // namespace cpsync::s3
