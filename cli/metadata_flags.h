// cli/metadata_flags.h — the metadata flags of the commands that write objects (copy,
// sync, move, copyto, rcat), spelled as rclone spells them: --header-upload "Name: value"
// (repeatable; Cache-Control, Content-Disposition, Content-Encoding, Content-Language,
// Content-Type, or a provider's user-metadata header X-Amz-Meta-*, X-Ms-Meta-*,
// X-Oss-Meta-*), --metadata-set k=v (repeatable) and --no-metadata; rclone's -M/--metadata
// is accepted and changes nothing (cpsync carries metadata by default).
// Call while building the command line, on the main thread; `out` must outlive parsing.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "sync/copy_metadata.h"

namespace CLI {
class App;
}

namespace cpsync {

struct MetadataFlags {
  std::vector<std::string> header_upload;
  std::vector<std::string> metadata_set;
  bool no_metadata = false;
  bool metadata = false;  // -M: rclone's opt-in, the default here
};

void add_metadata_flags(CLI::App& cmd, MetadataFlags& out);

// The policy the flags ask for; invalid_argument naming the flag and value when one is
// malformed, names an unsupported header, or sets cpsync's own mtime/md5chksum.
Result<MetadataPolicy> metadata_policy(const MetadataFlags& f);

}  // namespace cpsync
