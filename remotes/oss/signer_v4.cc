// remotes/oss/signer_v4.cc — OSS V4 signing (see signer_v4.h).
#include "remotes/oss/signer_v4.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/time_format.h"

namespace cpsync::oss {
namespace {

// Primary weight of an ASCII character in ICU's root collation (what localeCompare uses):
// punctuation and symbols first, then digits, then letters without regard to case.
int primary_weight(unsigned char c) {
  static const std::string_view kPunct = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
  if (c >= '0' && c <= '9') return 200 + (c - '0');
  if (c >= 'a' && c <= 'z') return 300 + (c - 'a');
  if (c >= 'A' && c <= 'Z') return 300 + (c - 'A');
  if (c == ' ' || c == '\t') return 1;
  size_t p = kPunct.find(static_cast<char>(c));
  if (p != std::string_view::npos) return 10 + static_cast<int>(p);
  return 1000 + c;  // non-ASCII bytes: after ASCII, in byte order
}

// a < b under an ASCII approximation of localeCompare: primary weights, then lower case
// before upper case, then bytes.
bool locale_less(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int wa = primary_weight(static_cast<unsigned char>(a[i]));
    int wb = primary_weight(static_cast<unsigned char>(b[i]));
    if (wa != wb) return wa < wb;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  for (size_t i = 0; i < n; ++i) {
    bool la = a[i] >= 'a' && a[i] <= 'z', lb = b[i] >= 'a' && b[i] <= 'z';
    if (la != lb) return la;
  }
  return a < b;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  return out;
}

std::string scope_string(std::string_view date, const V4Scope& s) {
  return std::string(date) + "/" + s.region + "/" + s.product + "/aliyun_v4_request";
}

}  // namespace

std::vector<std::string> v4_fix_additional_headers(const std::vector<std::string>& names) {
  std::set<std::string> out;
  for (const auto& n : names) {
    std::string l = to_lower(n);
    if (l == "content-type" || l == "content-md5" || l.rfind("x-oss-", 0) == 0) continue;
    out.insert(l);
  }
  return {out.begin(), out.end()};
}

std::string v4_canonical_uri(std::string_view bucket, std::string_view key) {
  std::string raw = "/";
  if (!bucket.empty()) {
    raw += bucket;
    raw += "/";
  }
  raw += key;
  return uri_encode(raw, /*keep_slash=*/true);
}

std::string v4_canonical_query(const QueryParams& q) {
  std::vector<const QueryParam*> sorted;
  for (const auto& p : q) sorted.push_back(&p);
  std::stable_sort(sorted.begin(), sorted.end(), [](const QueryParam* a, const QueryParam* b) {
    return locale_less(a->name, b->name);
  });
  std::string out;
  for (const QueryParam* p : sorted) {
    if (!out.empty()) out.push_back('&');
    out += uri_encode(p->name);
    if (p->value) {
      out.push_back('=');
      out += uri_encode(*p->value);
    }
  }
  return out;
}

std::string v4_canonical_request(std::string_view method, std::string_view bucket,
                                 std::string_view key, const QueryParams& query,
                                 const Headers& headers,
                                 const std::vector<std::string>& additional) {
  std::map<std::string, std::string> lower;  // later duplicates win, as in the SDK's object
  for (const auto& [k, v] : headers) lower[to_lower(k)] = v;
  std::set<std::string> signed_names(additional.begin(), additional.end());
  for (const auto& [k, v] : lower)
    if (k == "content-type" || k == "content-md5" || k.rfind("x-oss-", 0) == 0)
      signed_names.insert(k);
  std::string out = upper(method);
  out += "\n" + v4_canonical_uri(bucket, key);
  out += "\n" + v4_canonical_query(query) + "\n";
  for (const auto& name : signed_names) {
    auto it = lower.find(name);
    out += name + ":" + (it == lower.end() ? std::string() : trim(it->second)) + "\n";
  }
  out += "\n";
  for (size_t i = 0; i < additional.size(); ++i) out += (i ? ";" : "") + additional[i];
  out += "\n";
  auto sha = lower.find("x-oss-content-sha256");
  out += sha != lower.end() && !sha->second.empty() ? sha->second : "UNSIGNED-PAYLOAD";
  return out;
}

std::string v4_string_to_sign(std::string_view datetime, const V4Scope& scope,
                              std::string_view canonical_request) {
  return "OSS4-HMAC-SHA256\n" + std::string(datetime) + "\n" +
         scope_string(datetime.substr(0, 8), scope) + "\n" + sha256_hex(canonical_request);
}

std::string v4_signature(std::string_view secret, std::string_view date, const V4Scope& scope,
                         std::string_view string_to_sign) {
  std::string k = hmac_sha256_raw("aliyun_v4" + std::string(secret), date);
  k = hmac_sha256_raw(k, scope.region);
  k = hmac_sha256_raw(k, scope.product);
  k = hmac_sha256_raw(k, "aliyun_v4_request");
  return hex_lower(hmac_sha256_raw(k, string_to_sign));
}

V4Signed sign_v4_header(SignRequest& req, const Credentials& c, const V4Scope& scope,
                        const std::vector<std::string>& additional_headers, TimePoint now) {
  const std::string datetime = format_iso8601_basic(now);
  const std::string date = datetime.substr(0, 8);
  set_header(req.headers, "x-oss-date", datetime);
  if (!header_value(req.headers, "x-oss-content-sha256"))
    req.headers.emplace_back("x-oss-content-sha256", "UNSIGNED-PAYLOAD");
  if (!c.security_token.empty()) set_header(req.headers, "x-oss-security-token", c.security_token);
  std::vector<std::string> additional;
  for (const auto& h : v4_fix_additional_headers(additional_headers))
    if (header_value(req.headers, h)) additional.push_back(h);
  V4Signed out;
  out.canonical_request =
      v4_canonical_request(req.method, req.bucket, req.key, req.query, req.headers, additional);
  out.string_to_sign = v4_string_to_sign(datetime, scope, out.canonical_request);
  std::string sig = v4_signature(c.access_key_secret, date, scope, out.string_to_sign);
  out.authorization =
      "OSS4-HMAC-SHA256 Credential=" + c.access_key_id + "/" + scope_string(date, scope) + ",";
  if (!additional.empty()) {
    out.authorization += "AdditionalHeaders=";
    for (size_t i = 0; i < additional.size(); ++i)
      out.authorization += (i ? ";" : "") + additional[i];
    out.authorization += ",";
  }
  out.authorization += "Signature=" + sig;
  set_header(req.headers, "Authorization", out.authorization);
  return out;
}

PresignedUrl presign_v4(const V4UrlRequest& r, const Credentials& c, const V4Scope& scope,
                        TimePoint now) {
  const std::string datetime = format_iso8601_basic(now);
  const std::string date = datetime.substr(0, 8);
  std::vector<std::string> additional = v4_fix_additional_headers(r.additional_headers);
  QueryParams q = r.query;
  if (!additional.empty()) {
    std::string list;
    for (size_t i = 0; i < additional.size(); ++i) list += (i ? ";" : "") + additional[i];
    q.push_back({"x-oss-additional-headers", list});
  }
  q.push_back({"x-oss-credential", c.access_key_id + "/" + scope_string(date, scope)});
  q.push_back({"x-oss-date", datetime});
  q.push_back({"x-oss-expires", std::to_string(r.expires)});
  q.push_back({"x-oss-signature-version", "OSS4-HMAC-SHA256"});
  if (!c.security_token.empty()) q.push_back({"x-oss-security-token", c.security_token});
  PresignedUrl out;
  out.canonical_request = v4_canonical_request(r.method, r.bucket, r.key, q, r.headers, additional);
  out.string_to_sign = v4_string_to_sign(datetime, scope, out.canonical_request);
  out.signature = v4_signature(c.access_key_secret, date, scope, out.string_to_sign);
  q.push_back({"x-oss-signature", out.signature});
  out.query = q;
  out.url = r.base_url + "/" + js_encode_path(r.key) + "?" + js_query_string(q);
  return out;
}

}  // namespace cpsync::oss
