// remotes/remote.cc — default implementations of optional Remote operations.
#include "remotes/remote.h"

namespace cpsync {

Status Remote::remove_many(const std::string& bucket, const std::vector<std::string>& keys) {
  Status first;
  for (const auto& k : keys) {
    Status s = remove(ObjectRef{bucket, k});
    if (!s.ok() && first.ok()) first = s;
  }
  return first;
}

}  // namespace cpsync
