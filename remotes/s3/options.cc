// remotes/s3/options.cc — S3 option schema and S3Options::from_section.
#include "remotes/s3/options.h"

#include <cstdlib>

#include "conf/option_reader.h"
#include "core/environment.h"
#include "remotes/part_sums.h"
#include "remotes/s3/credentials/chain.h"

namespace cpsync::s3 {
namespace {

constexpr OptionSpec kOptions[] = {
    {.key = "provider",
     .type = OptionType::text,
     .default_value = "AWS",
     .help = "`AWS`, `Ceph`, `Minio`, `Other`, ... Decides the default addressing and whether an "
             "endpoint is required"},
    {.key = "access_key_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "access key ID. Empty together with the secret: anonymous (unsigned) requests"},
    {.key = "secret_access_key",
     .type = OptionType::text,
     .default_value = "",
     .help = "secret access key",
     .secret = Secret::yes},
    {.key = "session_token",
     .type = OptionType::text,
     .default_value = "",
     .help = "STS session token for temporary credentials; sent as `x-amz-security-token`",
     .secret = Secret::yes},
    {.key = "region",
     .type = OptionType::text,
     .default_note = "`auto`: `us-east-1` until a bucket says otherwise (with `env_auth`: "
                     "`AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`)",
     .help = "the region requests are signed for; `auto` (or unset): `us-east-1`, and a bucket "
             "that S3 says is in another region is found and its requests re-signed for it"},
    {.key = "endpoint",
     .type = OptionType::text,
     .default_note = "AWS: `https://s3.<region>.amazonaws.com`",
     .help = "`http(s)://host[:port]` of an S3-compatible store (no path). Required for providers "
             "other than AWS"},
    {.key = "force_path_style",
     .type = OptionType::boolean,
     .default_note = "`false` for AWS, `true` otherwise",
     .help = "`true`: `endpoint/bucket/key`; `false`: `bucket.endpoint/key`"},
    {.key = "env_auth",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "rclone's meaning: with the keys above empty, take credentials from the host through "
             "the credential chain (environment, shared files, web identity, container, instance "
             "metadata); the region, when unset, from `AWS_REGION`, `AWS_DEFAULT_REGION`, then the "
             "profile's `region`"},
    {.key = "profile",
     .type = OptionType::text,
     .default_note = "`AWS_PROFILE`, else `default`",
     .help = "the shared-files profile the chain reads; naming it here also skips the environment "
             "keys"},
    {.key = "shared_credentials_file",
     .type = OptionType::text,
     .default_note = "`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`",
     .help = "the shared credentials file"},
    {.key = "role_arn",
     .type = OptionType::text,
     .default_value = "",
     .help = "assume this role (STS AssumeRole, signed with whichever credentials the remote has) "
             "and use its temporary keys"},
    {.key = "role_session_name",
     .type = OptionType::text,
     .default_note = "`cpsync-<unix time>`",
     .help = "the session name for `role_arn`"},
    {.key = "external_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "the external ID for `role_arn`, when the role's trust policy requires one"},
    {.key = "location_constraint",
     .type = OptionType::text,
     .default_note = "AWS: the region (outside us-east-1)",
     .help = "`LocationConstraint` sent by `mkdir` (CreateBucket)"},
    {.key = "chunk_size",
     .type = OptionType::size,
     .default_value = "5Mi",
     .help = "preferred multipart part size; memory held per stream. 5Mi to 5Gi. `--chunk-size` "
             "overrides it"},
    {.key = "upload_cutoff",
     .type = OptionType::size,
     .default_value = "200Mi",
     .help = "objects above this size are uploaded in parts (and those that do not fit the run's "
             "buffers). At most 5Gi. `--upload-cutoff` (or `--chunk-size`) overrides it"},
    {.key = "copy_cutoff",
     .type = OptionType::size,
     .default_value = "5Gi",
     .help = "server-side copies above this size use UploadPartCopy: parts of up to 512 MiB (of "
             "this size when smaller; larger only when an object needs more than 10,000 parts), 8 "
             "in flight. 5Mi to 5Gi"},
    {.key = "part_checksum",
     .type = OptionType::text,
     .default_value = "auto",
     .help = "the check each multipart part carries: `auto` (= `md5`), `md5` (`Content-MD5`, which "
             "the store verifies) or `none`. No CRC: Ceph RGW 16 verifies no `x-amz-checksum-*` "
             "header, so `crc` is refused"},
};

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
  CPSYNC_ASSIGN_OR_RETURN(OptionReader r, OptionReader::open(s, kOptions, "s3"));
  S3Options o;
  o.name = s.name;
  o.provider = r.text("provider");
  const bool aws = o.provider.empty() || ieq(o.provider, "AWS");
  o.ceph = ieq(o.provider, "Ceph");
  o.creds.access_key_id = r.text("access_key_id");
  o.creds.secret_access_key = r.text("secret_access_key");
  o.creds.session_token = r.text("session_token");
  o.region = r.text("region");
  if (ieq(o.region, "auto")) o.region.clear();
  CPSYNC_ASSIGN_OR_RETURN(o.env_auth, r.boolean("env_auth"));
  o.profile = r.text("profile");
  o.shared_credentials_file = r.text("shared_credentials_file");
  o.role_arn = r.text("role_arn");
  o.role_session_name = r.text("role_session_name");
  o.external_id = r.text("external_id");
  if (o.env_auth && o.region.empty()) o.region = env_value("AWS_REGION");
  if (o.env_auth && o.region.empty()) o.region = env_value("AWS_DEFAULT_REGION");
  if (o.env_auth && o.region.empty() && o.creds.access_key_id.empty())
    o.region = profile_region(
        ChainSettings{o.name, "", {}, o.profile, o.shared_credentials_file, "", "", ""});
  o.region_auto = o.region.empty();
  if (o.region.empty()) o.region = "us-east-1";
  if (o.creds.access_key_id.empty() != o.creds.secret_access_key.empty())
    return s.error(o.creds.access_key_id.empty() ? "secret_access_key" : "access_key_id",
                   "access_key_id and secret_access_key must be given together (or neither, "
                   "for anonymous access)");

  std::string endpoint = r.text("endpoint");
  if (endpoint.empty()) {
    if (!aws) return s.error("provider", "provider '" + o.provider + "' needs an endpoint = URL");
    o.host = "s3." + o.region + ".amazonaws.com";
    o.region_host = true;
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
  CPSYNC_ASSIGN_OR_RETURN(o.path_style, r.boolean("force_path_style", !aws));
  o.location_constraint = r.text("location_constraint");
  if (o.location_constraint.empty() && aws && o.region != "us-east-1")
    o.location_constraint = o.region;
  CPSYNC_ASSIGN_OR_RETURN(o.chunk_size, r.size("chunk_size"));
  CPSYNC_ASSIGN_OR_RETURN(o.upload_cutoff, r.size("upload_cutoff"));
  CPSYNC_ASSIGN_OR_RETURN(o.copy_cutoff, r.size("copy_cutoff"));
  if (o.chunk_size < 5 * kS3MiB || o.chunk_size > 5 * kS3GiB)
    return s.error("chunk_size", "chunk_size must be between 5Mi and 5Gi (S3 part limits)");
  if (o.upload_cutoff > 5 * kS3GiB)
    return s.error("upload_cutoff", "upload_cutoff must be at most 5Gi (S3 single PUT limit)");
  if (o.copy_cutoff < 5 * kS3MiB || o.copy_cutoff > 5 * kS3GiB)
    return s.error("copy_cutoff", "copy_cutoff must be between 5Mi and 5Gi");
  CPSYNC_ASSIGN_OR_RETURN(o.part_check, part_checksum_option(r, PartCheck::md5, PartCheck::none));
  return o;
}

}  // namespace cpsync::s3
