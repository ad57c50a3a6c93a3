// remotes/azure/sas.cc — service and account SAS generation, and SAS token handling.
#include "remotes/azure/sas.h"

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/time_format.h"

namespace cpsync::azure {
namespace {

// Reorders permission letters into `order`; fails on a letter not in `order`.
Result<std::string> canonical_letters(std::string_view given, std::string_view order,
                                      std::string_view what) {
  for (char c : given)
    if (order.find(c) == std::string_view::npos)
      return Status{Errc::invalid_argument,
                    "invalid " + std::string(what) + " '" + std::string(1, c) + "' in SAS"};
  std::string out;
  for (char c : order)
    if (given.find(c) != std::string_view::npos) out.push_back(c);
  return out;
}

bool has(std::string_view s, char c) {
  return s.find(c) != std::string_view::npos;
}

std::string ip_range_string(const std::optional<SasIpRange>& r) {
  if (!r) return "";
  return r->end.empty() ? r->start : r->start + "-" + r->end;
}

std::string opt_time(const std::optional<TimePoint>& t) {
  return t ? format_iso8601(*t) : std::string();
}

std::string join_lines(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back('\n');
    out += fields[i];
  }
  return out;
}

// Appends key=value when the value is non-empty, as SASQueryParameters does.
void add(SasToken& t, const char* key, const std::string& value) {
  if (value.empty()) return;
  if (!t.query.empty()) t.query.push_back('&');
  t.query += encode_uri_component(key) + "=" + encode_uri_component(value);
  t.pairs.emplace_back(key, value);
}

Status version_error(const std::string& what, const char* min) {
  return Status{Errc::invalid_argument,
                "SAS " + what + " needs signed version " + min + " or later"};
}

}  // namespace

