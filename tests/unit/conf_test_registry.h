// tests/unit/conf_test_registry.h — a registry with each backend's real option schema (read
// from builtin_remotes(), so it cannot drift) but fake factories, so the config layer is
// tested without building any backend (or using the network).
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "remotes/registry.h"
#include "remotes/remote.h"

namespace cpsync::testing {

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
    for (const BackendEntry& e : builtin_remotes().entries())
      reg.add({e.type, e.description, e.options, &make_fake, {}});
    return reg;
  }();
  return r;
}

// The real registry's schemas plus type "needs", whose "account" is required: no backend
// marks a key required (each checks its own combinations), so the loader's generic rule
// is tested on this type.
inline constexpr OptionSpec kNeedsSchema[] = {
    {.key = "account", .help = "a required key", .required = true},
    {.key = "key", .help = "a secret key", .secret = Secret::yes},
};
inline const RemoteRegistry& registry_with_required_key() {
  static const RemoteRegistry r = [] {
    RemoteRegistry reg = fake_registry();
    reg.add({"needs", "a type with a required key", kNeedsSchema, &make_fake, {}});
    return reg;
  }();
  return r;
}

// The real schema of one backend type ("s3").
inline std::span<const OptionSpec> schema_of(std::string_view type) {
  const BackendEntry* e = builtin_remotes().find(type);
  return e ? e->options : std::span<const OptionSpec>{};
}

}  // namespace cpsync::testing
