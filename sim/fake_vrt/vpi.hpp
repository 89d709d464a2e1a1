// struct wrk_vpi: Varnish 8.0.0's per-task VCL state (handling, trace, ref; from its
// vcc_interface.h) followed by vdisim's link back to the Task; and the VSL tag names.
// Private to fake_vrt: ctx->vpi is opaque to VMODs, runtime.cpp makes one per Task.
#pragma once

#include "cache/cache.h"

namespace vdisim::vrt {
class Task;
// VCL_RET_* numbers (vcl.h's values) straight from the return table.
enum VclRet : unsigned {
  kRetNone = 0,
#define VCL_RET_MAC(l, U, B) kRet_##l,
#include "tbl/vcl_returns.h"
#undef VCL_RET_MAC
  kRetMax
};
// The running actor becomes Varnish's CLI thread (cli_thread, IS_CLI(), ASSERT_CLI()).
// Call at the start of every CLI operation (vcl.load/use/state/discard, polls).
void mark_cli_thread();
// "ReqURL" for SLT_ReqURL (tbl/vsl_tags.h); "Tag" for a number with no name.
const char *vsl_tag_name(enum VSL_tag_e tag);
}

struct wrk_vpi {
  unsigned magic;
#define WRK_VPI_MAGIC 0xaa3d3df3
  unsigned handling;  // VCL_RET_* once VRT_handling/VRT_fail ran, else 0
  unsigned trace;
  unsigned ref;
  vdisim::vrt::Task *task;
};
