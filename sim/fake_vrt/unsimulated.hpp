// The one way a declared but unmodelled call ends (unsimulated.cpp, unsimulated_vapi.cpp):
// with a ctx the task fails (VRT_fail "vdisim: <fn> is not simulated"); without one the
// run fails like a failed assert (rule UNSIMULATED), or the process aborts outside a run.
// Never a made-up answer. Internal to fake_vrt.
#pragma once

#include "cache/cache.h"

namespace vdisim::vrt {

[[noreturn]] void refuse_unsimulated(const char *fn);

}  // namespace vdisim::vrt

#define VDISIM_REFUSE() ::vdisim::vrt::refuse_unsimulated(__func__)
#define VDISIM_FAIL_TASK(ctx)                                        \
  do {                                                               \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                           \
    VRT_fail(ctx, "vdisim: %s is not simulated", __func__);          \
  } while (0)
