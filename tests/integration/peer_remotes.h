// tests/integration/peer_remotes.h — a Remote for each running test peer ("s3" on Ceph RGW,
// "azure" on Azurite, "azure2" on Azurite's second account, "oss" on the OSS test server) or
// "local", built through the real factories from the fixtures' env files, with a fresh bucket (or
// temp dir) that is emptied and removed when the PeerBucket goes away.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "remotes/azure/azure_remote.h"
#include "remotes/local/local_remote.h"
#include "remotes/oss/oss_remote.h"
#include "remotes/s3/s3_remote.h"
#include "sync/engine.h"
#include "tests/integration/contract.h"
#include "tests/integration/peer_env.h"

namespace cpsync::testing {

inline ConfigSection peer_section(const std::string& kind) {
  ConfigSection s;
  s.name = kind;
  s.origin = "test";
  if (kind == "s3") {
    auto env = peer_env("ceph");
    s.type = "s3";
    s.values = {{"provider", "Ceph"},
                {"endpoint", env["S3_ENDPOINT"]},
                {"access_key_id", env["S3_ACCESS_KEY_ID"]},
                {"secret_access_key", env["S3_SECRET_ACCESS_KEY"]},
                {"region", env["S3_REGION"]},
                {"force_path_style", "true"}};
  } else if (kind == "azure") {
    auto env = peer_env("azurite");
    s.type = "azureblob";
    s.values = {{"account", env["AZURE_ACCOUNT"]},
                {"key", env["AZURE_KEY"]},
                {"endpoint", env["AZURE_ENDPOINT"]}};
  } else if (kind == "azure2") {  // the emulator's second account (copies across accounts)
    auto env = peer_env("azurite");
    s.type = "azureblob";
    s.values = {{"account", env["AZURE_ACCOUNT2"]},
                {"key", env["AZURE_KEY2"]},
                {"endpoint", env["AZURE_ENDPOINT2"]}};
  } else if (kind == "oss") {
    auto env = peer_env("oss");
    s.type = "oss";
    s.values = {{"endpoint", env["OSS_ENDPOINT"]},
                {"access_key_id", env["OSS_ACCESS_KEY_ID"]},
                {"access_key_secret", env["OSS_ACCESS_KEY_SECRET"]},
                {"region", env["OSS_REGION"]}};
  } else {
    s.type = "local";
  }
  return s;
}

// The remote a section describes, through the real factory of its type.
inline std::unique_ptr<Remote> make_remote_from(const ConfigSection& s) {
  Result<std::unique_ptr<Remote>> r = s.type == "s3"          ? make_s3_remote(s)
                                      : s.type == "azureblob" ? make_azure_remote(s)
                                      : s.type == "oss"       ? make_oss_remote(s)
                                                              : make_local_remote(s);
  INFO(s.name << ": " << r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline std::unique_ptr<Remote> make_peer_remote(const std::string& kind) {
  return make_remote_from(peer_section(kind));
}

// A remote plus a fresh place in it: a new bucket, or a temp directory for local.
struct PeerBucket {
  std::string kind;
  std::unique_ptr<Remote> remote;
  std::string bucket;
  std::string prefix;  // "" in a bucket; "<temp dir>/" for local
  explicit PeerBucket(const std::string& k) : kind(k), remote(make_peer_remote(k)) {
    if (kind == "local") {
      auto dir = std::filesystem::temp_directory_path() / unique_bucket_name();
      std::filesystem::create_directories(dir);
      prefix = dir.string() + "/";
    } else {
      bucket = unique_bucket_name();
      Status st = remote->make_bucket(bucket);
      INFO(st.to_string());
      REQUIRE(st.ok());
    }
  }
  ~PeerBucket() {
    if (kind == "local") {
      std::error_code ec;
      std::filesystem::remove_all(prefix, ec);
    } else {
      (void)empty_prefix(*remote, bucket, "");
      (void)remote->remove_bucket(bucket);
    }
  }
  SyncEndpoint endpoint(const std::string& dir) {
    return SyncEndpoint{remote.get(), bucket, prefix + dir, kind + ":" + bucket + "/" + dir};
  }
};

}  // namespace cpsync::testing
