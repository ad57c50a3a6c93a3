// tests/unit/memory_remote.h — a Remote that keeps its buckets in memory, for unit tests of
// the planner and the transfer (no server): listings in pages with delimiters and
// start_after, conditional reads (If-Match on the ETag, the content's MD5), multipart
// uploads that become visible only at commit, server-side copy between two MemoryRemotes
// of one endpoint id. Faults are data: a key whose reads are damaged, puts that fail.
// Thread-safe (one mutex).
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "remotes/remote.h"

namespace cpsync::testing {

class MemoryRemote : public Remote {
 public:
  struct Object {
    std::string data;
    TimePoint mtime{};
    Metadata metadata;
    ContentHeaders content;
  };
  using Bucket = std::map<std::string, Object>;

  explicit MemoryRemote(std::string name, std::string endpoint = "memory")
      : name_(std::move(name)), endpoint_(std::move(endpoint)) {
    features_.server_side_copy = true;
    features_.metadata_in_listing = true;
    features_.etag_is_md5 = true;
    features_.parts = PartPolicy{.min_part = 1, .max_part = 1ull << 30, .max_parts = 10000};
  }

  Features& mutable_features() { return features_; }
  const Features& features() const override { return features_; }
  const std::string& name() const override { return name_; }
  std::string endpoint_id() const override { return endpoint_; }

  // Test set-up and inspection.
  void add(const std::string& bucket, const std::string& key, std::string data,
           TimePoint mtime = TimePoint{}) {
    std::lock_guard lock(mu_);
    buckets_[bucket][key] = Object{std::move(data), mtime, {}, {}};
  }
  Bucket contents(const std::string& bucket) const {
    std::lock_guard lock(mu_);
    auto it = buckets_.find(bucket);
    return it == buckets_.end() ? Bucket{} : it->second;
  }
  // Reads of this key deliver damaged bytes (one flipped) this many times.
  void damage_reads(const std::string& key, int times) {
    std::lock_guard lock(mu_);
    damaged_[key] = times;
  }
  // Every put and commit fails with this status (ok: none fail).
  void fail_writes(Status st) {
    std::lock_guard lock(mu_);
    write_error_ = std::move(st);
  }
  std::atomic<int> puts{0}, parts{0}, commits{0}, aborts{0}, reads{0}, removes{0}, copies{0};

  Status list(const ListRequest& req, const PageSink& sink) override {
    std::vector<ObjectInfo> all;
    {
      std::lock_guard lock(mu_);
      auto b = buckets_.find(req.bucket);
      if (b == buckets_.end()) return Status{Errc::not_found, name_ + ": no bucket " + req.bucket};
      std::string last_dir;
      for (auto it = b->second.upper_bound(req.start_after); it != b->second.end(); ++it) {
        const std::string& key = it->first;
        if (!key.starts_with(req.prefix)) continue;
        if (!req.recursive) {
          const size_t slash = key.find('/', req.prefix.size());
          if (slash != std::string::npos) {
            std::string dir = key.substr(0, slash + 1);
            if (dir != last_dir) {
              ObjectInfo d;
              d.key = dir;
              d.is_dir = true;
              all.push_back(d);
              last_dir = dir;
            }
            continue;
          }
        }
        all.push_back(info_of(key, it->second));
      }
    }
    for (size_t i = 0; i < all.size(); i += page_size) {
      std::vector<ObjectInfo> page(
          all.begin() + static_cast<long>(i),
          all.begin() + static_cast<long>(std::min(all.size(), i + page_size)));
      if (Status st = sink(page); !st.ok()) return st;
    }
    return Status::OK();
  }

