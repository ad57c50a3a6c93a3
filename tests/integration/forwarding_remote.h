// tests/integration/forwarding_remote.h — a Remote that forwards every call to another
// (LevelDB's EnvWrapper idea); tests derive from it and override one method to inject a
// fault into a real backend.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "remotes/remote.h"

namespace cpsync::testing {

// An Upload that forwards every call to another; tests override one call to count or
// fail it (returned by a ForwardingRemote's begin_upload).
class ForwardingUpload : public Upload {
 public:
  explicit ForwardingUpload(std::unique_ptr<Upload> inner) : inner_(std::move(inner)) {}
  Upload& inner() { return *inner_; }
  Status write_part(uint32_t n, uint64_t off, const char* d, size_t len) override {
    return write_summed_part(n, off, d, len, {});
  }
  Status write_summed_part(uint32_t n, uint64_t off, const char* d, size_t len,
                           const PartSums& sums) override {
    return inner_->write_summed_part(n, off, d, len, sums);
  }
  Result<ObjectInfo> commit() override { return inner_->commit(); }
  Status abort() override { return inner_->abort(); }
  uint64_t reused_bytes() const override { return inner_->reused_bytes(); }
  void set_whole_md5(const std::string& raw) override { inner_->set_whole_md5(raw); }
  void keep_for_resume() override { inner_->keep_for_resume(); }

 private:
  std::unique_ptr<Upload> inner_;
};

class ForwardingRemote : public Remote {
 public:
  explicit ForwardingRemote(Remote& inner) : inner_(inner) {}
  Remote& inner() { return inner_; }
  const Features& features() const override { return inner_.features(); }
  const std::string& name() const override { return inner_.name(); }
  Status list(const ListRequest& r, const PageSink& s) override { return inner_.list(r, s); }
  Result<ObjectInfo> stat(const ObjectRef& r) override { return inner_.stat(r); }
  Status read(const ObjectRef& r, const ByteRange& b, const DataSink& s) override {
    return inner_.read(r, b, s);
  }
  Result<ObjectInfo> put(const ObjectRef& r, const char* d, size_t n,
                         const UploadOptions& o) override {
    return inner_.put(r, d, n, o);
  }
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& r,
                                               const UploadOptions& o) override {
    return inner_.begin_upload(r, o);
  }
  Result<ObjectInfo> copy_server_side(const ObjectRef& s, const ObjectRef& d,
                                      const ObjectInfo& i) override {
    return inner_.copy_server_side(s, d, i);
  }
  Status remove(const ObjectRef& r) override { return inner_.remove(r); }
  Status remove_many(const std::string& b, const std::vector<std::string>& k) override {
    return inner_.remove_many(b, k);
  }
  Status list_buckets(const PageSink& s) override { return inner_.list_buckets(s); }
  Status make_bucket(const std::string& b) override { return inner_.make_bucket(b); }
  Status remove_bucket(const std::string& b) override { return inner_.remove_bucket(b); }
  Result<std::string> link(const ObjectRef& r, std::chrono::seconds e) override {
    return inner_.link(r, e);
  }
  Result<ObjectInfo> copy_from_url(const UrlCopySource& s, const ObjectRef& d,
                                   const UploadOptions& o) override {
    return inner_.copy_from_url(s, d, o);
  }
  std::string endpoint_id() const override { return inner_.endpoint_id(); }
  std::string service_url() const override { return inner_.service_url(); }

 private:
  Remote& inner_;
};

// Fails the listing with a transient error after `pages_ok` pages were delivered.
class FailingListRemote : public ForwardingRemote {
 public:
  FailingListRemote(Remote& inner, int pages_ok) : ForwardingRemote(inner), pages_ok_(pages_ok) {}
  Status list(const ListRequest& r, const PageSink& sink) override {
    int pages = 0;
    Status st = inner().list(r, [&](std::vector<ObjectInfo>& page) -> Status {
      if (pages++ >= pages_ok_) return Status{Errc::transient, "injected listing failure"};
      return sink(page);
    });
    if (st.ok() && pages <= pages_ok_) return Status{Errc::transient, "injected listing failure"};
    return st;
  }

 private:
  int pages_ok_;
};

// Before the n-th read (1-based) of `key`, runs `change` on the inner remote.
class ChangingRemote : public ForwardingRemote {
 public:
  ChangingRemote(Remote& inner, std::string key, int nth, std::function<void(Remote&)> change)
      : ForwardingRemote(inner), key_(std::move(key)), nth_(nth), change_(std::move(change)) {}
  Status read(const ObjectRef& r, const ByteRange& b, const DataSink& s) override {
    if (r.key == key_ && ++reads_ == nth_) change_(inner());
    return inner().read(r, b, s);
  }

 private:
  std::string key_;
  int nth_;
  std::function<void(Remote&)> change_;
  std::atomic<int> reads_{0};
};

}  // namespace cpsync::testing
