// remotes/oss/sign_common.cc — helpers shared by the OSS V1 and V4 signers.
#include "remotes/oss/sign_common.h"

#include <chrono>

namespace cpsync::oss {
namespace {

bool js_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' ||
         c == ')';
}

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string js_encode_component(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3 / 2);
  for (unsigned char c : s) {
    if (js_unreserved(c)) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string js_encode_path(std::string_view s) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    out += js_encode_component(s.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    out.push_back('/');
    start = slash + 1;
  }
  return out;
}

std::string js_query_string(const QueryParams& q) {
  std::string out;
  for (const auto& p : q) {
    if (!out.empty()) out.push_back('&');
    out += js_encode_component(p.name);
    out.push_back('=');
    if (p.value) out += js_encode_component(*p.value);
  }
  return out;
}

std::string trim(std::string_view s) {
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  };
  size_t b = 0, e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const std::string* header_value(const Headers& h, std::string_view lower_name) {
  const std::string* found = nullptr;
  for (const auto& [k, v] : h)
    if (ieq(k, lower_name)) found = &v;
  return found;
}

void set_header(Headers& h, std::string_view name, std::string value) {
  for (auto it = h.begin(); it != h.end();) {
    if (ieq(it->first, name))
      it = h.erase(it);
    else
      ++it;
  }
  h.emplace_back(std::string(name), std::move(value));
}

int64_t unix_seconds(TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

}  // namespace cpsync::oss
