// remotes/s3/request_signer.h — SigV4 header signing as the request pipeline's Signer, with
// the remote's refreshing credentials (credentials/cache.h); and the S3 error mapper.
// A request refused because its temporary keys expired or were revoked renews them once
// for all threads (the cache's generation rule). Safe from many threads at once.
#pragma once

#include <memory>
#include <string>

#include "remotes/http/error_mapper.h"
#include "remotes/http/signer.h"
#include "remotes/s3/bucket_routes.h"
#include "remotes/s3/credentials/cache.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {

// The pipeline's raw query as SigV4 signs it (a bare name is "name=").
QueryParams sigv4_query(const http::QueryParams& q);

class SigV4Signer : public http::Signer {
 public:
  SigV4Signer(std::shared_ptr<CredentialCache> creds, std::string region,
              std::string service = "s3")
      : creds_(std::move(creds)), region_(std::move(region)), service_(std::move(service)) {}
  // Signs each bucket's requests for the region its route names.
  SigV4Signer(std::shared_ptr<CredentialCache> creds, std::shared_ptr<const BucketRoutes> routes)
      : creds_(std::move(creds)), routes_(std::move(routes)), service_("s3") {}
  Result<http::SignedWith> sign(const http::Request& req, HttpRequest& out,
                                TimePoint now) const override;
  Result<bool> renew_after_refusal(const http::SignedWith& used, const http::Request& req,
                                   const Status& refused) const override;

 private:
  std::shared_ptr<CredentialCache> creds_;
  std::shared_ptr<const BucketRoutes> routes_;  // nullptr: region_ for every request
  std::string region_;
  std::string service_;
};

// S3's answers as Status (errors.h's to_status), naming the remote.
class S3ErrorMapper : public http::ErrorMapper {
 public:
  explicit S3ErrorMapper(std::string remote) : remote_(std::move(remote)) {}
  Status map(const HttpResponse& r, const http::Request& req) const override;
  Status transport(const Status& s, const http::Request& req) const override;
  bool is_error_body(const HttpResponse& r) const override;

 private:
  std::string remote_;
};

}  // namespace cpsync::s3
