/* Stand-in round_robin (fallback = 0) and fallback (fallback = 1) directors for the
 * benchmarks when the real directors are not built; see standin_directors.c. */
#pragma once
#include "vrt.h"
#ifdef __cplusplus
extern "C" {
#endif
VCL_BACKEND standin_new(VRT_CTX, const char *name, int fallback);
void standin_add(VCL_BACKEND d, VCL_BACKEND be);
#ifdef __cplusplus
}
#endif
