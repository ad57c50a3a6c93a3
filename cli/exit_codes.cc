// cli/exit_codes.cc — Errc -> process exit code (see exit_codes.h).
#include "cli/exit_codes.h"

#include <string_view>

namespace cpsync {

int exit_code_for(Errc e) {
  switch (e) {
    case Errc::ok:
      return kExitOk;
    case Errc::invalid_argument:
      return kExitUsage;
    case Errc::not_found:
      return kExitDirNotFound;
    case Errc::access_denied:
      return kExitFatal;
    case Errc::throttled:
    case Errc::transient:
      return kExitTemporary;
    case Errc::not_supported:
    case Errc::conflict:
    case Errc::corrupt:
    case Errc::permanent:
    case Errc::cancelled:
      return kExitError;
  }
  return kExitError;
}

int exit_code_for(const Status& s) {
  if (s.code == Errc::not_found && s.missing == Missing::object) return kExitFileNotFound;
  return exit_code_for(s.code);
}

}  // namespace cpsync
