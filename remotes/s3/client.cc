// remotes/s3/client.cc — S3 request building, signing and sending (see client.h).
#include "remotes/s3/client.h"

#include "core/crypto.h"
#include "remotes/s3/credentials/chain.h"
#include "remotes/s3/request_signer.h"

namespace cpsync::s3 {
namespace {

bool is_ip_host(std::string_view host) {
  if (!host.empty() && host.front() == '[') return true;  // IPv6 literal
  auto colon = host.find(':');
  std::string_view h = host.substr(0, colon);
  if (h.empty()) return false;
  for (char c : h)
    if (!((c >= '0' && c <= '9') || c == '.')) return false;
  return true;
}

// Lower-case letters, digits, '-' and '.', 3-63 characters, as DNS labels allow.
bool dns_compatible(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  return b.front() != '-' && b.front() != '.' && b.back() != '-' && b.back() != '.' &&
         b.find("..") == std::string_view::npos;
}

}  // namespace

TimePoint now_utc() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

namespace {

bool path_style(const S3Options& o, std::string_view bucket) {
  if (bucket.empty()) return true;
  if (o.path_style || is_ip_host(o.host) || !dns_compatible(bucket)) return true;
  return o.scheme == "https" && bucket.find('.') != std::string_view::npos;
}

std::string host_of(const S3Options& o, std::string_view bucket) {
  if (path_style(o, bucket)) return o.host;
  return std::string(bucket) + "." + o.host;
}

std::string path_of(const S3Options& o, std::string_view bucket, std::string_view key) {
  if (bucket.empty()) return "/";
  return object_path(bucket, key, path_style(o, bucket));
}

}  // namespace

bool S3Client::path_style_for(std::string_view bucket) const {
  return path_style(opt_, bucket);
}
std::string S3Client::host_for(std::string_view bucket) const {
  return host_of(opt_, bucket);
}
std::string S3Client::path_for(std::string_view bucket, std::string_view key) const {
  return path_of(opt_, bucket, key);
}

S3Client::S3Client(S3Options o) : opt_(std::move(o)) {
  std::shared_ptr<const http::Signer> signer;
  if (opt_.anonymous()) {
    signer = std::make_shared<http::AnonymousSigner>();
  } else {
    ChainSettings cs{opt_.name,
                     opt_.region,
                     opt_.creds,
                     opt_.profile,
                     opt_.shared_credentials_file,
                     opt_.role_arn,
                     opt_.role_session_name,
                     opt_.external_id};
    creds_ = make_credential_cache(make_credential_provider(cs), opt_.name);
    signer = std::make_shared<SigV4Signer>(creds_, opt_.region);
  }
  auto address = [o = opt_](const http::Request& r) {
    std::string url = o.scheme + "://" + host_of(o, r.bucket) + path_of(o, r.bucket, r.key);
    if (!r.query.empty()) url += "?" + format_query(sigv4_query(r.query));
    return url;
  };
  pipeline_ = std::make_shared<const http::Pipeline>(std::move(address), std::move(signer),
                                                     std::make_shared<S3ErrorMapper>(opt_.name));
}

Result<HttpResponse> S3Client::call(const S3Call& c) const {
  return pipeline_->send(c);
}

Result<std::string> S3Client::presigned_url(std::string_view method, std::string_view bucket,
                                            std::string_view key,
                                            std::chrono::seconds expires) const {
  std::string path = path_for(bucket, key);
  std::string base = opt_.scheme + "://" + host_for(bucket) + path;
  if (!creds_) return base;
  CPSYNC_ASSIGN_OR_RETURN(CredentialCache::Snapshot now, creds_->current());
  SigV4Request sr;
  sr.method = std::string(method);
  sr.path = path;
  sr.headers.emplace_back("host", host_for(bucket));
  auto s = presign(sr, now.creds->keys, opt_.region, pipeline_->now(), expires.count());
  if (!s.ok()) {
    Status st = s.status();
    st.message = "s3 remote '" + opt_.name + "': " + st.message;
    return st;
  }
  return base + "?" + s->query_string;
}

}  // namespace cpsync::s3
