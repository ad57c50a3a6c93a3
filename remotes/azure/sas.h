// remotes/azure/sas.h — Azure shared access signatures: generating service SAS (blob,
// container) and account SAS from an account key, byte-compatible with the official SDK
// (string to sign per signed version, query in the SDK's parameter order), and using a given
// SAS token or SAS URL. Pure functions; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "remotes/azure/shared_key.h"
#include "remotes/remote.h"

namespace cpsync::azure {

// The signed version cpsync uses for the SAS it makes (accepted by Azure and Azurite).
inline constexpr const char* kDefaultSasVersion = "2021-08-06";

struct SasIpRange {
  std::string start;
  std::string end;  // "" for a single address
};

// A service SAS for one container (blob empty: sr=c) or one blob (sr=b, bs, bv).
struct ServiceSasValues {
  std::string version = kDefaultSasVersion;  // layouts: 2015-04-05, 2018-11-09, 2020-12-06+
  std::string container;
  std::string blob;         // raw (unescaped) blob name; "" for a container SAS
  std::string permissions;  // letters in any order; written in the canonical order
  std::optional<TimePoint> starts_on;
  std::optional<TimePoint> expires_on;  // required unless identifier is set
  std::string protocol;                 // "", "https" or "https,http"
  std::optional<SasIpRange> ip_range;
  std::string identifier;  // stored access policy
  std::string snapshot_time;
  std::string version_id;
  std::string encryption_scope;
  std::string cache_control, content_disposition, content_encoding, content_language, content_type;
};

struct AccountSasValues {
  std::string version = kDefaultSasVersion;
  std::string services;        // b, f, q, t
  std::string resource_types;  // s, c, o
  std::string permissions;     // r w d x f t l a c u p i y
  std::optional<TimePoint> starts_on;
  TimePoint expires_on{};
  std::string protocol;
  std::optional<SasIpRange> ip_range;
  std::string encryption_scope;
};

struct SasToken {
  std::string string_to_sign;
  std::string query;                                       // "sv=...&sig=..." (escaped)
  std::vector<std::pair<std::string, std::string>> pairs;  // the same, decoded
};

// invalid_argument for an unknown permission letter, missing expiry/permissions (without an
// identifier), or a field the signed version does not support.
Result<SasToken> make_service_sas(const ServiceSasValues& v, const SharedKeyCredentials& creds);

// A user delegation key (Get User Delegation Key's reply): the sk* fields as the service
// returned them, and the key itself.
struct UserDelegationKey {
  std::string signed_oid, signed_tid;          // skoid, sktid
  std::string signed_start, signed_expiry;     // skt, ske (ISO 8601, as returned)
  std::string signed_service, signed_version;  // sks, skv
  std::string value;                           // decoded key bytes; never printed
};

// A user delegation SAS for a container or blob of `account`, signed with the delegation
// key instead of an account key (string to sign of signed version 2020-12-06 and later:
// the service SAS's fields with skoid ... skv, saoid, suoid and scid after the canonical
// name, no stored access policy). invalid_argument as make_service_sas, and for an
// identifier or a version before 2020-12-06.
Result<SasToken> make_user_delegation_sas(const ServiceSasValues& v, std::string_view account,
                                          const UserDelegationKey& k);
Result<SasToken> make_account_sas(const AccountSasValues& v, const SharedKeyCredentials& creds);

// encodeURIComponent: leaves A-Za-z0-9 and -_.!~*'() raw.
std::string encode_uri_component(std::string_view s);

// --- Using a given SAS ---------------------------------------------------------------------

// A token without its leading '?' ("sv=...&sig=...").
std::string normalize_sas_token(std::string_view token);
// url + ('?' or '&') + token; url unchanged when the token is empty.
std::string append_sas_token(std::string_view url, std::string_view token);

struct SasUrlParts {
  std::string resource_url;  // scheme://host[:port]/path, no query
  std::string token;         // without '?'
};
// Splits a SAS URL; invalid_argument when it has no scheme/host or no 'sig' parameter.
// Never puts the token in a message.
Result<SasUrlParts> split_sas_url(std::string_view sas_url);

// The token's 'se' (expiry), when present and parseable.
std::optional<TimePoint> sas_expiry(std::string_view token);

}  // namespace cpsync::azure
