// remotes/http/pipeline.h — the one send path of the cloud backends. A Pipeline joins a
// backend's addressing (request -> URL), its Signer and its ErrorMapper, and owns what every
// request needs: signing at a clock corrected for server skew, one resend with renewed
// credentials after a refusal, retries of throttled and transient failures with backoff
// and Retry-After (core/retry.h: the --low-level-retries budget), and resuming a ranged
// GET after a broken body. Retries live here and nowhere else in remotes/.
// Immutable after construction except the skew correction (atomic): one Pipeline serves
// all the remote's threads; each thread sends on its own http_client().
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/http.h"
#include "core/retry.h"
#include "core/status.h"
#include "remotes/http/error_mapper.h"
#include "remotes/http/request.h"
#include "remotes/http/router.h"
#include "remotes/http/signer.h"

namespace cpsync::http {

// The request's full URL, query included (escaped as the backend's servers expect).
using Addressing = std::function<std::string(const Request&)>;

// A byte range of one object to stream.
struct RangeSpec {
  uint64_t offset = 0;
  std::optional<uint64_t> length;     // nullopt: to the end of the object
  std::string_view header = "range";  // Azure: "x-ms-range"
};

class Pipeline {
 public:
  // router: optional (S3's bucket regions); a refusal it reroutes is sent once more.
  Pipeline(Addressing addressing, std::shared_ptr<const Signer> signer,
           std::shared_ptr<const ErrorMapper> errors,
           std::shared_ptr<const Router> router = nullptr);

  // One attempt: signs and sends; a refusal that renews the credentials, corrects the clock
  // or names the bucket's region (the router) is sent once more. Any HTTP status is a successful
  // Result (the raw answer, for sites that treat some statuses as answers, e.g. 404 on an existence
  // check); a transport failure is Errc::transient named by the mapper.
  Result<HttpResponse> send_once(const Request& req, const BodySink& sink = nullptr) const;

  // send_once until it succeeds, fails for good or the retry budget is spent. A non-2xx
  // answer (or an error document) is the mapper's Status. With a sink, a 2xx body streams
  // into it and the request is not retried once a byte reached the sink; use get_range()
  // to resume instead.
  Result<HttpResponse> send(const Request& req, const BodySink& sink = nullptr) const;

  // A GET of `range` streamed into sink. A body that breaks is resumed from the next byte
  // with a new ranged request, within the retry budget, so the sink sees every byte once,
  // in order. A ranged request answered with anything but 206 is Errc::corrupt (the
  // server ignored the Range: bytes already passed on would be wrong). Returns the last
  // answer; *delivered (required) counts the bytes the sink accepted.
  Result<HttpResponse> get_range(Request req, const RangeSpec& range, const BodySink& sink,
                                 uint64_t* delivered) const;

  const Signer& signer() const { return *signer_; }
  const ErrorMapper& errors() const { return *errors_; }
  std::string url(const Request& req) const { return addressing_(req); }

  // The signing clock: now, plus the correction learnt from a server that found our clock
  // skewed (and CPSYNC_TEST_CLOCK_OFFSET_S, seconds, which tests use to make it wrong).
  TimePoint now() const;
  // Milliseconds added to the local clock when signing (0 until a server said we skew).
  int64_t skew_correction_ms() const { return skew_ms_.load(); }

 private:
  struct Outcome {
    Result<HttpResponse> response;
    Status status;  // ok, or what the answer means (mapped)
  };
  Outcome attempt(const Request& req, const BodySink& sink) const;
  bool correct_clock(const HttpResponse& r) const;

  Addressing addressing_;
  std::shared_ptr<const Signer> signer_;
  std::shared_ptr<const ErrorMapper> errors_;
  std::shared_ptr<const Router> router_;
  int64_t test_offset_ms_ = 0;
  mutable std::atomic<int64_t> skew_ms_{0};
};

// Statistics of this process, for -vv and tests: clock corrections made.
uint64_t clock_corrections();

}  // namespace cpsync::http
