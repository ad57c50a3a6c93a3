// remotes/azure/shared_key.cc — SharedKey string-to-sign and Authorization, following the
// official JS SDK's policy (the signing vectors pin it byte for byte).
#include "remotes/azure/shared_key.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/crypto.h"
#include "core/encoding.h"
#include "core/time_format.h"

namespace cpsync::azure {
namespace {

// --- Header-name collation -------------------------------------------------------------
// The SDK imitates .NET's en-US culture sort with three weight tables over ASCII. A weight
// of 0 means "ignored at this level"; 1 marks the end of a string. Characters outside
// ASCII have no weight in the SDK's tables (JavaScript's `undefined`); kNoWeight copies how
// such a value compares there (equal only to itself, never less than anything).
constexpr int32_t kNoWeight = -1;
constexpr int32_t kEnd = 1;

constexpr std::array<int32_t, 128> make_level0() {
  std::array<int32_t, 128> t{};
  t['!'] = 0x71c;
  t['#'] = 0x71f;
  t['$'] = 0x721;
  t['%'] = 0x723;
  t['&'] = 0x725;
  t['*'] = 0x72d;
  t['+'] = 0x803;
  t['.'] = 0x733;
  t['^'] = 0x743;
  t['_'] = 0x744;
  t['`'] = 0x748;
  t['|'] = 0x74c;
  t['~'] = 0x750;
  t['0'] = 0xd03;
  for (int d = 1; d <= 9; ++d) t['0' + d] = 0xd1a + 2 * (d - 1);
  constexpr int32_t letters[26] = {0xe02, 0xe09, 0xe0a, 0xe1a, 0xe21, 0xe23, 0xe25, 0xe2c, 0xe32,
                                   0xe35, 0xe36, 0xe48, 0xe51, 0xe70, 0xe7c, 0xe7e, 0xe89, 0xe8a,
                                   0xe91, 0xe99, 0xe9f, 0xea2, 0xea4, 0xea6, 0xea7, 0xea9};
  for (int i = 0; i < 26; ++i) t['A' + i] = t['a' + i] = letters[i];
  return t;
}
constexpr std::array<int32_t, 128> make_level2() {
  std::array<int32_t, 128> t{};
  for (int i = 0; i < 26; ++i) t['A' + i] = 0x12;  // case is a level-2 difference
  return t;
}
constexpr std::array<int32_t, 128> make_level4() {
  std::array<int32_t, 128> t{};
  t['\''] = 0x8012;
  t['-'] = 0x8212;
  return t;
}
constexpr std::array<int32_t, 128> kLevel0 = make_level0();
constexpr std::array<int32_t, 128> kLevel2 = make_level2();
constexpr std::array<int32_t, 128> kLevel4 = make_level4();

int32_t weight(const std::array<int32_t, 128>& table, std::string_view s, size_t i) {
  if (i >= s.size()) return kEnd;
  auto c = static_cast<unsigned char>(s[i]);
  return c < 128 ? table[c] : kNoWeight;
}

// --- URL pieces --------------------------------------------------------------------------
struct UrlParts {
  std::string_view path;   // "" when the URL has none
  std::string_view query;  // without '?'
};

UrlParts split_url(std::string_view url) {
  UrlParts p;
  size_t start = 0;
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) start = scheme + 3;
  size_t end = url.find('#', start);
  if (end != std::string_view::npos) url = url.substr(0, end);
  size_t path_at = url.find_first_of("/?", start);
  if (path_at == std::string_view::npos) return p;
  size_t q = url.find('?', path_at);
  if (q == std::string_view::npos) {
    p.path = url.substr(path_at);
  } else {
    p.path = url.substr(path_at, q - path_at);
    p.query = url.substr(q + 1);
  }
  return p;
}

void percent_encode_byte(std::string& out, unsigned char c) {
  static const char* kHex = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 15]);
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_single_dot(std::string_view seg) {
  return seg == "." || ascii_iequals(seg, "%2e");
}
bool is_double_dot(std::string_view seg) {
  return seg == ".." || ascii_iequals(seg, ".%2e") || ascii_iequals(seg, "%2e.") ||
         ascii_iequals(seg, "%2e%2e");
}

