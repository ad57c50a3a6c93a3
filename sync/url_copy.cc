// sync/url_copy.cc — cross-cloud server-side copies through presigned source URLs.
#include "sync/url_copy.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>

#include "sync/compare.h"

namespace cpsync {
namespace {

// Each request gets its own URL, valid this long: enough for the service to start its fetch
// (and for the pipeline's retries of that request), short enough to be worth little if seen.
constexpr std::chrono::seconds kUrlExpiry{15 * 60};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The four octets of a dotted IPv4 address, or false.
bool ipv4(std::string_view h, int (&o)[4]) {
  int n = 0;
  size_t i = 0;
  while (n < 4) {
    size_t j = i;
    while (j < h.size() && std::isdigit(static_cast<unsigned char>(h[j]))) ++j;
    if (j == i || j - i > 3) return false;
    o[n++] = std::atoi(std::string(h.substr(i, j - i)).c_str());
    if (o[n - 1] > 255) return false;
    if (n < 4) {
      if (j >= h.size() || h[j] != '.') return false;
      i = j + 1;
    } else if (j != h.size()) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string url_host(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return "";
  start += 3;
  size_t end = url.find_first_of("/?#", start);
  std::string_view auth = url.substr(start, end == std::string_view::npos ? url.npos : end - start);
  if (size_t at = auth.rfind('@'); at != std::string_view::npos) auth = auth.substr(at + 1);
  if (!auth.empty() && auth.front() == '[') {  // [v6]:port
    size_t close = auth.find(']');
    return lower(auth.substr(1, close == std::string_view::npos ? auth.npos : close - 1));
  }
  if (size_t colon = auth.rfind(':'); colon != std::string_view::npos) auth = auth.substr(0, colon);
  return lower(auth);
}

NetScope net_scope(std::string_view host_in) {
  const std::string host = lower(host_in);
  if (host == "localhost" || ends_with(host, ".localhost") || host == "::1")
    return NetScope::loopback;
  int o[4];
  if (ipv4(host, o)) {
    if (o[0] == 127) return NetScope::loopback;
    if (o[0] == 10 || (o[0] == 172 && o[1] >= 16 && o[1] <= 31) || (o[0] == 192 && o[1] == 168) ||
        (o[0] == 169 && o[1] == 254) || (o[0] == 100 && o[1] >= 64 && o[1] <= 127) || o[0] == 0)
      return NetScope::private_;
    return NetScope::public_;
  }
  if (host.find(':') != std::string::npos) {  // IPv6
    if (host.rfind("fc", 0) == 0 || host.rfind("fd", 0) == 0 || host.rfind("fe80", 0) == 0)
      return NetScope::private_;
    return NetScope::public_;
  }
  if (host.find('.') == std::string::npos || ends_with(host, ".internal") ||
      ends_with(host, ".local") || ends_with(host, ".lan") ||
      host.find("-internal.") != std::string::npos)
    return NetScope::private_;
  return NetScope::public_;
}

bool can_fetch(std::string_view service_url, std::string_view source_url) {
  const NetScope src = net_scope(url_host(source_url));
  if (src == NetScope::public_) return true;
  const std::string service_host = url_host(service_url);
  const NetScope svc = service_host.empty() ? NetScope::public_ : net_scope(service_host);
  if (src == NetScope::loopback) return svc == NetScope::loopback;
  return svc != NetScope::public_;
}

bool url_copy_applies(const Remote& src, const Remote& dst, const ObjectInfo& info) {
  return dst.features().copy_from_url && !src.features().local_reads && info.size > 0 &&
         (src.endpoint_id().empty() || src.endpoint_id() != dst.endpoint_id());
}

Status url_copy_possible(Remote& src, const ObjectRef& src_ref, const Remote& dst,
                         const TransferOptions& o) {
  if (!o.server_side_copy)
    return Status{Errc::not_supported, "server-side copy is off (--no-server-side-copy)"};
  if (!src.features().presign)
    return Status{Errc::not_supported,
                  "the source cannot make presigned URLs (anonymous or SAS credentials)"};
  // One URL first, to see where the source is; it is not used for the copy.
  auto probe = src.link(src_ref, kUrlExpiry);
  if (!probe.ok()) {
    if (probe.status().code == Errc::not_found || probe.status().code == Errc::conflict)
      return probe.status();
    return Status{Errc::not_supported,
                  "the source cannot presign a URL for it: " + probe.status().message};
  }
  if (!can_fetch(dst.service_url(), *probe))
    return Status{Errc::not_supported, "the source's endpoint " + url_host(*probe) +
                                           " is not reachable from " + url_host(dst.service_url())};
  return Status::OK();
}

Result<TransferOutcome> try_url_copy(Remote& src, const ObjectRef& src_ref,
                                     const ObjectInfo& source, Remote& dst,
                                     const ObjectRef& dst_ref, const UploadOptions& uo,
                                     const TransferOptions& o) {
  UrlCopySource us;
  us.make_url = [&]() -> Result<std::string> { return src.link(src_ref, kUrlExpiry); };
  us.size = source.size;
  us.etag = source.etag;
  us.md5 = known_md5(source);
  us.single_max = o.upload_cutoff.value_or(o.chunk_size);
  us.block_size = o.server_side_block.value_or(o.chunk_size);
  us.streams = o.streams;
  us.progress = o.bytes_done;
  auto copied = dst.copy_from_url(us, dst_ref, uo);
  if (!copied.ok()) return copied.status();
  if (o.server_side_bytes) *o.server_side_bytes += source.size;
  TransferOutcome out;
  out.dst = std::move(copied).value();
  out.server_side = true;
  out.md5 = us.md5.value_or("");
  return out;
}

}  // namespace cpsync
