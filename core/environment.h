// core/environment.h — reading the process environment: a variable's value, "" when unset.
// The credential providers read their documented variables through it. std::getenv; safe
// from any thread as long as nothing sets variables meanwhile.
#pragma once

#include <cstdlib>
#include <string>

namespace cpsync {

inline std::string env_value(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace cpsync
