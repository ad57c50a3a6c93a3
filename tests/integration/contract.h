// tests/integration/contract.h — the one conformance suite every remote must pass (local,
// S3 on Ceph RGW, Azure on Azurite, OSS on the OSS test server). A test builds a
// RemoteFixture (the remote, a fresh empty bucket or directory, its quirks) and calls
// run_remote_conformance(). Single-threaded use from one Catch2 test case.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "remotes/remote.h"

namespace cpsync::testing {

struct Quirks {
  bool keys_are_paths = false;  // local: "//", "." and ".." keys are invalid_argument
  bool user_metadata = true;    // arbitrary metadata round-trips (local keeps only mtime)
  size_t max_key_bytes = 1024;  // the long key's length (local: a 255-byte file name)
  uint64_t part_size = 0;       // 0: max(features().parts.min_part, 1 MiB)
};

class RemoteFixture {
 public:
  virtual ~RemoteFixture() = default;
  virtual Remote& remote() = 0;
  // The bucket every key of the suite lives in ("" for local).
  virtual const std::string& bucket() const = 0;
  // Prepended to every key: "" in a fresh bucket, "<temp dir>/" for local.
  virtual const std::string& key_prefix() const = 0;
  virtual Quirks quirks() const = 0;
  // The same remote with a wrong secret (cloud remotes), or nullptr.
  virtual std::unique_ptr<Remote> remote_with_bad_secret() { return nullptr; }
};

// A fixture for bucketed remotes: creates a uniquely named bucket now, and on destruction
// removes every object in it and the bucket.
class BucketFixture : public RemoteFixture {
 public:
  // bad may be null. Fails the current test if the bucket cannot be made.
  BucketFixture(std::unique_ptr<Remote> remote, std::unique_ptr<Remote> bad, Quirks q = {});
  ~BucketFixture() override;
  Remote& remote() override { return *remote_; }
  const std::string& bucket() const override { return bucket_; }
  const std::string& key_prefix() const override { return prefix_; }
  Quirks quirks() const override { return quirks_; }
  std::unique_ptr<Remote> remote_with_bad_secret() override { return std::move(bad_); }

 private:
  std::unique_ptr<Remote> remote_, bad_;
  Quirks quirks_;
  std::string bucket_, prefix_;
};

// "cpsync-ct-<12 hex>": valid as an S3 bucket, Azure container and OSS bucket name.
std::string unique_bucket_name();

// Removes every object under prefix in bucket (recursive listing, then remove_many).
Status empty_prefix(Remote& r, const std::string& bucket, const std::string& prefix);

void run_remote_conformance(RemoteFixture& f);

}  // namespace cpsync::testing
