// tests/unit/part_sums_test.cc — sum_part gives, in its one pass, the same whole-object MD5
// and part checks as separate passes would; the part_checksum option's values and errors.
#include <catch2/catch.hpp>

#include <string>

#include "core/crc64.h"
#include "core/crypto.h"
#include "remotes/part_sums.h"

using namespace cpsync;

namespace {
std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16);
  return s;
}
constexpr OptionSpec kPartChecksum[] = {
    {.key = "part_checksum", .type = OptionType::text, .default_value = "auto"}};

// part_checksum_option on a section whose part_checksum is value (absent when empty).
Result<PartCheck> option(const std::string& value, PartCheck cheapest, PartCheck crc) {
  ConfigSection s;
  s.name = "r";
  s.type = "azureblob";
  s.origin = "test.conf";
  if (!value.empty()) s.values["part_checksum"] = value;
  CPSYNC_ASSIGN_OR_RETURN(OptionReader r, OptionReader::open(s, kPartChecksum, "azureblob"));
  return part_checksum_option(r, cheapest, crc);
}
}  // namespace

TEST_CASE("sum_part: one pass equals separate passes", "[part_sums]") {
  // Sizes around the 64 KiB slice, and parts fed to one whole MD5 in order.
  const std::string data = pattern(3 * 65536 + 4097, 1);
  const std::string_view v(data);
  for (size_t cut : {0u, 1u, 65535u, 65536u, 65537u, 131072u + 5u}) {
    INFO("cut " << cut);
    const std::string_view a = v.substr(0, cut), b = v.substr(cut);
    for (PartCheck check :
         {PartCheck::none, PartCheck::md5, PartCheck::crc64_nvme, PartCheck::crc64_ecma}) {
      Digest whole(Digest::Algo::md5);
      const PartSums sa = sum_part(check, a.data(), a.size(), &whole);
      const PartSums sb = sum_part(check, b.data(), b.size(), &whole);
      CHECK(whole.digest() == md5_raw(data));
      if (check == PartCheck::md5) {
        CHECK(sa.md5 == md5_raw(a));
        CHECK(sb.md5 == md5_raw(b));
      } else {
        CHECK(sa.md5.empty());
      }
      if (check == PartCheck::crc64_nvme) {
        CHECK(sa.crc64 == crc64_nvme(a));
        CHECK(sb.crc64 == crc64_nvme(b));
      } else if (check == PartCheck::crc64_ecma) {
        CHECK(sa.crc64 == crc64(a));
        CHECK(sb.crc64 == crc64(b));
      } else {
        CHECK_FALSE(sa.crc64.has_value());
      }
    }
  }
  // Without a whole MD5 to feed, only the part check.
  CHECK(sum_part(PartCheck::crc64_nvme, data.data(), data.size(), nullptr).crc64 ==
        crc64_nvme(data));
}

TEST_CASE("part_checksum option", "[part_sums][config]") {
  const auto nvme = PartCheck::crc64_nvme;
  CHECK(*option("", nvme, nvme) == nvme);  // auto by default
  CHECK(*option("auto", PartCheck::md5, PartCheck::none) == PartCheck::md5);
  CHECK(*option("crc", nvme, nvme) == nvme);
  CHECK(*option("md5", nvme, nvme) == PartCheck::md5);
  CHECK(*option("none", nvme, nvme) == PartCheck::none);
  auto bad = option("sha1", nvme, nvme);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code == Errc::invalid_argument);
  CHECK(bad.status().message.find("part_checksum must be auto, crc, md5 or none") !=
        std::string::npos);
  auto no_crc = option("crc", PartCheck::md5, PartCheck::none);
  REQUIRE_FALSE(no_crc.ok());
  CHECK(no_crc.status().message.find("no CRC is verified") != std::string::npos);
}
