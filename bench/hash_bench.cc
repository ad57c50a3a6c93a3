// bench/hash_bench.cc — the client-side cost of each checksum cpsync computes, through the
// same code the transfers use (core/crypto: OpenSSL EVP MD5 and SHA-256; core/crc64:
// CRC-64/XZ through ISA-L, CRC-64/NVME by slice-by-8; remotes/part_sums: the one pass of a
// part that feeds the whole-object MD5 and the part's check): CPU seconds per GiB over a
// 64 MiB buffer hashed repeatedly, and, for comparison, the two MD5 passes a part cost
// before (its Content-MD5 and the whole MD5). Usage: cpsync_hash_bench [GiB, default 1].
// Prints one JSON line per case.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/crc64.h"
#include "core/crypto.h"
#include "remotes/part_sums.h"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

// CPU seconds to feed `total` bytes of buf to update().
double measure(const std::vector<char>& buf, uint64_t total,
               const std::function<void(const char*, size_t)>& update) {
  const double t0 = cpu_seconds();
  for (uint64_t done = 0; done < total; done += buf.size()) update(buf.data(), buf.size());
  return cpu_seconds() - t0;
}

}  // namespace

int main(int argc, char** argv) {
  const double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  if (gib <= 0) {
    std::fprintf(stderr, "usage: cpsync_hash_bench [GiB > 0]\n");
    return 2;
  }
  std::vector<char> buf(64u << 20);
  uint32_t seed = 12345;
  for (auto& c : buf) c = static_cast<char>((seed = seed * 1103515245u + 12345u) >> 16);
  const auto total = static_cast<uint64_t>(gib * double(1u << 30));

  cpsync::Digest md5(cpsync::Digest::Algo::md5), sha(cpsync::Digest::Algo::sha256);
  cpsync::Crc64 crc;
  uint64_t nvme = 0, sink = 0;
  cpsync::Digest whole(cpsync::Digest::Algo::md5), whole2(cpsync::Digest::Algo::md5);
  // One part of the buffer's size: the fused pass (sum_part) against two separate MD5s.
  auto one_pass = [&](cpsync::PartCheck check) {
    return [&, check](const char* d, size_t n) {
      const cpsync::PartSums p = cpsync::sum_part(check, d, n, &whole);
      sink += p.crc64.value_or(0) + p.md5.size();
    };
  };
  const struct {
    const char* name;
    std::function<void(const char*, size_t)> update;
  } algos[] = {
      {"md5", [&](const char* d, size_t n) { md5.update(d, n); }},
      {"sha256", [&](const char* d, size_t n) { sha.update(d, n); }},
      {"crc64", [&](const char* d, size_t n) { crc.update(d, n); }},
      {"crc64nvme", [&](const char* d, size_t n) { nvme = cpsync::crc64_nvme_update(nvme, d, n); }},
      {"md5 + crc64nvme in one pass (Azure part)", one_pass(cpsync::PartCheck::crc64_nvme)},
      {"md5 + crc64 in one pass (OSS part)", one_pass(cpsync::PartCheck::crc64_ecma)},
      {"md5 + part md5 in one pass (S3 part)", one_pass(cpsync::PartCheck::md5)},
      {"md5 twice (part Content-MD5, then whole; before)",
       [&](const char* d, size_t n) {
         sink += cpsync::md5_raw(std::string_view(d, n)).size();
         whole2.update(d, n);
       }},
  };
  for (const auto& a : algos) {
    const double s = measure(buf, total, a.update);
    std::printf(
        "{\"case\": \"ceiling: %s per GiB (cpsync's code)\", \"tool\": \"cpsync\", "
        "\"cpu\": %.3f}\n",
        a.name, s / gib);
  }
  // Keep the results observable so nothing is optimised away.
  std::fprintf(stderr, "%zu %zu %llu %llu %llu %zu %zu\n", md5.digest().size(), sha.digest().size(),
               static_cast<unsigned long long>(crc.value()), static_cast<unsigned long long>(nvme),
               static_cast<unsigned long long>(sink), whole.digest().size(),
               whole2.digest().size());
  return 0;
}
