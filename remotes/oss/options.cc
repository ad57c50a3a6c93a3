// remotes/oss/options.cc — OssOptions::from_section and the OSS option schema.
#include "remotes/oss/options.h"

#include "conf/option_reader.h"

#include "remotes/oss/credentials/chain.h"
#include "remotes/part_sums.h"

namespace cpsync::oss {
namespace {

constexpr OptionSpec kOptions[] = {
    {.key = "access_key_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "AccessKey ID (or, with `env_auth`, the [credential chain](#credentials))"},
    {.key = "access_key_secret",
     .type = OptionType::text,
     .default_value = "",
     .help = "AccessKey secret (or, with `env_auth`, the [credential chain](#credentials))",
     .secret = Secret::yes},
    {.key = "session_token",
     .type = OptionType::text,
     .default_value = "",
     .help = "STS security token for temporary credentials; sent as `x-oss-security-token`",
     .secret = Secret::yes},
    {.key = "endpoint",
     .type = OptionType::text,
     .default_value = "",
     .help = "`oss-<region>.aliyuncs.com`, `oss-<region>-internal.aliyuncs.com`, or any "
             "`http(s)://host[:port]`; `https` when no scheme is given",
     .required = true},
    {.key = "region",
     .type = OptionType::text,
     .default_note = "from the endpoint",
     .help = "V4 signing region, e.g. `cn-hangzhou`. Required for V4 on a custom endpoint"},
    {.key = "signature_version",
     .type = OptionType::text,
     .default_value = "v4",
     .help = "`v4` (OSS4-HMAC-SHA256) or `v1` (HMAC-SHA1), for requests and `link` URLs"},
    {.key = "force_path_style",
     .type = OptionType::boolean,
     .default_note = "`false` on aliyuncs.com, else `true`",
     .help = "`true`: `endpoint/bucket/key`; `false`: `bucket.endpoint/key` (virtual-hosted, what "
             "OSS expects)"},
    {.key = "env_auth",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "with the keys above empty, take credentials from the host through the "
             "[credential chain](#credentials): the environment, RRSA (ACK), the ECS "
             "instance's RAM role"},
    {.key = "credential_provider",
     .type = OptionType::text,
     .default_value = "chain",
     .help = "with `env_auth`: `chain` (the first configured), or only `environment`, `oidc` "
             "(RRSA) or `ecs_ram_role`"},
    {.key = "ecs_role_name",
     .type = OptionType::text,
     .default_value = "",
     .help = "the ECS instance's RAM role; default `ALIBABA_CLOUD_ECS_METADATA`, else asked "
             "of the metadata service"},
    {.key = "role_arn",
     .type = OptionType::text,
     .default_value = "",
     .help = "assume this RAM role (STS AssumeRole, signed with whichever credentials the "
             "remote has) and use its temporary keys"},
    {.key = "role_session_name",
     .type = OptionType::text,
     .default_note = "`ALIBABA_CLOUD_ROLE_SESSION_NAME`, else `cpsync-<unix time>`",
     .help = "the session name for `role_arn` (and RRSA)"},
    {.key = "external_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "the external ID the role's trust policy asks for"},
    {.key = "sts_endpoint",
     .type = OptionType::text,
     .default_value = "",
     .help = "STS for `role_arn` and RRSA, a host or URL (default: see "
             "[STS endpoint](#sts-endpoint))"},
    {.key = "chunk_size",
     .type = OptionType::size,
     .default_value = "16Mi",
     .help =
         "preferred multipart part size; memory per stream; objects up to it go in one PUT. 100Ki "
         "to 5Gi. `--chunk-size` (and `--upload-cutoff` for the single-PUT limit) override it"},
    {.key = "copy_cutoff",
     .type = OptionType::size,
     .default_value = "1Gi",
     .help = "server-side copies of larger objects use UploadPartCopy in parts of this size (OSS "
             "CopyObject takes at most 1 GB). 100Ki to 1Gi"},
    {.key = "list_version",
     .type = OptionType::integer,
     .default_value = "2",
     .help = "`2`: ListObjectsV2 with continuation tokens; `1`: ListObjects with markers, for "
             "endpoints without V2"},
    {.key = "list_chunk",
     .type = OptionType::integer,
     .default_value = "1000",
     .help = "keys per listing request, 1 to 1000"},
    {.key = "part_checksum",
     .type = OptionType::text,
     .default_value = "auto",
     .help = "the check of each multipart part: `auto` (= `crc`), `crc` (the "
             "`x-oss-hash-crc64ecma` OSS returns for the part, compared with ours), `md5` "
             "(`Content-MD5` as well, which OSS verifies) or `none`"},
};

}  // namespace

std::span<const OptionSpec> option_schema() {
  return kOptions;
}

Result<OssOptions> OssOptions::from_section(const ConfigSection& s) {
  CPSYNC_ASSIGN_OR_RETURN(OptionReader r, OptionReader::open(s, kOptions, "oss"));

  OssOptions o;
  o.remote_name = s.name;
  CPSYNC_ASSIGN_OR_RETURN(o.env_auth, r.boolean("env_auth"));
  o.credentials.access_key_id = trim(r.text("access_key_id"));
  o.credentials.access_key_secret = r.text("access_key_secret");
  o.credentials.security_token = trim(r.text("session_token"));
  o.credential_provider = to_lower(trim(r.text("credential_provider")));
  if (o.credential_provider == "chain") o.credential_provider.clear();  // "": the whole chain
  if (!valid_provider_choice(o.credential_provider))
    return s.error("credential_provider",
                   "credential_provider must be chain, environment, oidc or ecs_ram_role, not '" +
                       o.credential_provider + "'");
  o.ecs_role_name = trim(r.text("ecs_role_name"));
  o.sts_endpoint = trim(r.text("sts_endpoint"));
  o.role_arn = trim(r.text("role_arn"));
  o.role_session_name = trim(r.text("role_session_name"));
  o.external_id = trim(r.text("external_id"));
  if (!o.credentials.access_key_id.empty() && o.credentials.access_key_secret.empty())
    return s.error("access_key_secret", "access_key_id is set but access_key_secret is not");
  if (o.credentials.access_key_id.empty() && !o.credentials.access_key_secret.empty())
    return s.error("access_key_id", "access_key_secret is set but access_key_id is not");
  if (o.credentials.access_key_id.empty() && !o.env_auth)
    return s.error("access_key_id",
                   "access_key_id and access_key_secret are required (or env_auth = true to "
                   "take credentials from the environment, an RRSA OIDC role or the ECS RAM "
                   "role)");

  std::string ep = trim(r.text("endpoint"));
  if (ep.empty())
    return s.error("endpoint", "endpoint is required, e.g. oss-cn-hangzhou.aliyuncs.com");
  if (auto p = ep.find("://"); p != std::string::npos) {
    o.scheme = to_lower(ep.substr(0, p));
    ep = ep.substr(p + 3);
  }
  while (!ep.empty() && ep.back() == '/') ep.pop_back();
  if ((o.scheme != "http" && o.scheme != "https") || ep.empty() ||
      ep.find('/') != std::string::npos)
    return s.error("endpoint",
                   "endpoint must be a host[:port] with an optional http:// or https://");
  o.host = ep;
  o.endpoint = o.scheme + "://" + o.host;

  std::string host_only = to_lower(
      o.host.substr(0, o.host.rfind(':') == std::string::npos ? o.host.size() : o.host.rfind(':')));
  const bool aliyun =
      host_only.size() > 13 && host_only.compare(host_only.size() - 13, 13, ".aliyuncs.com") == 0;
  o.region = trim(r.text("region"));
  if (o.region.empty() && aliyun) {
    // oss-cn-hangzhou.aliyuncs.com, oss-cn-hangzhou-internal.aliyuncs.com
    std::string first = host_only.substr(0, host_only.find('.'));
    if (first.rfind("oss-", 0) == 0) first = first.substr(4);
    for (const char* suffix : {"-internal", "-vpc"})
      if (auto p = first.find(suffix); p != std::string::npos) first = first.substr(0, p);
    o.region = first;
  }

  std::string sv = to_lower(trim(r.text("signature_version")));
  if (sv == "v4" || sv == "4")
    o.signature = SignatureVersion::v4;
  else if (sv == "v1" || sv == "1")
    o.signature = SignatureVersion::v1;
  else
    return s.error("signature_version", "signature_version must be v1 or v4, not '" + sv + "'");
  if (o.signature == SignatureVersion::v4 && o.region.empty())
    return s.error("region",
                   "region is required for V4 signing with a custom endpoint (e.g. "
                   "region = cn-hangzhou), or set signature_version = v1");

  CPSYNC_ASSIGN_OR_RETURN(o.path_style, r.boolean("force_path_style", !aliyun));
  CPSYNC_ASSIGN_OR_RETURN(o.chunk_size, r.size("chunk_size"));
  if (o.chunk_size < (100u << 10) || o.chunk_size > (5ull << 30))
    return s.error("chunk_size", "chunk_size must be between 100Ki and 5Gi");
  CPSYNC_ASSIGN_OR_RETURN(o.copy_cutoff, r.size("copy_cutoff"));
  if (o.copy_cutoff < (100u << 10) || o.copy_cutoff > (1ull << 30))
    return s.error("copy_cutoff", "copy_cutoff must be between 100Ki and 1Gi");
  CPSYNC_ASSIGN_OR_RETURN(int64_t list_version, r.integer("list_version"));
  if (list_version != 1 && list_version != 2)
    return s.error("list_version", "list_version must be 1 or 2");
  o.list_version = static_cast<int>(list_version);
  CPSYNC_ASSIGN_OR_RETURN(int64_t list_chunk, r.integer("list_chunk"));
  if (list_chunk < 1 || list_chunk > 1000)
    return s.error("list_chunk", "list_chunk must be between 1 and 1000");
  o.list_chunk = static_cast<uint32_t>(list_chunk);
  CPSYNC_ASSIGN_OR_RETURN(o.part_check,
                          part_checksum_option(r, PartCheck::crc64_ecma, PartCheck::crc64_ecma));
  return o;
}

}  // namespace cpsync::oss
