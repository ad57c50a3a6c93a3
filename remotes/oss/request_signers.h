// remotes/oss/request_signers.h — OSS V1 and V4 header signing as the request pipeline's
// Signers, and the OSS error mapper. Immutable: safe from many threads at once.
#pragma once

#include <string>

#include "remotes/http/error_mapper.h"
#include "remotes/http/signer.h"
#include "remotes/oss/sign_common.h"
#include "remotes/oss/signer_v4.h"

namespace cpsync::oss {

class OssV1Signer : public http::Signer {
 public:
  explicit OssV1Signer(Credentials c) : c_(std::move(c)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;

 private:
  Credentials c_;
};

class OssV4Signer : public http::Signer {
 public:
  OssV4Signer(Credentials c, std::string region) : c_(std::move(c)), region_(std::move(region)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;

 private:
  Credentials c_;
  std::string region_;
};

// "oss 'remote:bucket/key'" for messages.
std::string describe(std::string_view remote, std::string_view bucket, std::string_view key);

class OssErrorMapper : public http::ErrorMapper {
 public:
  explicit OssErrorMapper(std::string remote) : remote_(std::move(remote)) {}
  Status map(const HttpResponse& r, const http::Request& req) const override;
  Status transport(const Status& s, const http::Request& req) const override;

 private:
  std::string remote_;
};

}  // namespace cpsync::oss
