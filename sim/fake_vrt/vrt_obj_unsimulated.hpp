// What a VCL variable vdisim does not simulate answers (vrt_obj_unsimulated.py writes one
// definition a variable, from include/vrt_obj.h): it fails the task (VCL_Error and
// vcl_synth in Varnish) naming the variable, and returns the type's zero, so a vmod that
// goes on is defined.
#pragma once
#include "cache/cache.h"
#include "vcl.h"
#include "vrt_obj.h"

namespace {

template <typename T>
T not_simulated(VRT_CTX, const char *var) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  VRT_fail(ctx, "vdisim: %s is not simulated (vrt_obj.h)", var);
  return T{};
}

void not_simulated_v(VRT_CTX, const char *var) { (void)not_simulated<int>(ctx, var); }

}  // namespace
