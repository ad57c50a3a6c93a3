// sync/url_copy.h — cross-cloud server-side copies: the destination's service fetches the
// object from a short-lived presigned URL of the source (Remote::copy_from_url), so no body
// byte passes through cpsync. Decides from capabilities (Features::presign on the source,
// Features::copy_from_url on the destination) and from where the two services are: a source
// on a loopback or private address cannot be fetched by a service elsewhere.
// Pure decisions plus one copy; thread-safe like transfer_object.
#pragma once

#include <string>
#include <string_view>

#include "remotes/remote.h"
#include "sync/transfer.h"

namespace cpsync {

// Where a host is, as far as reaching it goes.
enum class NetScope {
  loopback,  // 127.0.0.0/8, ::1, localhost and *.localhost
  private_,  // RFC 1918, link-local, 100.64.0.0/10, fc00::/7, single-label names, *.internal,
             // *.local, *.lan and OSS's "-internal." VPC endpoints
  public_,   // anything else
};
NetScope net_scope(std::string_view host);
// The host of scheme://[user@]host[:port]/...; "" when none.
std::string url_host(std::string_view url);
// Whether a service at service_url can fetch source_url: a public source from anywhere, a
// private one from a private or loopback service, a loopback one only from loopback. An
// unknown service ("") is taken as public.
bool can_fetch(std::string_view service_url, std::string_view source_url);

// Whether a copy from src to dst goes by URL at all: dst copies from URLs, src is another
// endpoint of a network service, and the object is not empty. When it does not, nothing is
// said; when it does but cannot (why_not non-empty after try_url_copy), the caller streams.
bool url_copy_applies(const Remote& src, const Remote& dst, const ObjectInfo& info);

// Whether a copy by URL (url_copy_applies) can be tried, before anything is sent:
// Errc::not_supported with the reason when not (--no-server-side-copy, a source that cannot
// presign, or whose endpoint dst's service cannot reach); a presigning error otherwise.
Status url_copy_possible(Remote& src, const ObjectRef& src_ref, const Remote& dst,
                         const TransferOptions& o);

// Copies source (listed, with its metadata completed) by URL, once url_copy_possible said it
// can. Errc::not_supported, with the reason in its message, when the service could not fetch
// the source and streaming should follow. Any other error is the copy's (conflict: the source
// changed).
Result<TransferOutcome> try_url_copy(Remote& src, const ObjectRef& src_ref,
                                     const ObjectInfo& source, Remote& dst,
                                     const ObjectRef& dst_ref, const UploadOptions& uo,
                                     const TransferOptions& o);

}  // namespace cpsync
