// remotes/s3/bucket_routes.h — where each bucket's requests go and which region signs them:
// the remote's endpoint and region, or what a wrong-region answer taught (S3's 301
// PermanentRedirect, 400 AuthorizationHeaderMalformed or IllegalLocationConstraintException,
// x-amz-bucket-region; RGW's 301 to another zonegroup's endpoint), asked of the bucket itself
// when the answer does not say (HEAD bucket, then GetBucketLocation). Learnt once per bucket
// and kept for the run; logged at -v. The pipeline's Router (remotes/http/router.h).
// Thread-safe: the routes sit behind a shared mutex.
#pragma once

#include <functional>
#include <map>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "remotes/http/router.h"
#include "remotes/s3/options.h"

namespace cpsync::s3 {

struct BucketRoute {
  std::string region;  // signs the requests
  std::string scheme;  // "http" or "https"
  std::string host;    // host[:port], no bucket
  bool operator==(const BucketRoute&) const = default;
};

class BucketRoutes : public http::Router {
 public:
  explicit BucketRoutes(const S3Options& o);
  // The route for bucket ("" = service-level requests): learnt, or the remote's own.
  BucketRoute route(std::string_view bucket) const;
  bool learnt(std::string_view bucket) const;

  // The one-attempt send used to ask a bucket its region (the pipeline's send_once); set
  // once, before the first request.
  using Send = std::function<Result<HttpResponse>(const http::Request&)>;
  void set_send(Send send) { send_ = std::move(send); }

  bool reroute(const HttpResponse& r, const http::Request& req,
               const Status& refused) const override;
  // Asks bucket where it lives (HEAD, then GetBucketLocation) and keeps the answer; used
  // before a presigned URL when the remote has no region. True when a route was learnt.
  bool discover(std::string_view bucket) const;

 private:
  // The region the bucket's answers name, by asking it; "" when it does not say.
  std::string ask_region(std::string_view bucket) const;
  // Keeps `to` as bucket's route; true when it changed. learn() also says so at -v.
  bool store(std::string_view bucket, const BucketRoute& to) const;
  bool learn(std::string_view bucket, const BucketRoute& to) const;

  std::string remote_;
  BucketRoute base_;
  bool region_host_;  // AWS without an endpoint: the host follows the region
  Send send_;
  mutable std::shared_mutex mu_;
  mutable std::map<std::string, BucketRoute, std::less<>> routes_;
};

// The region a wrong-region answer names (x-amz-bucket-region, or AuthorizationHeaderMalformed's
// <Region>); "" when it names none. Pure.
std::string region_named_by(const HttpResponse& r);
// True for S3's and RGW's ways of saying the bucket lives in another region or zonegroup.
bool is_wrong_region(const HttpResponse& r, const Status& refused);

}  // namespace cpsync::s3
