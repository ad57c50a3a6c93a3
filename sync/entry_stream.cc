// sync/entry_stream.cc — threaded, bounded remote listing stream.
#include "sync/entry_stream.h"

#include <algorithm>

#include "sync/parallel_listing.h"

namespace cpsync {

RemoteListing::RemoteListing(Remote& remote, std::string bucket, std::string prefix,
                             size_t max_pages, bool missing_is_empty, std::string under,
                             KeyRange range, int list_parallel)
    : remote_(remote),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      under_(std::move(under)),
      range_(std::move(range)),
      max_pages_(max_pages),
      list_parallel_(list_parallel),
      missing_is_empty_(missing_is_empty),
      thread_([this] { produce(); }) {}

RemoteListing::~RemoteListing() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RemoteListing::produce() {
  ListRequest req;
  req.bucket = bucket_;
  req.prefix = prefix_ + under_;
  req.recursive = true;
  bool disjoint = false;  // the range lies wholly outside prefix + under
  if (range_.bounded()) {
    const std::string shared = prefix_ + range_.common_prefix();
    if (shared.starts_with(req.prefix))
      req.prefix = shared;
    else
      disjoint = !req.prefix.starts_with(shared);
    if (!range_.lo.empty()) req.start_after = prefix_ + range_.start_after();
  }
  bool any_page = false, reached_end = false;
  PageSink sink = [&](std::vector<ObjectInfo>& page) -> Status {
    std::vector<ObjectInfo> kept;
    kept.reserve(page.size());
    for (auto& e : page) {
      if (e.is_dir || e.key.size() < prefix_.size()) continue;
      if (!e.key.empty() && e.key.back() == '/' && e.size == 0) continue;  // dir marker
      e.key.erase(0, prefix_.size());
      if (e.key.empty()) continue;  // the root itself
      if (range_.past_end(e.key)) {
        reached_end = true;
        break;
      }
      if (!range_.contains(e.key)) continue;
      kept.push_back(std::move(e));
    }
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pages_.size() < max_pages_ || cancelled_; });
    if (cancelled_) return Status{Errc::cancelled, "listing cancelled"};
    pages_.push_back(std::move(kept));
    any_page = true;
    cv_.notify_all();
    if (reached_end) return Status{Errc::cancelled, "end of the shard range"};
    return Status::OK();
  };
  Status st;
  if (disjoint) {
    st = Status::OK();
  } else if (list_parallel_ > 1 && remote_.features().buckets) {
    ParallelListOptions po;
    po.parallel = list_parallel_;
    if (!range_.hi.empty()) po.stop = prefix_ + range_.hi;
    st = list_parallel(remote_, req, po, sink);
  } else {
    st = remote_.list(req, sink);
  }
  if (reached_end && st.code == Errc::cancelled) st = Status::OK();
  std::lock_guard lock(mu_);
  if (st.code == Errc::not_found && missing_is_empty_ && !any_page) {
    missing_ = true;
    st = Status::OK();
  }
  status_ = st;
  done_ = true;
  cv_.notify_all();
}

const ObjectInfo* RemoteListing::next() {
  while (pos_ >= current_.size()) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !pages_.empty() || done_; });
    if (pages_.empty()) return nullptr;  // done: status_ tells whether it ended well
    if (!status_.ok()) return nullptr;   // stop at the first listing error
    current_ = std::move(pages_.front());
    pages_.pop_front();
    pos_ = 0;
    cv_.notify_all();
  }
  ++count_;
  return &current_[pos_++];
}

bool RemoteListing::wait_first() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !pages_.empty() || done_; });
  return true;
}

bool RemoteListing::missing() const {
  std::lock_guard lock(mu_);
  return missing_;
}

Status RemoteListing::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

StatStream::StatStream(Remote& remote, std::string bucket, std::string prefix,
                       const std::vector<std::string>& keys, int parallel)
    : remote_(remote),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      keys_(keys),
      window_(static_cast<size_t>(std::max(1, parallel)) * 4) {
  const size_t n = std::min(keys_.size(), static_cast<size_t>(std::max(1, parallel)));
  for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

StatStream::~StatStream() {
  {
    std::lock_guard lock(mu_);
    cancelled_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void StatStream::work() {
  for (;;) {
    size_t index;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock,
               [&] { return cancelled_ || claimed_ >= keys_.size() || claimed_ < pos_ + window_; });
      if (cancelled_ || claimed_ >= keys_.size()) return;
      index = claimed_++;
      if (results_.size() < claimed_ - pos_) results_.resize(claimed_ - pos_);
    }
    auto r = remote_.stat(ObjectRef{bucket_, prefix_ + keys_[index]});
    {
      std::lock_guard lock(mu_);
      if (index >= pos_) results_[index - pos_] = std::move(r);
    }
    cv_.notify_all();
  }
}

const ObjectInfo* StatStream::next() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!status_.ok() || pos_ >= keys_.size()) return nullptr;
    cv_.wait(lock, [&] { return !results_.empty() && results_.front().has_value(); });
    Result<ObjectInfo> r = std::move(*results_.front());
    results_.pop_front();
    const std::string& key = keys_[pos_++];
    cv_.notify_all();
    if (!r.ok()) {
      if (r.status().code == Errc::not_found) continue;
      status_ = r.status().with_context("stat " + key);
      return nullptr;
    }
    if (r->is_dir) continue;
    current_ = std::move(r).value();
    current_.key = key;
    current_.metadata_known = true;
    return &current_;
  }
}

Status StatStream::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

}  // namespace cpsync
