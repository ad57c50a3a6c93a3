// remotes/oss/request_signers.h — OSS V1 and V4 header signing as the request pipeline's
// Signers, with the remote's refreshing credentials (credentials/chain.h), and the OSS error
// mapper. A request refused because its temporary keys expired or were revoked
// (SecurityTokenExpired, InvalidSecurityToken, InvalidAccessKeyId) renews them once for all
// threads (the cache's generation rule). Safe from many threads at once.
#pragma once

#include <string>

#include "remotes/http/error_mapper.h"
#include "remotes/http/signer.h"
#include "remotes/oss/credentials/chain.h"
#include "remotes/oss/sign_common.h"
#include "remotes/oss/signer_v4.h"

namespace cpsync::oss {

// The renewal rule both signers share.
class OssSigner : public http::Signer {
 public:
  explicit OssSigner(std::shared_ptr<CredentialCache> creds) : creds_(std::move(creds)) {}
  Result<bool> renew_after_refusal(const http::SignedWith& used, const http::Request& req,
                                   const Status& refused) const override;

 protected:
  std::shared_ptr<CredentialCache> creds_;
};

class OssV1Signer : public OssSigner {
 public:
  using OssSigner::OssSigner;
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;
};

class OssV4Signer : public OssSigner {
 public:
  OssV4Signer(std::shared_ptr<CredentialCache> creds, std::string region)
      : OssSigner(std::move(creds)), region_(std::move(region)) {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;

 private:
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
