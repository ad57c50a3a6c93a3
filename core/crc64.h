// core/crc64.h — the two CRC-64s providers check. crc64_*: as Alibaba OSS computes
// x-oss-hash-crc64ecma: the ECMA-182 polynomial, reflected, init and xorout all ones
// (CRC-64/XZ; "123456789" -> 0x995DC9BBDF1939FA), through ISA-L's crc64_ecma_refl (libisal);
// combination is our own. crc64_nvme_*: as Azure Storage computes x-ms-content-crc64:
// polynomial 0xAD93D23594C93659, reflected, init and xorout all ones (CRC-64/NVME;
// "123456789" -> 0xAE8B14860A799888). ISA-L has it as crc64_rocksoft_refl only from 2.31;
// Debian 12 ships 2.30 (its crc64_jones_refl is another polynomial), so core/crc64_nvme.cc
// folds with PCLMULQDQ itself (slice-by-8 tables where the CPU lacks it).
// Pure functions and a small value type: safe from any thread; a Crc64 object is not shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cpsync {

// Continues `crc` (the finished CRC of the bytes so far; 0 for none) over data.
uint64_t crc64_update(uint64_t crc, const void* data, size_t len);
inline uint64_t crc64(std::string_view s) {
  return crc64_update(0, s.data(), s.size());
}

// The CRC of A followed by B, given crc(A), crc(B) and len(B) (zlib's GF(2) matrix method).
uint64_t crc64_combine(uint64_t crc1, uint64_t crc2, uint64_t len2);

// Decimal, as the x-oss-hash-crc64ecma header carries it; parse returns false on junk.
std::string crc64_to_string(uint64_t crc);
bool crc64_parse(std::string_view s, uint64_t& out);

// CRC-64/NVME, continuing `crc` as crc64_update does.
uint64_t crc64_nvme_update(uint64_t crc, const void* data, size_t len);
inline uint64_t crc64_nvme(std::string_view s) {
  return crc64_nvme_update(0, s.data(), s.size());
}
// x-ms-content-crc64's form: base64 of the 8 bytes, least significant first.
std::string crc64_nvme_header(uint64_t crc);

// Incremental helper.
class Crc64 {
 public:
  void update(const void* data, size_t len) { crc_ = crc64_update(crc_, data, len); }
  void update(std::string_view s) { update(s.data(), s.size()); }
  uint64_t value() const { return crc_; }

 private:
  uint64_t crc_ = 0;
};

}  // namespace cpsync
