// tests/integration/rclone_env.h — Debian's rclone 1.60 as an independent reader and
// writer in tests: rclone remotes "ceph" (S3, provider Ceph, path style) and "az" (Azurite
// with its built-in key) pointed at the running peers through RCLONE_CONFIG_* variables,
// and a shell runner that captures stdout. rclone must be installed (scripts/install-deps).
// Test-thread only (it sets environment variables).
#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/integration/peer_env.h"

namespace cpsync::testing {

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline void configure_rclone() {
  auto ceph = peer_env("ceph");
  auto az = peer_env("azurite");
  const std::string none =
      (std::filesystem::temp_directory_path() / "cpsync-rclone-none.conf").string();
  ::setenv("RCLONE_CONFIG", none.c_str(), 1);
  ::setenv("RCLONE_CONFIG_CEPH_TYPE", "s3", 1);
  ::setenv("RCLONE_CONFIG_CEPH_PROVIDER", "Ceph", 1);
  ::setenv("RCLONE_CONFIG_CEPH_ENDPOINT", ceph["S3_ENDPOINT"].c_str(), 1);
  ::setenv("RCLONE_CONFIG_CEPH_ACCESS_KEY_ID", ceph["S3_ACCESS_KEY_ID"].c_str(), 1);
  ::setenv("RCLONE_CONFIG_CEPH_SECRET_ACCESS_KEY", ceph["S3_SECRET_ACCESS_KEY"].c_str(), 1);
  ::setenv("RCLONE_CONFIG_CEPH_REGION", ceph["S3_REGION"].c_str(), 1);
  ::setenv("RCLONE_CONFIG_CEPH_FORCE_PATH_STYLE", "true", 1);
  ::setenv("RCLONE_CONFIG_AZ_TYPE", "azureblob", 1);
  ::setenv("RCLONE_CONFIG_AZ_USE_EMULATOR", "true", 1);
  ::setenv("RCLONE_CONFIG_AZ_ENDPOINT", az["AZURE_ENDPOINT"].c_str(), 1);
}

// Runs a shell command; its stdout, and its exit status in *code.
inline std::string shell_output(const std::string& cmd, int* code) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int st = ::pclose(p);
  *code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
  return out;
}

}  // namespace cpsync::testing
