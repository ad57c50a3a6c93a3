// remotes/s3/s3_remote.cc — the S3 remote's construction, features, presigned links and
// endpoint identity.
#include "remotes/s3/remote_impl.h"

namespace cpsync::s3 {

S3Remote::S3Remote(S3Options o) : client_(std::move(o)) {
  features_.server_side_copy = true;
  features_.server_side_copy_across_accounts = true;  // x-amz-copy-source names any bucket
  features_.metadata_in_listing = false;
  features_.etag_is_md5 = true;
  features_.buckets = true;
  features_.presign = !client_.options().anonymous();
  features_.resume_uploads = true;
  features_.pending_uploads = true;
  features_.shared_uploads = true;
  features_.whole_md5 = WholeMd5::at_begin;  // md5chksum metadata at CreateMultipartUpload
  features_.part_check = client_.options().part_check;  // part_checksum: md5 or none
  features_.parts = PartPolicy{kMinPart, kMaxPart, kMaxParts, kMaxObject, kMaxPart};
  features_.chunk_size = client_.options().chunk_size;
  features_.upload_cutoff = client_.options().upload_cutoff;
}

Result<std::string> S3Remote::link(const ObjectRef& ref, std::chrono::seconds expires) {
  if (client_.options().anonymous())
    return Status{Errc::not_supported, "link: remote '" + name() +
                                           "' cannot make public links (it has no credentials)"};
  return client_.presigned_url("GET", ref.bucket, ref.key, expires);
}

std::string S3Remote::endpoint_id() const {
  const S3Options& o = client_.options();
  // Keys from the host are known only after the first fetch: the remote's identity settings
  // stand for them (two remotes assuming different roles are different endpoints).
  if (o.creds.access_key_id.empty() && !o.anonymous())
    return "s3|" + o.endpoint_url() + "|chain:" + o.profile + "|" + o.role_arn;
  return "s3|" + o.endpoint_url() + "|" + o.creds.access_key_id + "|" + o.role_arn;
}

}  // namespace cpsync::s3
