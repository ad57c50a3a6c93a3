// remotes/oss/options.h — the settings of one OSS remote, validated once from its config
// section (rclone's key names), and the option schema. Plain values: safe to share
// read-only between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "conf/config_section.h"
#include "core/status.h"
#include "remotes/oss/sign_common.h"
#include "remotes/remote.h"

namespace cpsync::oss {

enum class SignatureVersion { v1, v4 };

struct OssOptions {
  std::string remote_name;  // the config section's name, for every message
  Credentials credentials;  // the remote's own keys; empty with env_auth: the chain
  bool env_auth = false;
  // Credential sources (credentials/chain.h): "" = the chain, or one provider by name.
  std::string credential_provider;
  std::string ecs_role_name;
  std::string sts_endpoint;
  std::string role_arn, role_session_name, external_id;
  std::string scheme = "https";
  std::string host;      // "oss-cn-hangzhou.aliyuncs.com" or "127.0.0.1:9000"
  std::string endpoint;  // as configured (scheme://host), for endpoint_id()
  std::string region;    // "cn-hangzhou"; from the endpoint when not given
  SignatureVersion signature = SignatureVersion::v4;
  bool path_style = false;  // true: scheme://host/bucket/key; false: bucket.host/key
  // The defaults of the keyed values are the option schema's (options.cc), set by from_section.
  uint64_t chunk_size = 0;
  uint64_t copy_cutoff = 0;  // larger objects copy with UploadPartCopy in such parts
  int list_version = 0;      // 2: ListObjectsV2 (continuation-token); 1: markers
  uint32_t list_chunk = 0;   // max-keys per listing page
  PartCheck part_check = PartCheck::crc64_ecma;  // part_checksum (auto: the returned CRC-64)

  // Validates; errors are invalid_argument with one line naming the remote, file and key.
  static Result<OssOptions> from_section(const ConfigSection& s);
};

std::span<const OptionSpec> option_schema();

}  // namespace cpsync::oss
