/* Test-only crashing director (see crash_director.c). */
#pragma once
#include "vrt.h"
#ifdef __cplusplus
extern "C" {
#endif
VCL_BACKEND crash_director_new(VRT_CTX, const char *name);
void crash_director_add(VCL_BACKEND d, VCL_BACKEND child);
#ifdef __cplusplus
}
#endif
