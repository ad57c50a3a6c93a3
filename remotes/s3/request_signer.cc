// remotes/s3/request_signer.cc — see request_signer.h.
#include "remotes/s3/request_signer.h"

#include "core/crypto.h"
#include "remotes/s3/errors.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {
namespace {

// The host and the escaped path of an absolute URL ("scheme://host/path?query").
std::pair<std::string, std::string> host_and_path(const std::string& url) {
  size_t host_start = url.find("://");
  host_start = host_start == std::string::npos ? 0 : host_start + 3;
  size_t path_start = url.find('/', host_start);
  if (path_start == std::string::npos) path_start = url.size();
  size_t query = url.find('?', path_start);
  std::string path =
      url.substr(path_start, query == std::string::npos ? std::string::npos : query - path_start);
  return {url.substr(host_start, path_start - host_start), path.empty() ? "/" : path};
}

ErrorContext context_of(const std::string& remote, const http::Request& req) {
  return ErrorContext{remote, req.what(), req.bucket, req.key};
}

}  // namespace

QueryParams sigv4_query(const http::QueryParams& q) {
  QueryParams out;
  out.reserve(q.size());
  for (const auto& p : q) out.emplace_back(p.name, p.value.value_or(""));
  return out;
}

Result<http::SignedWith> SigV4Signer::sign(const http::Request& req, HttpRequest& out,
                                           TimePoint now) const {
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot used, creds_->current());
  auto [host, path] = host_and_path(out.url);
  SigV4Request sr;
  sr.method = req.method;
  sr.path = std::move(path);
  sr.query = sigv4_query(req.query);
  sr.headers.emplace_back("host", std::move(host));
  for (const auto& h : out.headers) sr.headers.push_back(h);
  std::string hash;
  if (req.sign_body)
    hash = sha256_hex(std::string_view(req.body ? req.body : "", req.body_size));
  else if (req.body_size > 0)
    hash = std::string(kUnsignedPayload);
  else
    hash = std::string(kEmptySha256);
  sr.headers.emplace_back("x-amz-content-sha256", hash);
  const std::string region = routes_ ? routes_->route(req.bucket).region : region_;
  SigV4Signed s = sign_header(sr, used.creds->keys, region, now, hash, service_);
  out.headers = std::move(s.headers);
  return http::SignedWith{used.generation, used.creds->temporary()};
}

Result<bool> SigV4Signer::renew_after_refusal(const http::SignedWith& used,
                                              const http::Request& req,
                                              const Status& refused) const {
  if (refused.http_status < 400 || refused.http_status >= 500) return false;
  const std::string& code = refused.provider_code;
  Result<CredentialCache::Snapshot> fresh = Status{Errc::permanent, ""};
  if (rejected_as_expired(refused.http_status, code, used.temporary)) {
    fresh = creds_->refresh_after_rejection(used.generation);
  } else if (used.temporary && (code == "AccessDenied" ||
                                (req.method == "HEAD" && code.empty() &&
                                 (refused.http_status == 400 || refused.http_status == 403)))) {
    // A revoked temporary key may say only this (Ceph RGW; a HEAD has no body).
    fresh = creds_->recheck_after_denial(used.generation);
  } else {
    return false;
  }
  if (!fresh.ok()) return fresh.status();
  return fresh->generation != used.generation;
}

Status S3ErrorMapper::map(const HttpResponse& r, const http::Request& req) const {
  return to_status(r, context_of(remote_, req));
}

Status S3ErrorMapper::transport(const Status& s, const http::Request& req) const {
  return transport_status(s, context_of(remote_, req));
}

bool S3ErrorMapper::is_error_body(const HttpResponse& r) const {
  return s3::is_error_body(r.body);
}

}  // namespace cpsync::s3
