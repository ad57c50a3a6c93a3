// cli/object_hash.cc — stored and computed object hashes (see object_hash.h).
#include "cli/object_hash.h"

#include "core/crypto.h"
#include "core/encoding.h"

namespace cpsync {

std::optional<HashKind> parse_hash_kind(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "md5") return HashKind::md5;
  if (n == "sha256" || n == "sha-256") return HashKind::sha256;
  return std::nullopt;
}

const char* hash_kind_name(HashKind k) {
  return k == HashKind::md5 ? "md5" : "sha256";
}

int hash_width(HashKind k) {
  return k == HashKind::md5 ? 32 : 64;
}

bool hash_by_reading(const Remote& remote, HashKind k, bool download) {
  return download || k != HashKind::md5 || remote.features().local_reads;
}

std::string stored_hash(const ObjectInfo& info, HashKind k) {
  if (k != HashKind::md5 || !info.md5) return "";
  return *info.md5;
}

Result<std::string> read_hash(Remote& remote, const ObjectRef& ref, uint64_t size, HashKind k) {
  Digest d(k == HashKind::md5 ? Digest::Algo::md5 : Digest::Algo::sha256);
  if (size > 0) {
    ByteRange all;
    all.length = size;
    CPSYNC_RETURN_IF_ERROR(remote.read(ref, all, [&d](const char* data, size_t len) {
      d.update(data, len);
      return Status::OK();
    }));
  }
  return hex_lower(d.digest());
}

}  // namespace cpsync
