// remotes/s3/s3_remote.cc — the S3 remote's construction, features, presigned links and
// endpoint identity; the factory registered for type = s3.
#include "remotes/s3/s3_remote.h"

#include "remotes/s3/remote_impl.h"

namespace cpsync {

std::span<const OptionSpec> s3_option_schema() {
  return s3::option_schema();
}

Result<std::unique_ptr<Remote>> make_s3_remote(const ConfigSection& section) {
  CPSYNC_ASSIGN_OR_RETURN(s3::S3Options o, s3::S3Options::from_section(section));
  return std::unique_ptr<Remote>(std::make_unique<s3::S3Remote>(std::move(o)));
}

namespace s3 {

S3Remote::S3Remote(S3Options o) : client_(std::move(o)) {
  features_.server_side_copy = true;
  features_.md5_in_listing = true;  // single-part ETags
  features_.metadata_in_listing = false;
  features_.etag_is_md5 = true;
  features_.buckets = true;
  features_.presign = !client_.options().anonymous();
  features_.parts = PartPolicy{kMinPart, kMaxPart, kMaxParts, kMaxObject, kMaxPart};
}

Result<std::string> S3Remote::link(const ObjectRef& ref, std::chrono::seconds expires) {
  return client_.presigned_url("GET", ref.bucket, ref.key, expires);
}

std::string S3Remote::endpoint_id() const {
  const S3Options& o = client_.options();
  return "s3|" + o.endpoint_url() + "|" + o.creds.access_key_id;
}

}  // namespace s3
}  // namespace cpsync
