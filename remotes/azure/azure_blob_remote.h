// remotes/azure/azure_blob_remote.h — AzureRemote, the Remote implementation for Azure Blob
// Storage (internal to remotes/azure). Its methods live in one file per concern:
// azure_blob_remote.cc (objects, containers, links), azure_listing.cc, azure_upload.cc,
// azure_copy.cc. Immutable after construction: safe to call from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "remotes/azure/azure_client.h"
#include "remotes/azure/azure_options.h"
#include "remotes/remote.h"

namespace cpsync::azure {

inline constexpr uint64_t kMaxBlockSize = 4000ull << 20;  // Put Block
inline constexpr uint64_t kMaxBlocks = 50000;
inline constexpr uint64_t kMaxPutBlob = 5000ull << 20;  // what Put Blob accepts

class AzureRemote final : public Remote {
 public:
  explicit AzureRemote(AzureOptions o);

  const Features& features() const override { return features_; }
  const std::string& name() const override { return client_.options().remote_name; }

  Status list(const ListRequest& req, const PageSink& sink) override;
  Result<ObjectInfo> stat(const ObjectRef& ref) override;
  Status read(const ObjectRef& ref, const ByteRange& range, const DataSink& sink) override;
  Result<ObjectInfo> put(const ObjectRef& ref, const char* data, size_t len,
                         const UploadOptions& opts) override;
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef& ref,
                                               const UploadOptions& opts) override;
  Result<ObjectInfo> copy_server_side(const ObjectRef& src, const ObjectRef& dst,
                                      const ObjectInfo& src_info) override;
  Status remove(const ObjectRef& ref) override;
  Status list_buckets(const PageSink& sink) override;
  Status make_bucket(const std::string& bucket) override;
  Status remove_bucket(const std::string& bucket) override;
  Result<std::string> link(const ObjectRef& ref, std::chrono::seconds expires) override;
  std::string endpoint_id() const override;

  const AzureClient& client() const { return client_; }
  // invalid_argument naming the remote when the container or key is missing.
  Status check_ref(const ObjectRef& ref, bool need_key) const;
  // A URL another request may read `ref` from (Copy Blob source): SAS mode appends the
  // configured token; SharedKey mode a fresh read-only service SAS for `valid` time.
  Result<std::string> readable_url(const ObjectRef& ref, std::chrono::seconds valid) const;

 private:
  AzureClient client_;
  Features features_;
};

}  // namespace cpsync::azure
