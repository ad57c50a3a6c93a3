// remotes/s3/options.cc — S3 option schema and S3Options::from_section.
#include "remotes/s3/options.h"

#include <cstdlib>

#include "remotes/part_sums.h"
#include "remotes/s3/credentials/chain.h"

namespace cpsync::s3 {
namespace {

constexpr OptionSpec kOptions[] = {
    {"provider", "S3 provider: AWS, Ceph, Minio, Other (decides path style and bucket regions)",
     "AWS"},
    {"access_key_id", "Access key ID; empty with an empty secret for anonymous access", ""},
    {"secret_access_key", "Secret access key", "", Secret::yes},
    {"session_token", "Session token from STS (temporary credentials)", "", Secret::yes},
    {"region", "Region to sign for, e.g. us-east-1", "us-east-1"},
    {"endpoint", "Endpoint URL for S3-compatible stores, e.g. http://127.0.0.1:7480", ""},
    {"force_path_style", "Use path style (host/bucket/key) instead of bucket.host/key",
     "false for AWS, true otherwise"},
    {"env_auth",
     "Without keys: take credentials from the host, in the AWS SDKs' order (environment, "
     "shared files, web identity, container, instance metadata)",
     "false"},
    {"profile",
     "Profile of the shared files to use with env_auth (default AWS_PROFILE, then "
     "'default')",
     ""},
    {"shared_credentials_file",
     "Shared credentials file (default AWS_SHARED_CREDENTIALS_FILE, then ~/.aws/credentials)", ""},
    {"role_arn", "Role to assume (STS AssumeRole) with whichever credentials were found", ""},
    {"role_session_name", "Session name for role_arn (default cpsync-<unix time>)", ""},
    {"external_id", "External ID for role_arn, when the role's trust policy requires one", ""},
    {"location_constraint", "Bucket location for CreateBucket (default: the region on AWS)", ""},
    {"chunk_size", "Part size for multipart uploads; held in memory per stream", "5Mi"},
    {"upload_cutoff", "Objects above this size are uploaded in parts", "200Mi"},
    {"copy_cutoff",
     "Server-side copies above this size use UploadPartCopy, 4 parts at a time, in parts of "
     "up to 512 MiB (of copy_cutoff when smaller)",
     "5Gi"},
    {"part_checksum",
     "Per-part check: auto (= md5), md5 (Content-MD5) or none; no CRC (RGW 16 verifies none)",
     "auto"},
};

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::span<const OptionSpec> option_schema() {
  return kOptions;
}

Result<S3Options> S3Options::from_section(const ConfigSection& s) {
  for (const auto& [key, value] : s.values) {
    bool known = false;
    for (const auto& o : kOptions) known = known || key == o.key;
    if (!known) return s.error(key, "unknown key '" + key + "' for type s3");
  }
  S3Options o;
  o.name = s.name;
  o.provider = s.get_or("provider", "AWS");
  const bool aws = o.provider.empty() || ieq(o.provider, "AWS");
  o.creds.access_key_id = s.get_or("access_key_id", "");
  o.creds.secret_access_key = s.get_or("secret_access_key", "");
  o.creds.session_token = s.get_or("session_token", "");
  o.region = s.get_or("region", "");
  CPSYNC_ASSIGN_OR_RETURN(o.env_auth, s.get_bool("env_auth", false));
  o.profile = s.get_or("profile", "");
  o.shared_credentials_file = s.get_or("shared_credentials_file", "");
  o.role_arn = s.get_or("role_arn", "");
  o.role_session_name = s.get_or("role_session_name", "");
  o.external_id = s.get_or("external_id", "");
  if (o.env_auth && o.region.empty()) o.region = env_or_empty("AWS_REGION");
  if (o.env_auth && o.region.empty()) o.region = env_or_empty("AWS_DEFAULT_REGION");
  if (o.env_auth && o.region.empty() && o.creds.access_key_id.empty())
    o.region = profile_region(
        ChainSettings{o.name, "", {}, o.profile, o.shared_credentials_file, "", "", ""});
  if (o.region.empty()) o.region = "us-east-1";
  if (o.creds.access_key_id.empty() != o.creds.secret_access_key.empty())
    return s.error(o.creds.access_key_id.empty() ? "secret_access_key" : "access_key_id",
                   "access_key_id and secret_access_key must be given together (or neither, "
                   "for anonymous access)");

  std::string endpoint = s.get_or("endpoint", "");
  if (endpoint.empty()) {
    if (!aws) return s.error("provider", "provider '" + o.provider + "' needs an endpoint = URL");
    o.host = "s3." + o.region + ".amazonaws.com";
  } else {
    auto p = endpoint.find("://");
    if (p != std::string::npos) {
      o.scheme = endpoint.substr(0, p);
      endpoint = endpoint.substr(p + 3);
      if (o.scheme != "http" && o.scheme != "https")
        return s.error("endpoint", "endpoint must be http:// or https://, got '" + o.scheme + "'");
    }
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
    if (endpoint.empty() || endpoint.find_first_of("/?# ") != std::string::npos)
      return s.error("endpoint", "endpoint must be scheme://host[:port] without a path");
    o.host = endpoint;
  }
  CPSYNC_ASSIGN_OR_RETURN(o.path_style, s.get_bool("force_path_style", !aws));
  o.location_constraint = s.get_or("location_constraint", "");
  if (o.location_constraint.empty() && aws && o.region != "us-east-1")
    o.location_constraint = o.region;
  CPSYNC_ASSIGN_OR_RETURN(o.chunk_size, s.get_size("chunk_size", o.chunk_size));
  CPSYNC_ASSIGN_OR_RETURN(o.upload_cutoff, s.get_size("upload_cutoff", o.upload_cutoff));
  CPSYNC_ASSIGN_OR_RETURN(o.copy_cutoff, s.get_size("copy_cutoff", o.copy_cutoff));
  if (o.chunk_size < 5 * kS3MiB || o.chunk_size > 5 * kS3GiB)
    return s.error("chunk_size", "chunk_size must be between 5Mi and 5Gi (S3 part limits)");
  if (o.upload_cutoff > 5 * kS3GiB)
    return s.error("upload_cutoff", "upload_cutoff must be at most 5Gi (S3 single PUT limit)");
  if (o.copy_cutoff < 5 * kS3MiB || o.copy_cutoff > 5 * kS3GiB)
    return s.error("copy_cutoff", "copy_cutoff must be between 5Mi and 5Gi");
  CPSYNC_ASSIGN_OR_RETURN(o.part_check, part_checksum_option(s, PartCheck::md5, PartCheck::none));
  return o;
}

}  // namespace cpsync::s3
