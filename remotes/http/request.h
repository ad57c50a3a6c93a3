// remotes/http/request.h — one provider request as the request sites describe it (method,
// bucket or container, raw key, raw query, headers, body), before addressing and
// authorisation, which the backend's pipeline adds (pipeline.h). A plain value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/http.h"

namespace cpsync::http {

// One query parameter, raw (decoded). No value (nullopt) is a bare name ("?uploads" on
// OSS); S3 and Azure send it as "name=".
struct QueryParam {
  QueryParam(std::string n, std::optional<std::string> v = std::nullopt)  // NOLINT: implicit
      : name(std::move(n)), value(std::move(v)) {}
  std::string name;
  std::optional<std::string> value;
};
using QueryParams = std::vector<QueryParam>;

struct Request {
  std::string method = "GET";
  std::string bucket;          // bucket or container; "" for service-level requests (ListBuckets)
  std::string key;             // raw object key; "" for bucket-level requests
  QueryParams query;           // sent in this order (signers sort what they sign)
  Headers headers;             // besides what addressing and the signer add
  const char* body = nullptr;  // not owned
  size_t body_size = 0;
  // SigV4: sign the SHA-256 of the body (small XML bodies); otherwise bodies are sent
  // UNSIGNED-PAYLOAD and carry Content-MD5. Other signers ignore it.
  bool sign_body = false;
  std::string_view op = "other";  // request counter label: "list", "head", "get", "put", ...
  // What the request does, for error messages ("stat", "read", "delete"); "" means op.
  std::string_view verb;
  std::string_view what() const { return verb.empty() ? op : verb; }
  // Sets verb; for one-line request sites: client.call(req.with_verb("remove")).
  Request& with_verb(std::string_view v) {
    verb = v;
    return *this;
  }
};

}  // namespace cpsync::http