  Result<ObjectInfo> stat(const ObjectRef& ref) override {
    std::lock_guard lock(mu_);
    const Object* o = find(ref);
    if (!o) return not_found(ref);
    return info_of(ref.key, *o);
  }

  Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) override {
    ++reads;
    std::string bytes;
    {
      std::lock_guard lock(mu_);
      const Object* o = find(ref);
      if (!o) return not_found(ref);
      if (!range.if_match.empty() && range.if_match != md5_hex(o->data))
        return Status{Errc::conflict, name_ + ": " + ref.key + ": ETag differs (If-Match)"};
      if (range.offset > o->data.size())
        return Status{Errc::invalid_argument, name_ + ": range past the end"};
      bytes = o->data.substr(range.offset, range.length.value_or(std::string::npos));
      if (range.info) *range.info = info_of(ref.key, *o);
      auto d = damaged_.find(ref.key);
      if (d != damaged_.end() && d->second > 0 && !bytes.empty()) {
        --d->second;
        bytes[bytes.size() / 2] ^= 0x20;
      }
    }
    return sink(bytes.data(), bytes.size());
  }

  Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                         const UploadOptions& opts) override {
    ++puts;
    return store(ref, std::string(data, len), opts);
  }

  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                               const UploadOptions& opts) override {
    return std::unique_ptr<Upload>(new MemoryUpload(*this, ref, opts));
  }

  Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                      const ObjectInfo& src_info) override {
    ++copies;
    std::lock_guard lock(mu_);
    const Object* o = find(src);
    if (!o) return not_found(src);
    if (!src_info.etag.empty() && src_info.etag != md5_hex(o->data))
      return Status{Errc::conflict, name_ + ": " + src.key + ": changed since listed"};
    Object copy = *o;
    buckets_[dst.bucket][dst.key] = copy;
    return info_of(dst.key, copy);
  }

  Status remove(const ObjectRef& ref) override {
    ++removes;
    std::lock_guard lock(mu_);
    auto b = buckets_.find(ref.bucket);
    if (b != buckets_.end()) b->second.erase(ref.key);
    return Status::OK();
  }

  Status list_buckets(const PageSink& sink) override {
    std::vector<ObjectInfo> page;
    {
      std::lock_guard lock(mu_);
      for (const auto& [b, _] : buckets_) {
        ObjectInfo i;
        i.key = b;
        i.is_dir = true;
        page.push_back(i);
      }
    }
    return sink(page);
  }
  Status make_bucket(const std::string& bucket) override {
    std::lock_guard lock(mu_);
    buckets_[bucket];
    return Status::OK();
  }
  Status remove_bucket(const std::string& bucket) override {
    std::lock_guard lock(mu_);
    buckets_.erase(bucket);
    return Status::OK();
  }

  size_t page_size = 3;  // small, so listings span pages

 private:
  class MemoryUpload : public Upload {
   public:
    MemoryUpload(MemoryRemote& r, ObjectRef ref, UploadOptions o)
        : r_(r), ref_(std::move(ref)), opts_(std::move(o)) {}
    Status write_part(uint32_t part_number, uint64_t, const char* data, size_t len) override {
      ++r_.parts;
      std::lock_guard lock(mu_);
      parts_[part_number] = std::string(data, len);
      return Status::OK();
    }
    Result<ObjectInfo> commit() override {
      ++r_.commits;
      std::string all;
      for (const auto& [n, bytes] : parts_) all += bytes;
      return r_.store(ref_, std::move(all), opts_);
    }
    Status abort() override {
      ++r_.aborts;
      parts_.clear();
      return Status::OK();
    }

   private:
    MemoryRemote& r_;
    ObjectRef ref_;
    UploadOptions opts_;
    std::mutex mu_;
    std::map<uint32_t, std::string> parts_;
  };

  Result<ObjectInfo> store(const ObjectRef& ref, std::string data, const UploadOptions& opts) {
    std::lock_guard lock(mu_);
    if (!write_error_.ok()) return write_error_;
    Object o{std::move(data), opts.mtime.value_or(TimePoint{}), opts.metadata, opts.content};
    buckets_[ref.bucket][ref.key] = o;
    return info_of(ref.key, o);
  }

  const Object* find(const ObjectRef& ref) const {
    auto b = buckets_.find(ref.bucket);
    if (b == buckets_.end()) return nullptr;
    auto o = b->second.find(ref.key);
    return o == b->second.end() ? nullptr : &o->second;
  }

  Status not_found(const ObjectRef& ref) const {
    Status st{Errc::not_found, name_ + ": " + ref.bucket + "/" + ref.key + ": not found"};
    st.missing = buckets_.count(ref.bucket) ? Missing::object : Missing::bucket;
    return st;
  }

  static std::string md5_hex(const std::string& data) { return hex_lower(md5_raw(data)); }

  ObjectInfo info_of(const std::string& key, const Object& o) const {
    ObjectInfo i;
    i.key = key;
    i.size = o.data.size();
    i.mtime = o.mtime;
    i.etag = md5_hex(o.data);
    i.md5 = i.etag;
    i.metadata = o.metadata;
    i.content = o.content;
    i.metadata_known = true;
    return i;
  }

  Features features_;
  std::string name_, endpoint_;
  mutable std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, int> damaged_;
  Status write_error_;
};

}  // namespace cpsync::testing
