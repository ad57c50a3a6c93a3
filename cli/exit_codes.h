// cli/exit_codes.h — the process exit codes of cpsync (rclone's set, documented in
// docs/usage.md) and the one mapping from Errc to them. Constants and pure functions.
#pragma once

#include "core/status.h"

namespace cpsync {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 1,               // syntax or usage error: bad flag, argument or remote spec
  kExitCheckDiffers = 1,        // check found differences (rclone's code for them)
  kExitError = 2,               // error not otherwise categorised
  kExitDirNotFound = 3,         // directory, bucket or container not found
  kExitFileNotFound = 4,        // file or object not found
  kExitTemporary = 5,           // temporary error (throttled, 5xx) that retries did not fix
  kExitLessSerious = 6,         // less serious errors: some transfers failed
  kExitFatal = 7,               // fatal: bad config, credentials, access denied
  kExitTransferLimit = 8,       // --max-transfer reached
  kExitNoFilesTransferred = 9,  // nothing transferred, with --error-on-no-transfer
};

int exit_code_for(Errc e);
// As above, but not_found is split by Status::missing: a missing object gives
// kExitFileNotFound, everything else kExitDirNotFound.
int exit_code_for(const Status& s);

}  // namespace cpsync
