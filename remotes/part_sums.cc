// remotes/part_sums.cc — sum_part: slices of 64 KiB (half a typical L2), each hashed by the
// whole-object MD5 and by the part's check while it is in cache; the part_checksum option.
#include "remotes/part_sums.h"

#include <algorithm>

#include "core/crc64.h"

namespace cpsync {

PartSums sum_part(PartCheck check, const char* data, size_t len, Digest* whole) {
  constexpr size_t kSlice = 64 * 1024;
  PartSums sums;
  std::optional<Digest> part_md5;
  if (check == PartCheck::md5) part_md5.emplace(Digest::Algo::md5);
  uint64_t crc = 0;
  for (size_t pos = 0; pos < len; pos += kSlice) {
    const char* p = data + pos;
    const size_t n = std::min(kSlice, len - pos);
    if (whole) whole->update(p, n);
    switch (check) {
      case PartCheck::md5:
        part_md5->update(p, n);
        break;
      case PartCheck::crc64_nvme:
        crc = crc64_nvme_update(crc, p, n);
        break;
      case PartCheck::crc64_ecma:
        crc = crc64_update(crc, p, n);
        break;
      case PartCheck::none:
        break;
    }
  }
  if (part_md5) sums.md5 = part_md5->digest();
  if (check == PartCheck::crc64_nvme || check == PartCheck::crc64_ecma) sums.crc64 = crc;
  return sums;
}

Result<PartCheck> part_checksum_option(const OptionReader& s, PartCheck cheapest, PartCheck crc) {
  const std::string v = s.text("part_checksum");
  if (v == "auto") return cheapest;
  if (v == "md5") return PartCheck::md5;
  if (v == "none") return PartCheck::none;
  if (v == "crc") {
    if (crc == PartCheck::none)
      return s.error("part_checksum",
                     "part_checksum = crc: no CRC is verified on this provider's parts; use md5 "
                     "or none");
    return crc;
  }
  return s.error("part_checksum", "part_checksum must be auto, crc, md5 or none, not '" + v + "'");
}

}  // namespace cpsync