std::string encode_uri_component(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    bool raw = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' ||
               c == '(' || c == ')';
    if (raw) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

namespace {

// The checks and canonical forms a service SAS and a user delegation SAS share.
struct ServiceSasParts {
  std::string perms, resource, timestamp, canonical;
};

Result<ServiceSasParts> service_sas_parts(const ServiceSasValues& v, std::string_view account) {
  const std::string& ver = v.version;
  if (ver < "2015-04-05") return version_error("generation", "2015-04-05");
  const bool is_blob = !v.blob.empty();
  if (!v.snapshot_time.empty() && ver < "2018-11-09")
    return version_error("snapshot time", "2018-11-09");
  if (!is_blob && (!v.snapshot_time.empty() || !v.version_id.empty()))
    return Status{Errc::invalid_argument, "SAS snapshot or version id needs a blob name"};
  if (!v.version_id.empty() && ver < "2019-10-10") return version_error("version id", "2019-10-10");
  if (!v.encryption_scope.empty() && ver < "2020-12-06")
    return version_error("encryption scope", "2020-12-06");

  ServiceSasParts p;
  if (!v.permissions.empty()) {
    CPSYNC_ASSIGN_OR_RETURN(
        p.perms,
        canonical_letters(v.permissions, is_blob ? "racwdxtmeiy" : "racwdxltmeiyf", "permission"));
    const std::string& perms = p.perms;
    if (has(perms, 'i') && ver < "2020-08-04") return version_error("permission 'i'", "2020-08-04");
    if ((has(perms, 'x') || has(perms, 'y')) && ver < "2019-10-10")
      return version_error("permission 'x'/'y'", "2019-10-10");
    if (has(perms, 't') && ver < "2019-12-12") return version_error("permission 't'", "2019-12-12");
    if ((has(perms, 'm') || has(perms, 'e')) && ver < "2020-02-10")
      return version_error("permission 'm'/'e'", "2020-02-10");
    if (has(perms, 'f') && ver < "2021-04-10") return version_error("permission 'f'", "2021-04-10");
  }
  if (v.identifier.empty() && (p.perms.empty() || !v.expires_on))
    return Status{Errc::invalid_argument,
                  "a SAS without a stored access policy needs permissions and an expiry"};

  p.resource = "c";
  p.timestamp = v.snapshot_time;
  if (is_blob) {
    p.resource = "b";
    if (!v.snapshot_time.empty()) {
      p.resource = "bs";
    } else if (!v.version_id.empty()) {
      p.resource = "bv";
      p.timestamp = v.version_id;
    }
  }
  // The canonical name uses the raw, unescaped blob name.
  p.canonical = "/blob/" + std::string(account) + "/" + v.container;
  if (is_blob) p.canonical += "/" + v.blob;
  return p;
}

void add_response_headers(SasToken& t, const ServiceSasValues& v) {
  add(t, "rscc", v.cache_control);
  add(t, "rscd", v.content_disposition);
  add(t, "rsce", v.content_encoding);
  add(t, "rscl", v.content_language);
  add(t, "rsct", v.content_type);
}

}  // namespace

Result<SasToken> make_service_sas(const ServiceSasValues& v, const SharedKeyCredentials& creds) {
  const std::string& ver = v.version;
  CPSYNC_ASSIGN_OR_RETURN(ServiceSasParts p, service_sas_parts(v, creds.account));
  std::vector<std::string> f = {p.perms,
                                opt_time(v.starts_on),
                                opt_time(v.expires_on),
                                p.canonical,
                                v.identifier,
                                ip_range_string(v.ip_range),
                                v.protocol,
                                ver};
  const bool v2018 = ver >= "2018-11-09", v2020 = ver >= "2020-12-06";
  if (v2018) {
    f.push_back(p.resource);
    f.push_back(p.timestamp);
  }
  if (v2020) f.push_back(v.encryption_scope);
  for (const std::string* s : {&v.cache_control, &v.content_disposition, &v.content_encoding,
                               &v.content_language, &v.content_type})
    f.push_back(*s);

  SasToken t;
  t.string_to_sign = join_lines(f);
  std::string sig = base64_encode(hmac_sha256_raw(creds.key, t.string_to_sign));
  add(t, "sv", ver);
  add(t, "spr", v.protocol);
  add(t, "st", opt_time(v.starts_on));
  add(t, "se", opt_time(v.expires_on));
  add(t, "sip", ip_range_string(v.ip_range));
  add(t, "si", v.identifier);
  if (v2020) add(t, "ses", v.encryption_scope);
  add(t, "sr", p.resource);
  add(t, "sp", p.perms);
  add_response_headers(t, v);
  add(t, "sig", sig);
  return t;
}

Result<SasToken> make_user_delegation_sas(const ServiceSasValues& v, std::string_view account,
                                          const UserDelegationKey& k) {
  const std::string& ver = v.version;
  if (ver < "2020-12-06") return version_error("user delegation generation", "2020-12-06");
  if (!v.identifier.empty())
    return Status{Errc::invalid_argument,
                  "a user delegation SAS cannot use a stored access policy"};
  CPSYNC_ASSIGN_OR_RETURN(ServiceSasParts p, service_sas_parts(v, account));
  // signedAuthorizedUserObjectId, signedUnauthorizedUserObjectId and signedCorrelationId
  // are empty: cpsync does not make them.
  std::vector<std::string> f = {p.perms,
                                opt_time(v.starts_on),
                                opt_time(v.expires_on),
                                p.canonical,
                                k.signed_oid,
                                k.signed_tid,
                                k.signed_start,
                                k.signed_expiry,
                                k.signed_service,
                                k.signed_version,
                                "",
                                "",
                                "",
                                ip_range_string(v.ip_range),
                                v.protocol,
                                ver,
                                p.resource,
                                p.timestamp,
                                v.encryption_scope};
  for (const std::string* s : {&v.cache_control, &v.content_disposition, &v.content_encoding,
                               &v.content_language, &v.content_type})
    f.push_back(*s);

  SasToken t;
  t.string_to_sign = join_lines(f);
  std::string sig = base64_encode(hmac_sha256_raw(k.value, t.string_to_sign));
  add(t, "sv", ver);
  add(t, "spr", v.protocol);
  add(t, "st", opt_time(v.starts_on));
  add(t, "se", opt_time(v.expires_on));
  add(t, "sip", ip_range_string(v.ip_range));
  add(t, "sr", p.resource);
  add(t, "sp", p.perms);
  add(t, "skoid", k.signed_oid);
  add(t, "sktid", k.signed_tid);
  add(t, "skt", k.signed_start);
  add(t, "ske", k.signed_expiry);
  add(t, "sks", k.signed_service);
  add(t, "skv", k.signed_version);
  add(t, "ses", v.encryption_scope);
  add_response_headers(t, v);
  add(t, "sig", sig);
  return t;
}

Result<SasToken> make_account_sas(const AccountSasValues& v, const SharedKeyCredentials& creds) {
  const std::string& ver = v.version;
  CPSYNC_ASSIGN_OR_RETURN(std::string perms,
                          canonical_letters(v.permissions, "rwdxftlacupiy", "permission"));
  if (has(perms, 'i') && ver < "2020-08-04") return version_error("permission 'i'", "2020-08-04");
  if ((has(perms, 'x') || has(perms, 'y')) && ver < "2019-10-10")
    return version_error("permission 'x'/'y'", "2019-10-10");
  if ((has(perms, 't') || has(perms, 'f')) && ver < "2019-12-12")
    return version_error("permission 't'/'f'", "2019-12-12");
  if (!v.encryption_scope.empty() && ver < "2020-12-06")
    return version_error("encryption scope", "2020-12-06");
  CPSYNC_ASSIGN_OR_RETURN(std::string services, canonical_letters(v.services, "btqf", "service"));
  CPSYNC_ASSIGN_OR_RETURN(std::string types,
                          canonical_letters(v.resource_types, "sco", "resource type"));

  std::vector<std::string> f = {creds.account,
                                perms,
                                services,
                                types,
                                opt_time(v.starts_on),
                                format_iso8601(v.expires_on),
                                ip_range_string(v.ip_range),
                                v.protocol,
                                ver};
  const bool v2020 = ver >= "2020-12-06";
  if (v2020) f.push_back(v.encryption_scope);
  f.push_back("");  // an account SAS string ends with a newline

  SasToken t;
  t.string_to_sign = join_lines(f);
  std::string sig = base64_encode(hmac_sha256_raw(creds.key, t.string_to_sign));
  add(t, "sv", ver);
  add(t, "ss", services);
  add(t, "srt", types);
  add(t, "spr", v.protocol);
  add(t, "st", opt_time(v.starts_on));
  add(t, "se", format_iso8601(v.expires_on));
  add(t, "sip", ip_range_string(v.ip_range));
  if (v2020) add(t, "ses", v.encryption_scope);
  add(t, "sp", perms);
  add(t, "sig", sig);
  return t;
}

std::string normalize_sas_token(std::string_view token) {
  while (!token.empty() && (token.front() == '?' || token.front() == ' ')) token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r'))
    token.remove_suffix(1);
  return std::string(token);
}

std::string append_sas_token(std::string_view url, std::string_view token) {
  std::string out(url);
  if (token.empty()) return out;
  out.push_back(out.find('?') == std::string::npos ? '?' : '&');
  out.append(token);
  return out;
}

Result<SasUrlParts> split_sas_url(std::string_view sas_url) {
  size_t scheme = sas_url.find("://");
  if (scheme == std::string_view::npos || scheme == 0 || scheme + 3 >= sas_url.size())
    return Status{Errc::invalid_argument, "sas_url is not a URL (expected https://...?sv=...)"};
  SasUrlParts p;
  size_t q = sas_url.find('?');
  p.resource_url = std::string(sas_url.substr(0, q));
  while (p.resource_url.size() > scheme + 3 && p.resource_url.back() == '/')
    p.resource_url.pop_back();
  if (q != std::string_view::npos) p.token = normalize_sas_token(sas_url.substr(q + 1));
  bool has_sig = false;
  std::string_view rest = p.token;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    if (rest.substr(0, amp).rfind("sig=", 0) == 0) has_sig = true;
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  if (!has_sig)
    return Status{Errc::invalid_argument, "sas_url carries no SAS token (no 'sig' parameter)"};
  return p;
}

std::optional<TimePoint> sas_expiry(std::string_view token) {
  std::string_view rest = token;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    if (item.rfind("se=", 0) == 0) {
      std::string decoded;
      if (!uri_decode(item.substr(3), decoded)) return std::nullopt;
      return parse_iso8601(decoded);
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return std::nullopt;
}

}  // namespace cpsync::azure