// The path as a WHATWG URL parser reports it (URL.pathname): bytes outside the path set are
// escaped, "." and ".." segments are resolved, existing escapes are kept.
std::string canonical_path(std::string_view raw) {
  if (raw.empty()) return "/";
  std::string escaped;
  for (unsigned char c : raw) {
    if (c <= 0x20 || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' ||
        c >= 0x7f)
      percent_encode_byte(escaped, c);
    else
      escaped.push_back(static_cast<char>(c));
  }
  // Segments after the leading '/'.
  std::vector<std::string_view> segs;
  std::string_view rest = std::string_view(escaped).substr(1);
  while (true) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    bool last = slash == std::string_view::npos;
    if (is_double_dot(seg)) {
      if (!segs.empty()) segs.pop_back();
      if (last) segs.emplace_back();
    } else if (is_single_dot(seg)) {
      if (last) segs.emplace_back();
    } else {
      segs.push_back(seg);
    }
    if (last) break;
    rest = rest.substr(slash + 1);
  }
  std::string out;
  for (auto s : segs) {
    out.push_back('/');
    out.append(s);
  }
  return out.empty() ? "/" : out;
}

std::string canonical_resource(std::string_view url, std::string_view account) {
  UrlParts parts = split_url(url);
  std::string out = "/";
  out.append(account);
  out += canonical_path(parts.path);

  // Query: parameters with exactly one '=', a non-empty name and a non-empty value; the
  // rest are dropped. Names lower-cased and sorted; values percent-decoded.
  std::string query;
  for (unsigned char c : parts.query) {
    if (c <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\'' || c >= 0x7f)
      percent_encode_byte(query, c);
    else
      query.push_back(static_cast<char>(c));
  }
  // Keep the last value of each exact name (first position), as a JS object does.
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view rest = query;
  while (!query.empty()) {
    size_t amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    size_t eq = item.find('=');
    if (eq != std::string_view::npos && eq > 0 && item.rfind('=') == eq && eq < item.size() - 1) {
      std::string name(item.substr(0, eq)), value(item.substr(eq + 1));
      auto it = std::find_if(params.begin(), params.end(),
                             [&](const auto& p) { return p.first == name; });
      if (it != params.end())
        it->second = std::move(value);
      else
        params.emplace_back(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  // Lower-case names; a later name differing only in case supplies the value for both.
  std::vector<std::string> keys;
  std::vector<std::pair<std::string, std::string>> lowered;
  for (auto& [name, value] : params) {
    std::string lower = ascii_lower(name);
    keys.push_back(lower);
    auto it = std::find_if(lowered.begin(), lowered.end(),
                           [&](const auto& p) { return p.first == lower; });
    if (it != lowered.end())
      it->second = value;
    else
      lowered.emplace_back(lower, value);
  }
  std::sort(keys.begin(), keys.end());
  for (const auto& key : keys) {
    const auto& raw = std::find_if(lowered.begin(), lowered.end(), [&](const auto& p) {
                        return p.first == key;
                      })->second;
    std::string decoded;
    if (!uri_decode(raw, decoded)) decoded = raw;
    out += "\n" + key + ":" + decoded;
  }
  return out;
}

bool is_js_space(std::string_view s, size_t i, size_t& len) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return len = 1, true;
  if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xa0)
    return len = 2, true;
  if (c == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbb &&
      static_cast<unsigned char>(s[i + 2]) == 0xbf)
    return len = 3, true;
  return false;
}

std::string js_trim(std::string_view s) {
  size_t b = 0, len = 0;
  while (b < s.size() && is_js_space(s, b, len)) b += len;
  size_t e = s.size();
  while (e > b) {
    // Step back over one whitespace sequence ending at e, if any.
    bool found = false;
    for (size_t back = 1; back <= 3 && back <= e - b; ++back) {
      if (is_js_space(s, e - back, len) && len == back) {
        e -= back;
        found = true;
        break;
      }
    }
    if (!found) break;
  }
  return std::string(s.substr(b, e - b));
}

const std::string* header_value(const Headers& h, std::string_view name) {
  for (const auto& [n, v] : h)
    if (ascii_iequals(n, name)) return &v;
  return nullptr;
}

void set_header(Headers& h, std::string name, std::string value) {
  for (auto& [n, v] : h) {
    if (ascii_iequals(n, name)) {
      n = std::move(name);
      v = std::move(value);
      return;
    }
  }
  h.emplace_back(std::move(name), std::move(value));
}

}  // namespace

