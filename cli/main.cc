// cli/main.cc — entry point of the cpsync binary; the commands live in cli/*.cc.
#include "cli/app.h"

int main(int argc, char** argv) {
  return cpsync::cpsync_main(argc, argv);
}
