// remotes/azure/shared_key.h — Azure Storage SharedKey request signing (API versions from
// 2015-02-21), byte-compatible with the official SDK's policy. Pure functions: no I/O, the
// clock is an argument. Safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/http.h"
#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync::azure {

// An account name and its decoded key. Never printed.
struct SharedKeyCredentials {
  std::string account;
  std::string key;  // raw key bytes (base64-decoded account key)
};

// Decodes the base64 account key; invalid_argument when it is not base64.
Result<SharedKeyCredentials> make_shared_key(std::string account, std::string_view key_base64);

struct SharedKeySignature {
  std::string string_to_sign;
  std::string x_ms_date;      // RFC 1123 form of `now`
  std::string authorization;  // "SharedKey account:base64(HMAC-SHA256(key, string_to_sign))"
};

// Headers as the SDK holds them: one entry per case-insensitive name (a later value replaces
// an earlier one in its first position, with the later name's case), values trimmed and
// CR/LF removed.
Headers normalize_headers(const Headers& in);

// The SharedKey string to sign for a request whose headers already carry x-ms-date.
// `url` is the URL as sent (path still percent-encoded).
std::string shared_key_string_to_sign(std::string_view method, std::string_view url,
                                      const Headers& headers, std::string_view account);

// Signs in place: normalises `headers`, sets x-ms-date from `now` (replacing any), and sets
// Authorization. Returns the pieces for logging-free debugging and tests.
SharedKeySignature sign_shared_key(std::string_view method, std::string_view url, Headers& headers,
                                   const SharedKeyCredentials& creds, TimePoint now);

// The SDK's header-name collation (a fixed en-US culture sort: '-' and '\'' are ignored
// except as a last tie-break). Compares lower-cased names.
bool shared_key_header_less(std::string_view a, std::string_view b);

}  // namespace cpsync::azure
