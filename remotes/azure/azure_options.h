// remotes/azure/azure_options.h — the azureblob remote's config keys (rclone's names), their
// schema, and how they resolve to an endpoint plus one way to authenticate: SharedKey
// (account + key, the emulator, env_auth) or a SAS token (sas_url, AZURE_STORAGE_SAS_TOKEN).
// Plain values; safe to share read-only between threads.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "conf/config_section.h"
#include "core/status.h"
#include "remotes/azure/identity/providers.h"
#include "remotes/azure/shared_key.h"
#include "remotes/remote.h"

namespace cpsync::azure {

// The emulator's well-known account (public, documented by Microsoft; not a secret).
inline constexpr const char* kEmulatorAccount = "devstoreaccount1";
inline constexpr const char* kEmulatorKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
inline constexpr const char* kEmulatorEndpoint = "http://127.0.0.1:10000/devstoreaccount1";

// The REST API version sent as x-ms-version (Azurite 3.37 accepts it without
// --skipApiVersionCheck; it has every feature cpsync uses).
inline constexpr const char* kApiVersion = "2021-08-06";
// The version that added List Blobs' startFrom (inclusive start key; Azurite 3.37 has it),
// sent only on the recursive listings that start after a key.
inline constexpr const char* kStartFromApiVersion = "2026-02-06";

enum class AuthMode { shared_key, sas, anonymous, bearer };

struct AzureOptions {
  std::string remote_name;  // "az", for messages
  // Service URL without trailing slash: https://acct.blob.core.windows.net, or path style
  // http://127.0.0.1:10000/devstoreaccount1 (emulator, custom endpoints).
  std::string endpoint;
  std::string account;
  AuthMode mode = AuthMode::anonymous;
  SharedKeyCredentials creds;  // shared_key only
  std::string sas_token;       // sas only: "sv=...&sig=..." (no '?')
  std::string sas_container;   // a container SAS is limited to this container
  IdentitySettings identity;   // bearer only: where the token comes from
  // The keyed values' defaults are the option schema's (azure_options.cc).
  uint64_t chunk_size = 0;     // preferred block size
  uint64_t upload_cutoff = 0;  // single Put Blob up to this size
  int list_chunk = 0;          // maxresults of one List Blobs page (1..5000)
  std::string auth_source;     // "account/key", "sas_url", "emulator", "env_auth ..." (messages)
  // part_checksum: auto = crc64_nvme (x-ms-content-crc64), md5 (Content-MD5) or none.
  PartCheck part_check = PartCheck::crc64_nvme;
  // copy_from_url: the service fetches other clouds' objects itself (Put Blob/Block From URL).
  bool copy_from_url = false;
};

std::span<const OptionSpec> azure_options_schema();

// Validates the section (unknown keys, conflicting auth) and resolves the credentials.
// Errors are one line naming the remote, the file and the key.
Result<AzureOptions> azure_options_from_section(const ConfigSection& s);

}  // namespace cpsync::azure
