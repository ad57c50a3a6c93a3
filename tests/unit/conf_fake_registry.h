// tests/unit/conf_fake_registry.h — a registry with the real key names of each backend type
// but fake factories, so the config layer is tested without any backend (or network).
#pragma once

#include <memory>

#include "remotes/registry.h"
#include "remotes/remote.h"

namespace cpsync::testing {

inline constexpr OptionSpec kFakeS3[] = {
    {"provider", "provider", "", Secret::no},
    {"access_key_id", "key id", "", Secret::no},
    {"secret_access_key", "secret", "", Secret::yes},
    {"session_token", "token", "", Secret::yes},
    {"region", "region", "us-east-1", Secret::no},
    {"endpoint", "endpoint", "", Secret::no},
    {"force_path_style", "path style", "false", Secret::no},
    {"env_auth", "env", "false", Secret::no},
    {"chunk_size", "part size", "16M", Secret::no},
};
inline constexpr OptionSpec kFakeAzure[] = {
    {"account", "account", "", Secret::no, true},
    {"key", "key", "", Secret::yes},
    {"sas_url", "sas", "", Secret::yes},
    {"endpoint", "endpoint", "", Secret::no},
    {"use_emulator", "emulator", "false", Secret::no},
};
// Deliberately marks nothing secret: redaction must still hide credential-like names.
inline constexpr OptionSpec kFakeOss[] = {
    {"access_key_id", "id", "", Secret::no},
    {"endpoint", "endpoint", "", Secret::no},
};

// A remote that only knows its name; enough for resolve tests.
class FakeRemote : public Remote {
 public:
  explicit FakeRemote(const ConfigSection& s) : name_(s.name), section_(s) {}
  const Features& features() const override { return features_; }
  const std::string& name() const override { return name_; }
  Status list(const ListRequest&, const PageSink&) override { return unsupported(); }
  Result<ObjectInfo> stat(const ObjectRef&) override { return unsupported(); }
  Status read(const ObjectRef&, const ByteRange&, const DataSink&) override {
    return unsupported();
  }
  Result<ObjectInfo> put(const ObjectRef&, const char*, size_t, const UploadOptions&) override {
    return unsupported();
  }
  Result<std::unique_ptr<Upload>> begin_upload(const ObjectRef&, const UploadOptions&) override {
    return unsupported();
  }
  Status remove(const ObjectRef&) override { return unsupported(); }
  Status list_buckets(const PageSink&) override { return unsupported(); }
  Status make_bucket(const std::string&) override { return unsupported(); }
  Status remove_bucket(const std::string&) override { return unsupported(); }
  const ConfigSection& section() const { return section_; }

 private:
  Status unsupported() const { return Status{Errc::not_supported, "fake"}; }
  std::string name_;
  ConfigSection section_;
  Features features_;
};

inline Result<std::unique_ptr<Remote>> make_fake(const ConfigSection& s) {
  return std::unique_ptr<Remote>(std::make_unique<FakeRemote>(s));
}

inline const RemoteRegistry& fake_registry() {
  static const RemoteRegistry r = [] {
    RemoteRegistry reg;
    reg.add({"s3", "S3", kFakeS3, &make_fake});
    reg.add({"azureblob", "Azure", kFakeAzure, &make_fake});
    reg.add({"oss", "OSS", kFakeOss, &make_fake});
    reg.add({"local", "Local", {}, &make_fake});
    return reg;
  }();
  return r;
}

}  // namespace cpsync::testing
