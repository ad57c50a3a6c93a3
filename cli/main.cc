// cli/main.cc — entry point of the cpsync binary; the commands live in cli/*.cc.
#include <cstdio>

int main() {
  std::puts("cpsync " CPSYNC_VERSION);
  return 0;
}
