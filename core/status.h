// core/status.h — the one error type of cpsync: Status (a code plus one clear line) and
// Result<T> (a value or a Status). Callers branch on Errc, never on message text.
// Plain values: safe to copy and move between threads.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cpsync {

enum class Errc {
  ok,
  not_found,         // object, bucket or file absent (HTTP 404)
  access_denied,     // bad or missing credentials, forbidden (HTTP 401/403)
  invalid_argument,  // bad input from the user: config, spec, flag, key
  not_supported,     // the remote cannot do this operation
  conflict,          // precondition failed, object changed underneath us (409/412)
  throttled,         // slow down: 429, 503 SlowDown, ServerBusy — retry with backoff
  transient,         // 5xx, broken connection, timeout — retry
  corrupt,           // checksum mismatch, out-of-order listing, malformed response
  permanent,         // any other failure a retry will not fix
  cancelled,         // the run was interrupted
};

const char* errc_name(Errc e);

// Which resource a not_found is about, set where provider answers are mapped (the backends'
// error mappers) so that callers never match provider codes such as NoSuchBucket.
enum class Missing {
  none,    // not a not_found, or not known
  bucket,  // the bucket or container (or a local root directory)
  object,  // the object, blob or file
};

struct Status {
  Errc code = Errc::ok;
  std::string message;        // one line: names the remote/key and what to fix
  std::string provider_code;  // e.g. "NoSuchKey", "SignatureDoesNotMatch"; may be empty
  std::string request_id;     // provider request id, for support tickets; may be empty
  int http_status = 0;        // 0 when no HTTP response was received
  // A 429/503 answer's Retry-After, in milliseconds (uncapped; core/retry caps it);
  // -1 when the server sent none.
  long long retry_after_ms = -1;
  Missing missing = Missing::none;

  Status() = default;
  Status(Errc c, std::string msg) : code(c), message(std::move(msg)) {}

  static Status OK() { return Status(); }
  bool ok() const { return code == Errc::ok; }
  // Worth retrying the same request: throttled or transient.
  bool retryable() const { return code == Errc::throttled || code == Errc::transient; }
  // "not_found: s3 bucket/key: NoSuchKey (404)" style, for logs.
  std::string to_string() const;
  // Prefix the message with context, e.g. status.with_context("copy a.txt").
  Status with_context(const std::string& context) const;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit, like std::expected
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

// Return early from a function returning Status or Result<T>.
#define CPSYNC_RETURN_IF_ERROR(expr) \
  do {                               \
    ::cpsync::Status _st = (expr);   \
    if (!_st.ok()) return _st;       \
  } while (0)

#define CPSYNC_CONCAT_INNER(a, b) a##b
#define CPSYNC_CONCAT(a, b) CPSYNC_CONCAT_INNER(a, b)
#define CPSYNC_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
// CPSYNC_ASSIGN_OR_RETURN(auto x, make_x());
#define CPSYNC_ASSIGN_OR_RETURN(lhs, expr) \
  CPSYNC_ASSIGN_OR_RETURN_IMPL(CPSYNC_CONCAT(_res_, __LINE__), lhs, expr)

}  // namespace cpsync
