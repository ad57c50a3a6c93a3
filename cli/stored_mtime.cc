// cli/stored_mtime.cc — stored mtimes for S3/OSS listing entries (see stored_mtime.h).
#include "cli/stored_mtime.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "sync/compare.h"

namespace cpsync {

Status fill_stored_mtimes(Remote& remote, const std::string& bucket, std::vector<ObjectInfo>& page,
                          const std::function<bool(const ObjectInfo&)>& needs) {
  std::vector<size_t> todo;
  for (size_t i = 0; i < page.size(); ++i) {
    const ObjectInfo& e = page[i];
    if (!e.is_dir && !metadata_complete(e) && needs(e)) todo.push_back(i);
  }
  if (todo.empty()) return Status::OK();
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first;
  auto work = [&] {
    for (size_t t; (t = next++) < todo.size();) {
      ObjectInfo& e = page[todo[t]];
      auto info = remote.stat(ObjectRef{bucket, e.key});
      if (!info.ok()) {
        if (info.status().code == Errc::not_found) continue;
        std::lock_guard lock(mu);
        if (first.ok()) first = info.status();
        continue;
      }
      e.mtime = source_mtime(*info);
      e.metadata = std::move(info->metadata);
      e.content = std::move(info->content);
      if (!e.md5) e.md5 = info->md5;
      if (e.tier.empty()) e.tier = std::move(info->tier);
      e.metadata_known = true;
      e.mtime_from_metadata = stored_mtime(e).has_value();
    }
  };
  const size_t n = std::min<size_t>(todo.size(), kStoredMtimeStats);
  std::vector<std::thread> threads;
  for (size_t i = 1; i < n; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  return first;
}

}  // namespace cpsync
