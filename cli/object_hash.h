// cli/object_hash.h — the hashes md5sum, hashsum and lsf print: the MD5 a remote stores
// (an S3/OSS single-part ETag, the md5chksum metadata of multipart objects, Azure's
// Content-MD5), or a hash computed by reading the object (--download, and always for local
// files, as rclone does). Read hashes stream the object through one Digest: memory is one
// read block. Safe from any thread (each call owns its digest).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "remotes/remote.h"

namespace cpsync {

enum class HashKind { md5, sha256 };

// rclone's names, case-insensitive: "md5" / "MD5", "sha256" / "SHA-256". nullopt otherwise.
std::optional<HashKind> parse_hash_kind(std::string_view name);
// The name rclone prints for it ("md5", "sha256").
const char* hash_kind_name(HashKind k);
// Hex digits of a hash of this kind (32 for MD5): rclone pads empty hashes to this width.
int hash_width(HashKind k);

// True when the hash of an object on remote is obtained by reading it: download was asked
// for, the remote stores no hash of that kind (SHA-256 anywhere), or reads are local.
bool hash_by_reading(const Remote& remote, HashKind k, bool download);

// The stored hash of a listed (or stat'ed) object in lower-case hex; "" when none is stored.
std::string stored_hash(const ObjectInfo& info, HashKind k);

// Reads ref (size bytes, as listed) and returns the hash of its bytes in lower-case hex. An
// empty object is not read.
Result<std::string> read_hash(Remote& remote, const ObjectRef& ref, uint64_t size, HashKind k);

}  // namespace cpsync
