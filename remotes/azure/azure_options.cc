// remotes/azure/azure_options.cc — config keys to endpoint and credentials.
#include "remotes/azure/azure_options.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <vector>

#include "conf/option_reader.h"
#include "remotes/azure/sas.h"
#include "remotes/part_sums.h"

namespace cpsync::azure {
namespace {

constexpr OptionSpec kOptions[] = {
    {.key = "account",
     .type = OptionType::text,
     .default_value = "",
     .help = "storage account name (or the emulator's, with `use_emulator`)"},
    {.key = "key",
     .type = OptionType::text,
     .default_value = "",
     .help = "account key (base64) for SharedKey authentication",
     .secret = Secret::yes},
    {.key = "sas_url",
     .type = OptionType::text,
     .default_value = "",
     .help = "a SAS URL for a container (`https://acct.blob.core.windows.net/cont?sv=...&sig=...`) "
             "or for the account (`https://acct.blob.core.windows.net/?sv=...&ss=b&srt=sco&...`), "
             "instead of `account`/`key`",
     .secret = Secret::yes},
    {.key = "endpoint",
     .type = OptionType::text,
     .default_note = "`https://<account>.blob.core.windows.net`",
     .help =
         "the service URL, e.g. `http://127.0.0.1:10000/devstoreaccount1` (path style: emulators, "
         "IP addresses) or `https://acct.blob.core.windows.net`; a bare domain suffix such as "
         "`blob.core.chinacloudapi.cn` means `https://<account>.<suffix>`, as in rclone"},
    {.key = "use_emulator",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "use the emulator's well-known account `devstoreaccount1` and key; endpoint "
             "`http://127.0.0.1:10000/devstoreaccount1` unless `endpoint` is set"},
    {.key = "env_auth",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "read `AZURE_STORAGE_CONNECTION_STRING`, else `AZURE_STORAGE_ACCOUNT` with "
             "`AZURE_STORAGE_KEY` or `AZURE_STORAGE_SAS_TOKEN`; without those, Azure AD "
             "credentials from the environment (see Azure AD below)"},
    {.key = "tenant",
     .type = OptionType::text,
     .default_value = "",
     .help = "Azure AD (Entra ID) tenant of a service principal"},
    {.key = "client_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "client id of the service principal (with `tenant` and `client_secret`), or of a "
             "user-assigned managed identity"},
    {.key = "client_secret",
     .type = OptionType::text,
     .default_value = "",
     .help = "the service principal's secret",
     .secret = Secret::yes},
    {.key = "client_certificate_path",
     .type = OptionType::text,
     .default_value = "",
     .help = "PEM file with the service principal's certificate and its private key (instead "
             "of `client_secret`)"},
    {.key = "client_certificate_password",
     .type = OptionType::text,
     .default_value = "",
     .help = "password of an encrypted private key in `client_certificate_path` (plain, not "
             "rclone-obscured)",
     .secret = Secret::yes},
    {.key = "use_msi",
     .type = OptionType::boolean,
     .default_value = "false",
     .help = "use the managed identity of the VM, App Service or container"},
    {.key = "msi_client_id",
     .type = OptionType::text,
     .default_value = "",
     .help = "client id of the user-assigned managed identity to use"},
    {.key = "chunk_size",
     .type = OptionType::size,
     .default_value = "4M",
     .help =
         "preferred block size for block uploads (memory per stream); `--chunk-size` overrides it"},
    {.key = "upload_cutoff",
     .type = OptionType::size,
     .default_value = "256M",
     .help = "objects up to this size go in one Put Blob request, if they fit the run's buffers "
             "(at most `5000M`); `--upload-cutoff` (or `--chunk-size`) overrides it"},
    {.key = "list_chunk",
     .type = OptionType::integer,
     .default_value = "5000",
     .help = "entries per List Blobs page, 1 to 5000"},
    {.key = "part_checksum",
     .type = OptionType::text,
     .default_value = "auto",
     .help = "the check each block of a block upload carries, verified by Azure: `auto` (= `crc`), "
             "`crc` (`x-ms-content-crc64`, CRC-64/NVME), `md5` (`Content-MD5`) or `none`"},
    {.key = "copy_from_url",
     .type = OptionType::text,
     .default_value = "auto",
     .help = "copy objects of other clouds server-side (Put Blob From URL / Put Block From URL): "
             "`auto` (on for `https://<account>.blob.core.windows.net` and other virtual-hosted "
             "endpoints, off for path-style ones such as the emulator's, since Azurite fetches "
             "From-URL sources only from itself), `true` or `false`"},
};

constexpr uint64_t kMaxBlock = 4000ull << 20;
constexpr uint64_t kMaxPut = 5000ull << 20;

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::string trim_slashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

struct UrlHostPath {
  std::string scheme_host;  // scheme://host[:port]
  std::string host;
  std::string path;  // after the host, without leading '/'
};

std::optional<UrlHostPath> split_host(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos || scheme == 0) return std::nullopt;
  size_t path = url.find('/', scheme + 3);
  UrlHostPath u;
  u.scheme_host = std::string(url.substr(0, path));
  u.host = std::string(url.substr(
      scheme + 3, path == std::string_view::npos ? std::string_view::npos : path - scheme - 3));
  if (u.host.empty()) return std::nullopt;
  if (path != std::string_view::npos) u.path = std::string(url.substr(path + 1));
  return u;
}

// Path-style service URLs (emulator, IP addresses, localhost) carry the account as the
// first path segment; virtual-hosted ones as the first label of the host.
std::string account_of(const UrlHostPath& u) {
  std::string host = u.host.substr(0, u.host.find(':'));
  bool path_style =
      host.empty() || host[0] == '[' || host == "localhost" || (host[0] >= '0' && host[0] <= '9');
  if (path_style) return u.path.substr(0, u.path.find('/'));
  return host.substr(0, host.find('.'));
}

bool token_has(std::string_view token, std::string_view param) {
  std::string_view rest = token;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    if (item.substr(0, item.find('=')) == param) return true;
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return false;
}

Status apply_sas_url(AzureOptions& o, std::string_view sas_url, const ConfigSection& s,
                     const char* key) {
  auto parts = split_sas_url(sas_url);
  if (!parts.ok()) return s.error(key, parts.status().message);
  auto u = split_host(parts->resource_url);
  if (!u) return s.error(key, "sas_url has no host");
  o.mode = AuthMode::sas;
  o.sas_token = parts->token;
  std::string service = parts->resource_url;
  // A service SAS for a container (sr=c) is scoped to the URL's last path segment.
  if (token_has(parts->token, "sr") && !token_has(parts->token, "ss")) {
    size_t slash = service.rfind('/');
    if (slash == std::string::npos || slash < u->scheme_host.size())
      return s.error(key, "sas_url is a container SAS but names no container");
    o.sas_container = service.substr(slash + 1);
    service.resize(slash);
  }
  o.endpoint = trim_slashes(service);
  o.account = account_of(*split_host(o.endpoint));
  return Status::OK();
}

Status apply_key(AzureOptions& o, const std::string& account, const std::string& key,
                 const ConfigSection& s, const char* key_name) {
  auto creds = make_shared_key(account, key);
  if (!creds.ok()) return s.error(key_name, creds.status().message);
  o.mode = AuthMode::shared_key;
  o.account = account;
  o.creds = std::move(creds).value();
  return Status::OK();
}

// AZURE_STORAGE_CONNECTION_STRING: "Name=value;Name=value" (values may hold '=').
Status apply_connection_string(AzureOptions& o, const std::string& cs, const ConfigSection& s) {
  std::string proto = "https", suffix = "core.windows.net", account, key, blob_endpoint, sas;
  bool dev = false;
  size_t start = 0;
  while (start < cs.size()) {
    size_t end = cs.find(';', start);
    std::string item = cs.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t eq = item.find('=');
    if (eq != std::string::npos) {
      std::string name = item.substr(0, eq), value = item.substr(eq + 1);
      if (name == "DefaultEndpointsProtocol")
        proto = value;
      else if (name == "AccountName")
        account = value;
      else if (name == "AccountKey")
        key = value;
      else if (name == "EndpointSuffix")
        suffix = value;
      else if (name == "BlobEndpoint")
        blob_endpoint = value;
      else if (name == "SharedAccessSignature")
        sas = value;
      else if (name == "UseDevelopmentStorage")
        dev = value == "true";
    }
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (dev) {
    account = kEmulatorAccount;
    key = kEmulatorKey;
    if (blob_endpoint.empty()) blob_endpoint = kEmulatorEndpoint;
  }
  if (!sas.empty()) {
    if (blob_endpoint.empty() && !account.empty())
      blob_endpoint = proto + "://" + account + ".blob." + suffix;
    if (blob_endpoint.empty())
      return s.error("env_auth", "AZURE_STORAGE_CONNECTION_STRING has a SAS but no BlobEndpoint");
    o.mode = AuthMode::sas;
    o.sas_token = normalize_sas_token(sas);
    o.endpoint = trim_slashes(blob_endpoint);
    if (auto u = split_host(o.endpoint)) o.account = account.empty() ? account_of(*u) : account;
    return Status::OK();
  }
  if (account.empty() || key.empty())
    return s.error("env_auth", "AZURE_STORAGE_CONNECTION_STRING needs AccountName and AccountKey");
  CPSYNC_RETURN_IF_ERROR(apply_key(o, account, key, s, "env_auth"));
  o.endpoint = blob_endpoint.empty() ? proto + "://" + account + ".blob." + suffix
                                     : trim_slashes(blob_endpoint);
  return Status::OK();
}

// A bearer token identity from the remote's keys and the environment (providers.h).
Status apply_identity(AzureOptions& o, const OptionReader& s, bool use_msi) {
  IdentitySettings id;
  id.remote = s.section().name;
  id.tenant_id = s.text("tenant");
  id.client_id = s.text("client_id");
  id.client_secret = s.text("client_secret");
  id.client_certificate_path = s.text("client_certificate_path");
  id.client_certificate_password = s.text("client_certificate_password");
  id.managed_identity_only = use_msi;
  id.msi_client_id = s.text("msi_client_id");
  if (!id.client_secret.empty() && (id.tenant_id.empty() || id.client_id.empty()))
    return s.error("client_secret", "client_secret needs tenant and client_id");
  if (!id.client_certificate_path.empty() && (id.tenant_id.empty() || id.client_id.empty()))
    return s.error("client_certificate_path", "client_certificate_path needs tenant and client_id");
  o.identity = identity_from_env(std::move(id));
  o.mode = AuthMode::bearer;
  o.auth_source = make_token_provider(o.identity)->name();
  return Status::OK();
}

}  // namespace

std::span<const OptionSpec> azure_options_schema() {
  return kOptions;
}

namespace {

// copy_from_url: auto is on for virtual-hosted service URLs (acct.blob.core.windows.net and
// the sovereign clouds' equivalents) and off for path-style ones: Azurite fetches From-URL
// sources only from itself.
Status apply_copy_from_url(AzureOptions& o, const OptionReader& s) {
  const std::string v = s.text("copy_from_url");
  if (v == "auto") {
    auto u = split_host(o.endpoint);
    o.copy_from_url = u && account_of(*u) != u->path.substr(0, u->path.find('/'));
    return Status::OK();
  }
  if (v != "true" && v != "false")
    return s.error("copy_from_url", "copy_from_url must be auto, true or false");
  o.copy_from_url = v == "true";
  return Status::OK();
}

}  // namespace

Result<AzureOptions> azure_options_from_section(const ConfigSection& s) {
  CPSYNC_ASSIGN_OR_RETURN(OptionReader r, OptionReader::open(s, kOptions, "azureblob"));
  AzureOptions o;
  o.remote_name = s.name;
  CPSYNC_ASSIGN_OR_RETURN(bool use_emulator, r.boolean("use_emulator"));
  CPSYNC_ASSIGN_OR_RETURN(bool env_auth, r.boolean("env_auth"));
  CPSYNC_ASSIGN_OR_RETURN(bool use_msi, r.boolean("use_msi"));
  CPSYNC_ASSIGN_OR_RETURN(o.chunk_size, r.size("chunk_size"));
  CPSYNC_ASSIGN_OR_RETURN(o.upload_cutoff, r.size("upload_cutoff"));
  if (o.chunk_size == 0 || o.chunk_size > kMaxBlock)
    return s.error("chunk_size",
                   "chunk_size must be between 1 byte and 4000M (Azure's block limit)");
  if (o.upload_cutoff > kMaxPut)
    return s.error("upload_cutoff", "upload_cutoff must be at most 5000M (Azure's Put Blob limit)");

  CPSYNC_ASSIGN_OR_RETURN(int64_t list_chunk, r.integer("list_chunk"));
  if (list_chunk < 1 || list_chunk > 5000)
    return s.error("list_chunk", "list_chunk must be a number from 1 to 5000");
  o.list_chunk = static_cast<int>(list_chunk);
  CPSYNC_ASSIGN_OR_RETURN(o.part_check,
                          part_checksum_option(r, PartCheck::crc64_nvme, PartCheck::crc64_nvme));

  const std::string account = r.text("account");
  const std::string key = r.text("key");
  const std::string sas_url = r.text("sas_url");
  std::string endpoint = trim_slashes(r.text("endpoint"));

  if (!sas_url.empty()) {
    if (!key.empty()) return s.error("sas_url", "set either key or sas_url, not both");
    CPSYNC_RETURN_IF_ERROR(apply_sas_url(o, sas_url, s, "sas_url"));
    o.auth_source = "sas_url";
    CPSYNC_RETURN_IF_ERROR(apply_copy_from_url(o, r));
    return o;
  }
  if (use_emulator) {
    CPSYNC_RETURN_IF_ERROR(apply_key(o, account.empty() ? kEmulatorAccount : account,
                                     key.empty() ? kEmulatorKey : key, s,
                                     key.empty() ? "use_emulator" : "key"));
    if (endpoint.empty())
      endpoint = account.empty() || account == kEmulatorAccount
                     ? std::string(kEmulatorEndpoint)
                     : "http://127.0.0.1:10000/" + account;
    o.auth_source = "emulator";
  } else if (!account.empty() && !key.empty()) {
    CPSYNC_RETURN_IF_ERROR(apply_key(o, account, key, s, "key"));
    o.auth_source = "account/key";
  } else if (!r.text("client_secret").empty() || !r.text("client_certificate_path").empty() ||
             use_msi) {
    if (account.empty()) return s.error("account", "a token identity needs the account name");
    o.account = account;
    CPSYNC_RETURN_IF_ERROR(apply_identity(o, r, use_msi));
  } else if (env_auth) {
    if (auto cs = env("AZURE_STORAGE_CONNECTION_STRING")) {
      CPSYNC_RETURN_IF_ERROR(apply_connection_string(o, *cs, s));
      if (!endpoint.empty() && endpoint.find("://") != std::string::npos) o.endpoint = endpoint;
      o.auth_source = "env_auth (AZURE_STORAGE_CONNECTION_STRING)";
      CPSYNC_RETURN_IF_ERROR(apply_copy_from_url(o, r));
      return o;
    }
    std::string env_account = account.empty() ? env("AZURE_STORAGE_ACCOUNT").value_or("") : account;
    if (env_account.empty())
      return s.error("env_auth", "env_auth is set but AZURE_STORAGE_ACCOUNT is empty");
    if (auto k = env("AZURE_STORAGE_KEY")) {
      CPSYNC_RETURN_IF_ERROR(apply_key(o, env_account, *k, s, "env_auth"));
      o.auth_source = "env_auth (AZURE_STORAGE_KEY)";
    } else if (auto t = env("AZURE_STORAGE_SAS_TOKEN")) {
      o.mode = AuthMode::sas;
      o.account = env_account;
      o.sas_token = normalize_sas_token(*t);
      o.auth_source = "env_auth (AZURE_STORAGE_SAS_TOKEN)";
    } else {
      // No storage key or SAS: an Azure AD identity (DefaultAzureCredential's chain).
      o.account = env_account;
      CPSYNC_RETURN_IF_ERROR(apply_identity(o, r, false));
    }
  } else if (!account.empty()) {
    o.mode = AuthMode::anonymous;  // public containers only
    o.account = account;
    o.auth_source = "anonymous";
  } else {
    return s.error("account",
                   "no credentials: set account and key, sas_url, use_emulator = true or "
                   "env_auth = true");
  }
  if (endpoint.empty()) {
    o.endpoint = "https://" + o.account + ".blob.core.windows.net";
  } else if (endpoint.find("://") == std::string::npos) {
    o.endpoint = "https://" + o.account + "." + endpoint;  // a suffix, as rclone takes it
  } else {
    if (!split_host(endpoint)) return s.error("endpoint", "endpoint is not a URL");
    o.endpoint = endpoint;
  }
  if (o.mode == AuthMode::bearer && o.endpoint.rfind("https://", 0) != 0)
    return s.error("endpoint", "Azure AD tokens are sent over HTTPS only: use an https endpoint");
  CPSYNC_RETURN_IF_ERROR(apply_copy_from_url(o, r));
  return o;
}

}  // namespace cpsync::azure
