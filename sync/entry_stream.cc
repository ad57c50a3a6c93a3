// sync/entry_stream.cc — threaded, bounded remote listing stream.
#include "sync/entry_stream.h"

namespace cpsync {

RemoteListing::RemoteListing(Remote& remote, std::string bucket, std::string prefix,
                             size_t max_pages, bool missing_is_empty)
    : remote_(remote),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      max_pages_(max_pages),
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
  req.prefix = prefix_;
  req.recursive = true;
  bool any_page = false;
  Status st = remote_.list(req, [&](std::vector<ObjectInfo>& page) -> Status {
    std::vector<ObjectInfo> kept;
    kept.reserve(page.size());
    for (auto& e : page) {
      if (e.is_dir || e.key.size() < prefix_.size()) continue;
      if (!e.key.empty() && e.key.back() == '/' && e.size == 0) continue;  // dir marker
      e.key.erase(0, prefix_.size());
      if (e.key.empty()) continue;  // the root itself
      kept.push_back(std::move(e));
    }
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pages_.size() < max_pages_ || cancelled_; });
    if (cancelled_) return Status{Errc::cancelled, "listing cancelled"};
    pages_.push_back(std::move(kept));
    any_page = true;
    cv_.notify_all();
    return Status::OK();
  });
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

}  // namespace cpsync
