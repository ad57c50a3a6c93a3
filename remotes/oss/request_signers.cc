// remotes/oss/request_signers.cc — see request_signers.h.
#include "remotes/oss/request_signers.h"

#include "remotes/oss/errors.h"
#include "remotes/oss/signer_v1.h"

namespace cpsync::oss {
namespace {

SignRequest sign_request(const http::Request& req, const HttpRequest& out) {
  SignRequest sr;
  sr.method = req.method;
  sr.bucket = req.bucket;
  sr.key = req.key;
  sr.query = req.query;
  sr.headers = out.headers;
  return sr;
}

}  // namespace

Result<http::SignedWith> OssV1Signer::sign(const http::Request& req, HttpRequest& out,
                                           TimePoint now) const {
  SignRequest sr = sign_request(req, out);
  sign_v1_header(sr, c_, now);
  out.headers = std::move(sr.headers);
  return http::SignedWith{};
}

Result<http::SignedWith> OssV4Signer::sign(const http::Request& req, HttpRequest& out,
                                           TimePoint now) const {
  SignRequest sr = sign_request(req, out);
  sign_v4_header(sr, c_, V4Scope{region_, "oss"}, {}, now);
  out.headers = std::move(sr.headers);
  return http::SignedWith{};
}

std::string describe(std::string_view remote, std::string_view bucket, std::string_view key) {
  std::string s = "oss '" + std::string(remote) + ":";
  s += bucket;
  if (!key.empty()) {
    s += "/";
    s += key;
  }
  return s + "'";
}

Status OssErrorMapper::map(const HttpResponse& r, const http::Request& req) const {
  Status s = to_status(r, req.what(), describe(remote_, req.bucket, req.key));
  if (s.code == Errc::not_found && s.provider_code != "NoSuchUpload")
    s.missing =
        s.provider_code == "NoSuchBucket" || req.key.empty() ? Missing::bucket : Missing::object;
  return s;
}

Status OssErrorMapper::transport(const Status& s, const http::Request& req) const {
  // A sink's own failure already names the remote.
  if (s.http_status != 0 || s.message.rfind("oss '", 0) == 0) return s;
  Status out = s;
  out.message =
      describe(remote_, req.bucket, req.key) + ": " + std::string(req.what()) + ": " + s.message;
  return out;
}

}  // namespace cpsync::oss
