// remotes/s3/options.h — the S3 remote's config keys (rclone's names) and the validated
// options built from one config section. Plain values; safe to share between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "conf/config_section.h"
#include "core/status.h"
#include "remotes/remote.h"
#include "remotes/s3/sigv4.h"

namespace cpsync::s3 {

inline constexpr uint64_t kS3MiB = uint64_t{1} << 20;
inline constexpr uint64_t kS3GiB = uint64_t{1} << 30;

struct S3Options {
  std::string name;                 // the remote's name, for messages
  std::string provider;             // "AWS", "Ceph", "Minio", "Other", ... ("" = AWS)
  bool ceph = false;                // provider is Ceph (any case): RGW's own header names apply
  Credentials creds;                // empty access key and secret: anonymous (unsigned) requests
  std::string region;               // the region key, else the env_auth sources, else us-east-1
  std::string scheme = "https";     // from the endpoint; AWS is always https
  std::string host;                 // endpoint host[:port], no bucket
  bool path_style = false;          // force_path_style
  std::string location_constraint;  // CreateBucket; "" = region when not us-east-1 on AWS
  // The sizes' defaults are the option schema's (options.cc), applied by from_section.
  uint64_t chunk_size = 0;                // preferred part size (memory per stream)
  uint64_t upload_cutoff = 0;             // above this, multipart
  uint64_t copy_cutoff = 0;               // above this, UploadPartCopy (copy.cc)
  PartCheck part_check = PartCheck::md5;  // part_checksum: Content-MD5 (auto), or none
  // Credentials from the host (remotes/s3/credentials/chain.h) when creds is empty.
  bool env_auth = false;
  std::string profile;                  // shared-files profile ("" = AWS_PROFILE/default)
  std::string shared_credentials_file;  // "" = AWS_SHARED_CREDENTIALS_FILE/~/.aws/credentials
  std::string role_arn, role_session_name, external_id;  // AssumeRole on top

  // Unsigned requests: no keys, no env_auth, no role to assume.
  bool anonymous() const { return creds.access_key_id.empty() && !env_auth && role_arn.empty(); }
  // "https://s3.us-east-1.amazonaws.com" — the endpoint as configured/derived.
  std::string endpoint_url() const { return scheme + "://" + host; }

  // Validates the section: unknown keys, bad sizes or booleans, a key without a secret,
  // an endpoint that is not a URL. With env_auth the region falls back to AWS_REGION,
  // AWS_DEFAULT_REGION and the profile's region; the credentials come at first use.
  static Result<S3Options> from_section(const ConfigSection& s);
};

// Every key the s3 type accepts (flags, env overrides, docs and redaction read it).
std::span<const OptionSpec> option_schema();

}  // namespace cpsync::s3
