// remotes/http/pipeline.cc — the one send path (see pipeline.h).
#include "remotes/http/pipeline.h"

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/log.h"
#include "core/time_format.h"

namespace cpsync::http {
namespace {

std::atomic<uint64_t> g_clock_corrections{0};

TimePoint system_now() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

}  // namespace

uint64_t clock_corrections() {
  return g_clock_corrections.load();
}

Pipeline::Pipeline(Addressing addressing, std::shared_ptr<const Signer> signer,
                   std::shared_ptr<const ErrorMapper> errors, std::shared_ptr<const Router> router)
    : addressing_(std::move(addressing)),
      signer_(std::move(signer)),
      errors_(std::move(errors)),
      router_(std::move(router)) {
  if (const char* v = std::getenv("CPSYNC_TEST_CLOCK_OFFSET_S"); v && *v)
    test_offset_ms_ = std::strtoll(v, nullptr, 10) * 1000;
}

TimePoint Pipeline::now() const {
  return system_now() + std::chrono::milliseconds(test_offset_ms_ + skew_ms_.load());
}

bool Pipeline::correct_clock(const HttpResponse& r) const {
  auto server = parse_rfc1123(r.header_or("date"));
  if (!server) return false;
  // The server's Date has whole seconds: aim at the middle of its second.
  auto ours = system_now() + std::chrono::milliseconds(test_offset_ms_);
  auto diff = std::chrono::duration_cast<std::chrono::milliseconds>(*server - ours).count() + 500;
  skew_ms_.store(diff);
  ++g_clock_corrections;
  log_info("clock: the server's time differs from ours by " + std::to_string(diff / 1000) +
           " s; signing with the server's time from now on");
  return true;
}

Pipeline::Outcome Pipeline::attempt(const Request& req, const BodySink& sink) const {
  bool renewed = false, reclocked = false, rerouted = false;
  for (;;) {
    HttpRequest out;
    out.method = req.method;
    out.url = addressing_(req);
    out.headers = req.headers;
    out.body_data = req.body;
    out.body_size = req.body_size;
    out.op = req.op;
    out.head_response = req.method == "HEAD";
    Result<SignedWith> used = signer_->sign(req, out, now());
    if (!used.ok()) return {used.status(), used.status()};
    Result<HttpResponse> r = http_client().send(out, sink);
    if (!r.ok()) {
      Status st = errors_->transport(r.status(), req);
      return {st, st};
    }
    if (r->success() && !errors_->is_error_body(*r)) return {std::move(r), Status::OK()};
    Status st = errors_->map(*r, req);
    if (!reclocked && errors_->clock_skewed(*r, st) && correct_clock(*r)) {
      reclocked = true;
      continue;
    }
    if (!rerouted && router_ && router_->reroute(*r, req, st)) {
      rerouted = true;
      continue;
    }
    if (!renewed) {
      Result<bool> again = signer_->renew_after_refusal(*used, req, st);
      if (!again.ok()) return {again.status(), again.status()};
      if (*again) {
        renewed = true;
        continue;
      }
    }
    return {std::move(r), std::move(st)};
  }
}

Result<HttpResponse> Pipeline::send_once(const Request& req, const BodySink& sink) const {
  return attempt(req, sink).response;
}

Result<HttpResponse> Pipeline::send(const Request& req, const BodySink& sink) const {
  uint64_t got = 0;
  BodySink counting;
  if (sink) {
    counting = [&](const char* data, size_t len) {
      Status s = sink(data, len);
      if (s.ok()) got += len;
      return s;
    };
  }
  const RetryPolicy& policy = default_retry_policy();
  for (int tries = 0;; ++tries) {
    Outcome o = attempt(req, counting);
    if (o.status.ok()) return std::move(o.response);
    if (!o.status.retryable() || got > 0 || tries + 1 >= policy.max_attempts) return o.status;
    std::this_thread::sleep_for(retry_delay(policy, tries, o.status));
  }
}

Result<HttpResponse> Pipeline::get_range(Request req, const RangeSpec& range, const BodySink& sink,
                                         uint64_t* delivered) const {
  const size_t first_header = req.headers.size();
  const RetryPolicy& policy = default_retry_policy();
  bool sink_failed = false;
  for (int tries = 0;; ++tries) {
    const uint64_t done = *delivered;
    const uint64_t from = range.offset + done;
    const bool ranged = from > 0 || range.length.has_value();
    req.headers.resize(first_header);
    if (ranged) {
      std::string spec = "bytes=" + std::to_string(from) + "-";
      if (range.length) spec += std::to_string(range.offset + *range.length - 1);
      req.headers.emplace_back(std::string(range.header), std::move(spec));
    }
    Outcome o = attempt(req, [&](const char* data, size_t len) -> Status {
      Status s = sink(data, len);
      if (s.ok())
        *delivered += len;
      else
        sink_failed = true;  // the sink's own failure is never retried
      return s;
    });
    if (o.status.ok() && ranged && o.response->status != 206) {
      Status st =
          errors_->transport(Status{Errc::corrupt, "the server ignored the Range header"}, req);
      st.code = Errc::corrupt;
      return st;
    }
    if (o.status.ok()) return std::move(o.response);
    const bool progressed = *delivered > done;
    if (sink_failed || !o.status.retryable() || tries + 1 >= policy.max_attempts) return o.status;
    // A body that broke after some bytes resumes at once; otherwise back off.
    if (!progressed) std::this_thread::sleep_for(retry_delay(policy, tries, o.status));
  }
}

}  // namespace cpsync::http
