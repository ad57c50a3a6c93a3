// remotes/s3/buckets.cc — CreateBucket (with a LocationConstraint outside us-east-1) and
// DeleteBucket. ListBuckets lives with the listings (listing.cc).
#include <tinyxml2.h>

#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {

Status S3Remote::make_bucket(const std::string& bucket) {
  S3Call call;
  call.method = "PUT";
  call.bucket = bucket;
  call.op = "mkdir";
  std::string body;
  if (const std::string& loc = client_.options().location_constraint; !loc.empty()) {
    tinyxml2::XMLPrinter xml(nullptr, /*compact=*/true);
    xml.OpenElement("CreateBucketConfiguration");
    xml.PushAttribute("xmlns", "http://s3.amazonaws.com/doc/2006-03-01/");
    xml.OpenElement("LocationConstraint");
    xml.PushText(loc.c_str());
    xml.CloseElement();
    xml.CloseElement();
    body.assign(xml.CStr(), static_cast<size_t>(xml.CStrSize() - 1));
    call.body = body.data();
    call.body_size = body.size();
    call.sign_body = true;
    call.headers = {{"content-type", "application/xml"}};
  }
  auto r = client_.call(call.with_verb("make bucket"));
  if (!r.ok() && r.status().provider_code == "BucketAlreadyOwnedByYou") return Status::OK();
  return r.status();
}

Status S3Remote::remove_bucket(const std::string& bucket) {
  S3Call call;
  call.method = "DELETE";
  call.bucket = bucket;
  call.op = "rmdir";
  return client_.call(call.with_verb("remove bucket")).status();
}

}  // namespace cpsync::s3