Result<SharedKeyCredentials> make_shared_key(std::string account, std::string_view key_base64) {
  SharedKeyCredentials c;
  c.account = std::move(account);
  if (key_base64.empty() || !base64_decode(key_base64, c.key) || c.key.empty())
    return Status{Errc::invalid_argument, "the account key is not valid base64"};
  return c;
}

bool shared_key_header_less(std::string_view lhs, std::string_view rhs) {
  const std::array<const std::array<int32_t, 128>*, 3> tables = {&kLevel0, &kLevel2, &kLevel4};
  size_t level = 0, i = 0, j = 0;
  while (level < tables.size()) {
    if (level == tables.size() - 1 && i != j) return i > j;
    int32_t w1 = weight(*tables[level], lhs, i);
    int32_t w2 = weight(*tables[level], rhs, j);
    if (w1 == kEnd && w2 == kEnd) {
      i = j = 0;
      ++level;
    } else if (w1 == w2) {
      ++i, ++j;
    } else if (w1 == 0) {
      ++i;
    } else if (w2 == 0) {
      ++j;
    } else {
      if (w1 == kNoWeight || w2 == kNoWeight) return false;
      return w1 < w2;
    }
  }
  return false;
}

Headers normalize_headers(const Headers& in) {
  Headers out;
  for (const auto& [name, value] : in) {
    std::string v = js_trim(value);
    v.erase(std::remove_if(v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n'; }),
            v.end());
    set_header(out, name, std::move(v));
  }
  return out;
}

std::string shared_key_string_to_sign(std::string_view method, std::string_view url,
                                      const Headers& headers, std::string_view account) {
  std::string sts(method);
  for (char& c : sts)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  // The SDK's order (Content-Language before Content-Encoding), one value per line.
  static const char* kStandard[] = {"Content-Language",
                                    "Content-Encoding",
                                    "Content-Length",
                                    "Content-MD5",
                                    "Content-Type",
                                    "Date",
                                    "If-Modified-Since",
                                    "If-Match",
                                    "If-None-Match",
                                    "If-Unmodified-Since",
                                    "Range"};
  for (const char* name : kStandard) {
    sts.push_back('\n');
    const std::string* v = header_value(headers, name);
    if (!v || v->empty()) continue;
    if (ascii_iequals(name, "Content-Length") && *v == "0") continue;
    sts += *v;
  }
  sts.push_back('\n');

  std::vector<std::pair<std::string, std::string_view>> ms;
  for (const auto& [name, value] : headers) {
    std::string lower = ascii_lower(name);
    if (lower.rfind("x-ms-", 0) == 0) ms.emplace_back(std::move(lower), value);
  }
  std::stable_sort(ms.begin(), ms.end(), [](const auto& a, const auto& b) {
    return shared_key_header_less(a.first, b.first);
  });
  for (size_t k = 0; k < ms.size(); ++k) {
    if (k > 0 && ms[k].first == ms[k - 1].first) continue;
    std::string_view name = ms[k].first;
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    std::string_view value = ms[k].second;
    size_t lead = 0, len = 0;
    while (lead < value.size() && is_js_space(value, lead, len)) lead += len;
    sts.append(name).append(":").append(value.substr(lead)).append("\n");
  }
  sts += canonical_resource(url, account);
  return sts;
}

SharedKeySignature sign_shared_key(std::string_view method, std::string_view url, Headers& headers,
                                   const SharedKeyCredentials& creds, TimePoint now) {
  SharedKeySignature sig;
  headers = normalize_headers(headers);
  sig.x_ms_date = format_rfc1123(now);
  set_header(headers, "x-ms-date", sig.x_ms_date);
  sig.string_to_sign = shared_key_string_to_sign(method, url, headers, creds.account);
  sig.authorization = "SharedKey " + creds.account + ":" +
                      base64_encode(hmac_sha256_raw(creds.key, sig.string_to_sign));
  set_header(headers, "Authorization", sig.authorization);
  return sig;
}

}  // namespace cpsync::azure
