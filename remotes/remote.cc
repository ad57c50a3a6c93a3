// remotes/remote.cc — default implementations of optional Remote operations.
#include "remotes/remote.h"

#include "core/crypto.h"
#include "core/parallel_parts.h"

namespace cpsync {
namespace {

// Single deletes in flight for remotes without a batch delete (Azure, local). Deletes are
// small requests, so several at once hide the round trip.
constexpr uint32_t kParallelDeletes = 8;

}  // namespace

std::string put_body_md5(const UploadOptions& opts, const char* data, size_t len) {
  if (opts.body_md5.size() == 16) return opts.body_md5;
  return md5_raw(std::string_view(data ? data : "", len));
}

Status Remote::remove_many(const std::string& bucket, const std::vector<std::string>& keys) {
  return run_parts_in_parallel(static_cast<uint32_t>(keys.size()), kParallelDeletes,
                               [&](uint32_t i) {
                                 return remove(ObjectRef{bucket, keys[i]});
                               });
}

}  // namespace cpsync
