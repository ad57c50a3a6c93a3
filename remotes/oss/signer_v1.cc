// remotes/oss/signer_v1.cc — OSS V1 signing (see signer_v1.h).
#include "remotes/oss/signer_v1.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/crypto.h"
#include "core/time_format.h"

namespace cpsync::oss {

bool is_v1_subresource(std::string_view name) {
  // OSS's list of signed sub-resources (as the official SDKs keep it).
  static const std::set<std::string, std::less<>> kSubresources = {
      "acl",
      "append",
      "asyncFetch",
      "bucketInfo",
      "callback",
      "callback-var",
      "cloudboxes",
      "cname",
      "comp",
      "continuation-token",
      "cors",
      "delete",
      "encryption",
      "endTime",
      "group",
      "img",
      "inventory",
      "inventoryId",
      "lifecycle",
      "link",
      "live",
      "location",
      "logging",
      "metaQuery",
      "objectInfo",
      "objectMeta",
      "partNumber",
      "policy",
      "position",
      "qos",
      "qosInfo",
      "referer",
      "regionList",
      "replication",
      "replicationLocation",
      "replicationProgress",
      "requestPayment",
      "resourceGroup",
      "response-cache-control",
      "response-content-disposition",
      "response-content-encoding",
      "response-content-language",
      "response-content-type",
      "response-expires",
      "responseHeader",
      "restore",
      "rtc",
      "security-token",
      "sequential",
      "startTime",
      "stat",
      "status",
      "style",
      "styleName",
      "symlink",
      "tagging",
      "transferAcceleration",
      "udf",
      "udfApplication",
      "udfApplicationLog",
      "udfId",
      "udfImage",
      "udfImageDesc",
      "udfName",
      "uploadId",
      "uploads",
      "versionId",
      "versioning",
      "versions",
      "vod",
      "website",
      "withHashContext",
      "worm",
      "wormExtend",
      "wormId",
      "x-oss-ac-forward-allow",
      "x-oss-ac-source-ip",
      "x-oss-ac-subnet-mask",
      "x-oss-ac-vpc-id",
      "x-oss-async-process",
      "x-oss-enable-md5",
      "x-oss-enable-sha1",
      "x-oss-enable-sha256",
      "x-oss-hash-ctx",
      "x-oss-md5-ctx",
      "x-oss-process",
      "x-oss-request-payer",
      "x-oss-traffic-limit",
  };
  return kSubresources.count(name) > 0;
}

std::string v1_canonical_resource(std::string_view bucket, std::string_view key,
                                  const QueryParams& sub_resources) {
  std::string out = "/";
  if (!bucket.empty()) {
    out += bucket;
    out += "/";
    out += key;
  }
  // Sorted by name (byte order, as JavaScript's default sort for these ASCII names); a
  // later duplicate replaces an earlier one, as in the SDK's object.
  std::map<std::string, std::optional<std::string>> sorted;
  for (const auto& p : sub_resources) sorted[p.name] = p.value;
  char sep = '?';
  for (const auto& [name, value] : sorted) {
    out.push_back(sep);
    sep = '&';
    out += name;
    if (value && !value->empty()) {
      out.push_back('=');
      out += *value;
    }
  }
  return out;
}

std::string v1_string_to_sign(std::string_view method, const Headers& headers,
                              std::string_view date, std::string_view canonical_resource) {
  std::string out;
  for (char c : method) out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c);
  out.push_back('\n');
  if (const std::string* md5 = header_value(headers, "content-md5")) out += *md5;
  out.push_back('\n');
  if (const std::string* ct = header_value(headers, "content-type")) out += *ct;
  out.push_back('\n');
  out += date;
  out.push_back('\n');
  std::map<std::string, std::string> oss;
  for (const auto& [k, v] : headers) {
    std::string lk = to_lower(k);
    if (lk.rfind("x-oss-", 0) == 0) oss[lk] = trim(v);
  }
  for (const auto& [k, v] : oss) {
    out += k;
    out.push_back(':');
    out += v;
    out.push_back('\n');
  }
  out += canonical_resource;
  return out;
}

std::string v1_signature(std::string_view secret, std::string_view string_to_sign) {
  return base64_encode(hmac_sha1_raw(secret, string_to_sign));
}

V1Signed sign_v1_header(SignRequest& req, const Credentials& c, TimePoint now) {
  set_header(req.headers, "x-oss-date", format_rfc1123(now));
  if (!c.security_token.empty()) set_header(req.headers, "x-oss-security-token", c.security_token);
  QueryParams sub;
  for (const auto& p : req.query)
    if (is_v1_subresource(p.name)) sub.push_back(p);
  V1Signed out;
  out.string_to_sign =
      v1_string_to_sign(req.method, req.headers, *header_value(req.headers, "x-oss-date"),
                        v1_canonical_resource(req.bucket, req.key, sub));
  out.authorization =
      "OSS " + c.access_key_id + ":" + v1_signature(c.access_key_secret, out.string_to_sign);
  set_header(req.headers, "Authorization", out.authorization);
  return out;
}

PresignedUrl presign_v1(const V1UrlRequest& r, const Credentials& c) {
  QueryParams sub = r.sub_resources;
  if (!c.security_token.empty()) sub.push_back({"security-token", c.security_token});
  const std::string expires = std::to_string(r.expires_epoch);
  PresignedUrl out;
  out.string_to_sign =
      v1_string_to_sign(r.method, r.headers, expires, v1_canonical_resource(r.bucket, r.key, sub));
  out.signature = v1_signature(c.access_key_secret, out.string_to_sign);
  out.query = {
      {"OSSAccessKeyId", c.access_key_id}, {"Expires", expires}, {"Signature", out.signature}};
  out.query.insert(out.query.end(), sub.begin(), sub.end());
  out.url = r.base_url + "/" + js_encode_path(r.key) + "?" + js_query_string(out.query);
  return out;
}

}  // namespace cpsync::oss
