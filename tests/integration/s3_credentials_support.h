// tests/integration/s3_credentials_support.h — helpers for the S3 credential tests
// ([s3creds]: Ceph RGW with STS, and the credentials endpoint tests/peers/imds): a scoped
// environment that hides the developer's own AWS setup, remotes without keys, the
// endpoint's control calls, and radosgw-admin. Test-thread only (setenv is process-wide).
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/http.h"
#include "remotes/s3/remote_impl.h"
#include "tests/e2e/cli_objects_harness.h"
#include "tests/integration/s3_peer.h"

namespace cpsync::testing {

// Sets and unsets variables for one scope, restoring the old values after. It starts by
// hiding every variable the AWS chain reads, points HOME at an empty directory and turns
// instance metadata off, so a test sees only what it sets.
class ScopedAwsEnv {
 public:
  ScopedAwsEnv() {
    for (const char* v :
         {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
          "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_REGION", "AWS_DEFAULT_REGION",
          "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
          "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
          "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_V1_DISABLED", "AWS_ENDPOINT_URL",
          "AWS_ENDPOINT_URL_STS"})
      unset(v);
    set("HOME", home_.path());
    set("AWS_EC2_METADATA_DISABLED", "true");
    // STS is RGW's second gateway, the one with STS on.
    set("AWS_ENDPOINT_URL_STS", peer_env("ceph")["S3_STS_ENDPOINT"]);
  }
  ~ScopedAwsEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
  }
  void set(const std::string& k, const std::string& v) {
    save(k);
    ::setenv(k.c_str(), v.c_str(), 1);
  }
  void unset(const std::string& k) {
    save(k);
    ::unsetenv(k.c_str());
  }
  const TempDir& home() const { return home_; }

 private:
  void save(const std::string& k) {
    const char* v = std::getenv(k.c_str());
    saved_.emplace_back(k, v ? std::optional<std::string>(v) : std::nullopt);
  }
  TempDir home_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A remote without keys on the STS gateway (which accepts session tokens): env_auth = true
// plus the given keys.
inline ConfigSection chain_section(const std::map<std::string, std::string>& extra = {}) {
  ConfigSection s = ceph_section({{"env_auth", "true"},
                                  {"force_path_style", "true"},
                                  {"endpoint", peer_env("ceph")["S3_STS_ENDPOINT"]}});
  s.name = "rgw";
  s.values.erase("access_key_id");
  s.values.erase("secret_access_key");
  for (const auto& [k, v] : extra) s.values[k] = v;
  return s;
}

inline std::unique_ptr<Remote> chain_remote(const std::map<std::string, std::string>& extra = {}) {
  auto r = make_s3_remote(chain_section(extra));
  INFO(r.status().message);
  REQUIRE(r.ok());
  return std::move(r).value();
}

inline s3::CredentialCache& creds_of(Remote& r) {
  auto* c = static_cast<s3::S3Remote&>(r).client().credentials();
  REQUIRE(c != nullptr);
  return *c;
}

// Bucket create, put, get, list, delete with the remote's credentials; the Status of the
// first failure (RGW checks the signature, and the session token, of each request).
inline Status round_trip(Remote& r) {
  const std::string bucket = "cpsync-creds-" + random_suffix();
  CPSYNC_RETURN_IF_ERROR(r.make_bucket(bucket));
  const std::string data = test_bytes(1000, 7);
  auto put = r.put({bucket, "k"}, data.data(), data.size(), {});
  if (!put.ok()) return put.status();
  std::string got;
  CPSYNC_RETURN_IF_ERROR(r.read({bucket, "k"}, {}, [&](const char* d, size_t n) {
    got.append(d, n);
    return Status::OK();
  }));
  if (got != data) return Status{Errc::corrupt, "read back different bytes"};
  CPSYNC_RETURN_IF_ERROR(r.remove({bucket, "k"}));
  return r.remove_bucket(bucket);
}

// The credentials endpoint (tests/peers/imds): its control call and request counters.
inline void imds_control(const nlohmann::json& j) {
  const std::string body = j.dump();
  HttpRequest req;
  req.method = "POST";
  req.url = peer_env("imds")["IMDS_ENDPOINT"] + "/__control";
  req.body_data = body.data();
  req.body_size = body.size();
  req.headers = {{"content-type", "application/json"}};
  auto r = http_client().send(req);
  REQUIRE(r.ok());
  REQUIRE(r->status == 204);
}
inline nlohmann::json imds_stats() {
  HttpRequest req;
  req.url = peer_env("imds")["IMDS_ENDPOINT"] + "/__control/stats";
  auto r = http_client().send(req);
  REQUIRE(r.ok());
  return nlohmann::json::parse(r->body);
}
// Back to STS credentials, fresh counters, no fixed expiry, no web identity token allowed.
inline void imds_reset() {
  imds_control(
      {{"mode", "sts"}, {"resetStats", true}, {"expiration", nullptr}, {"durationSeconds", 3600}});
}

// radosgw-admin against the Ceph peer; its exit status.
inline int radosgw_admin(const std::string& args) {
  const std::string cmd = "CEPH_CONF='" + peer_env("ceph")["CEPH_CONF"] +
                          "' timeout 60 radosgw-admin " + args + " >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

}  // namespace cpsync::testing
