// tests/unit/upload_sizes_test.cc — sync/upload_sizes.h: the flags over the destination
// remote's chunk_size / upload_cutoff keys over 16 MiB, the block size of server-side copies
// by URL, and the flags' one-line errors.
#include <catch2/catch.hpp>

#include "sync/upload_sizes.h"

using namespace cpsync;

namespace {

constexpr uint64_t kMi = uint64_t{1} << 20;

Features with_keys(uint64_t chunk, uint64_t cutoff) {
  Features f;
  f.chunk_size = chunk;
  f.upload_cutoff = cutoff;
  return f;
}

UploadSizes sizes(const char* chunk_flag, const char* cutoff_flag, const Features& f) {
  auto flags = parse_upload_size_flags(chunk_flag, cutoff_flag);
  REQUIRE(flags.ok());
  return upload_sizes(*flags, f);
}

}  // namespace

TEST_CASE("upload sizes: flags, then the remote's keys, then 16 MiB", "[sizes]") {
  const Features s3 = with_keys(5 * kMi, 200 * kMi), oss = with_keys(16 * kMi, 0), local;
  UploadSizes u = sizes("", "", s3);
  CHECK(u.chunk_size == 5 * kMi);
  CHECK(u.upload_cutoff == 200 * kMi);
  u = sizes("", "", oss);  // no cutoff key: the part size
  CHECK(u.chunk_size == 16 * kMi);
  CHECK(u.upload_cutoff == 16 * kMi);
  u = sizes("", "", local);
  CHECK(u.chunk_size == 16 * kMi);
  CHECK(u.upload_cutoff == 16 * kMi);
  u = sizes("64Mi", "", s3);  // --chunk-size alone sets both
  CHECK(u.chunk_size == 64 * kMi);
  CHECK(u.upload_cutoff == 64 * kMi);
  u = sizes("1024", "", s3);  // a bare number is KiB
  CHECK(u.chunk_size == kMi);
  u = sizes("", "1Gi", s3);  // --upload-cutoff alone keeps the key's part size
  CHECK(u.chunk_size == 5 * kMi);
  CHECK(u.upload_cutoff == 1024 * kMi);
  u = sizes("8Mi", "0", s3);  // every object in parts
  CHECK(u.chunk_size == 8 * kMi);
  CHECK(u.upload_cutoff == 0);
}

TEST_CASE("server-side blocks: --chunk-size, else the part size but at least 16 MiB", "[sizes]") {
  const Features azure = with_keys(4 * kMi, 256 * kMi), big = with_keys(64 * kMi, 0);
  CHECK(sizes("", "", azure).server_side_block == 16 * kMi);  // 4 MiB parts: 16 MiB blocks
  CHECK(sizes("", "", azure).chunk_size == 4 * kMi);          // uploads keep their parts
  CHECK(sizes("", "", big).server_side_block == 64 * kMi);
  CHECK(sizes("", "", Features{}).server_side_block == 16 * kMi);
  CHECK(sizes("", "4Mi", azure).server_side_block == 16 * kMi);  // the cutoff is not a size
  CHECK(sizes("4Mi", "", azure).server_side_block == 4 * kMi);   // the flag is the user's word
  CHECK(sizes("100Mi", "", azure).server_side_block == 100 * kMi);
}

TEST_CASE("upload size flags: bad values are one line naming the flag", "[sizes]") {
  auto bad = [](const char* chunk, const char* cutoff) {
    auto r = parse_upload_size_flags(chunk, cutoff);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code == Errc::invalid_argument);
    CHECK(r.status().message.find('\n') == std::string::npos);
    return r.status().message;
  };
  CHECK_THAT(bad("lots", ""), Catch::StartsWith("--chunk-size: bad size \"lots\" (use "));
  CHECK(bad("0", "") == "--chunk-size must be more than 0");
  CHECK_THAT(bad("", "16MB"), Catch::StartsWith("--upload-cutoff: bad size \"16MB\""));
}
