// remotes/s3/bucket_routes.cc — see bucket_routes.h.
#include "remotes/s3/bucket_routes.h"

#include <mutex>

#include "core/log.h"
#include "remotes/s3compat/xml_text.h"

namespace cpsync::s3 {
namespace {

// Set while this thread asks a bucket its region: those answers are not rerouted again.
thread_local bool t_asking = false;

struct Asking {
  Asking() { t_asking = true; }
  ~Asking() { t_asking = false; }
  Asking(const Asking&) = delete;
  Asking& operator=(const Asking&) = delete;
};

std::string aws_host(std::string_view region) {
  return "s3." + std::string(region) + ".amazonaws.com";
}

http::Request bucket_request(std::string_view bucket, std::string method) {
  http::Request r;
  r.method = std::move(method);
  r.bucket = std::string(bucket);
  r.op = r.method == "HEAD" ? "head" : "other";
  r.verb = "find the region of";
  return r;
}

// GetBucketLocation's answer as a region: empty is us-east-1, "EU" the old name of eu-west-1.
std::string region_of_location(const std::string& constraint) {
  if (constraint.empty()) return "us-east-1";
  if (constraint == "EU") return "eu-west-1";
  return constraint;
}

// Points `to` at the endpoint of a redirect's Location ("scheme://host[:port]/..."), never
// from https down to http; the bucket's own label in a virtual-hosted host goes.
void follow_location(std::string_view loc, std::string_view bucket, BucketRoute& to) {
  auto p = loc.find("://");
  if (p == std::string_view::npos) return;
  std::string scheme(loc.substr(0, p));
  if (scheme != "http" && scheme != "https") return;
  if (to.scheme == "https" && scheme == "http") return;
  std::string_view rest = loc.substr(p + 3);
  std::string host(rest.substr(0, rest.find_first_of("/?#")));
  const std::string label = std::string(bucket) + ".";
  if (host.starts_with(label) && host.size() > label.size()) host.erase(0, label.size());
  if (host.empty()) return;
  to.scheme = std::move(scheme);
  to.host = std::move(host);
}

}  // namespace

std::string region_named_by(const HttpResponse& r) {
  std::string region = r.header_or("x-amz-bucket-region");
  if (region.empty() && !r.body.empty()) region = s3compat::xml_field(r.body, "Error", "Region");
  return region;
}

bool is_wrong_region(const HttpResponse& r, const Status& refused) {
  const std::string& code = refused.provider_code;
  if (r.status == 301 || code == "PermanentRedirect" || code == "AuthorizationHeaderMalformed" ||
      code == "IllegalLocationConstraintException")
    return true;
  return r.status == 400 && r.header("x-amz-bucket-region") != nullptr;
}

BucketRoutes::BucketRoutes(const S3Options& o)
    : remote_(o.name), base_{o.region, o.scheme, o.host}, region_host_(o.region_host) {}

BucketRoute BucketRoutes::route(std::string_view bucket) const {
  if (bucket.empty()) return base_;
  std::shared_lock lock(mu_);
  auto it = routes_.find(bucket);
  return it == routes_.end() ? base_ : it->second;
}

bool BucketRoutes::learnt(std::string_view bucket) const {
  std::shared_lock lock(mu_);
  return routes_.find(bucket) != routes_.end();
}

bool BucketRoutes::store(std::string_view bucket, const BucketRoute& to) const {
  std::unique_lock lock(mu_);
  auto it = routes_.find(bucket);
  if (it != routes_.end() && it->second == to) return false;
  if (it == routes_.end() && to == base_) return false;
  routes_.insert_or_assign(std::string(bucket), to);
  return true;
}

bool BucketRoutes::learn(std::string_view bucket, const BucketRoute& to) const {
  if (!store(bucket, to)) return false;
  log_info("s3 remote '" + remote_ + "': bucket '" + std::string(bucket) + "' is in region " +
           to.region + " at " + to.scheme + "://" + to.host + "; its requests go there");
  return true;
}

std::string BucketRoutes::ask_region(std::string_view bucket) const {
  if (!send_) return "";
  Asking asking;
  Result<HttpResponse> head = send_(bucket_request(bucket, "HEAD"));
  if (!head.ok()) return "";
  std::string region = head->header_or("x-amz-bucket-region");
  if (!region.empty() || head->status != 200) return region;
  // RGW's HEAD does not say: GetBucketLocation does (the zonegroup's api name).
  http::Request loc = bucket_request(bucket, "GET");
  loc.query.emplace_back("location", "");
  Result<HttpResponse> got = send_(loc);
  if (!got.ok() || got->status != 200) return "";
  tinyxml2::XMLDocument doc;
  if (doc.Parse(got->body.data(), got->body.size()) != tinyxml2::XML_SUCCESS) return "";
  const tinyxml2::XMLElement* e = doc.FirstChildElement("LocationConstraint");
  if (!e) return "";
  return region_of_location(e->GetText() ? e->GetText() : "");
}

bool BucketRoutes::reroute(const HttpResponse& r, const http::Request& req,
                           const Status& refused) const {
  if (req.bucket.empty() || t_asking || !is_wrong_region(r, refused)) return false;
  const BucketRoute before = route(req.bucket);
  BucketRoute to = before;
  if (r.status == 301)
    if (const std::string* loc = r.header("location")) follow_location(*loc, req.bucket, to);
  std::string region = region_named_by(r);
  if (region.empty()) {
    store(req.bucket, to);  // ask at the endpoint the redirect named
    region = ask_region(req.bucket);
  }
  if (!region.empty()) {
    to.region = region;
    if (region_host_) to.host = aws_host(region);
  }
  if (!(to == before)) {
    store(req.bucket, before);  // so that learn() sees the change and logs it once
    learn(req.bucket, to);
  }
  // Sent once more whenever the bucket has a route of its own (the pipeline resends once).
  return !(to == base_);
}

bool BucketRoutes::discover(std::string_view bucket) const {
  if (bucket.empty() || learnt(bucket) || !send_) return learnt(bucket);
  Result<HttpResponse> head = send_(bucket_request(bucket, "HEAD"));
  if (!head.ok() || learnt(bucket)) return learnt(bucket);
  std::string region = head->header_or("x-amz-bucket-region");
  if (region.empty() || region == base_.region) return false;
  BucketRoute to = base_;
  to.region = region;
  if (region_host_) to.host = aws_host(region);
  return learn(bucket, to);
}

}  // namespace cpsync::s3
