// simrun_crashtest: simrun with the crashing test director, loaded before main() runs as
// code under test is (runner::dlopen_code_under_test), so a sweep's workers watch its
// static data: the director decides once per process whether it crashes.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "sim/runner/isolate.hpp"

namespace {
const bool loaded = [] {
  if (vdisim::runner::dlopen_code_under_test(VDISIM_CRASH_MODULE, RTLD_NOW | RTLD_LOCAL) == nullptr) {
    std::fprintf(stderr, "simrun_crashtest: %s\n", dlerror());
    std::exit(2);
  }
  return true;
}();
}  // namespace
