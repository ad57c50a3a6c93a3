// remotes/s3compat/compat_remote.h — CompatRemote, the part of the Remote interface every
// S3-compatible backend implements alike on its Endpoint: listings, deletes and the unfinished
// uploads. S3Remote and OssRemote derive from it and add what differs (reads, writes, copies,
// links). Thread-safe as far as endpoint() is (the backends' are: an immutable client).
#pragma once

#include <string>
#include <vector>

#include "remotes/remote.h"
#include "remotes/s3compat/dialect.h"
#include "remotes/s3compat/listing.h"

namespace cpsync::s3compat {

class CompatRemote : public Remote {
 public:
  Status list(const ListRequest& req, const PageSink& sink) override;
  Status list_buckets(const PageSink& sink) override;
  Status remove(const ObjectRef& ref) override;
  Status remove_many(const std::string& bucket, const std::vector<std::string>& keys) override;
  Status list_pending_uploads(const std::string& bucket, const std::string& prefix,
                              std::vector<PendingUpload>& out) override;
  Status abort_pending_upload(const std::string& bucket, const PendingUpload& u) override;

  // The remote's client pipeline on its dialect.
  virtual Endpoint endpoint() const = 0;

 protected:
  // The ListObjects version and page size (the backend's options).
  virtual ListSettings list_settings() const { return {}; }
};

}  // namespace cpsync::s3compat
