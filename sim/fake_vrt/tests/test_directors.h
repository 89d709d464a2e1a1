/* Test-only layered director (see test_directors.c). */
#pragma once
#include "vrt.h"
#ifdef __cplusplus
extern "C" {
#endif
enum { LAYER_OK = 0, LAYER_REF_IN_RESOLVE = 1, LAYER_FREE_IN_RELEASE = 2, LAYER_DESTROY_DROPS = 3,
       LAYER_NORELEASE_REF_IN_RESOLVE = 4 /* no release; resolve keeps a ref, destroy drops it */ };
VCL_BACKEND test_layer_new(VRT_CTX, const char *name, VCL_BACKEND child, int mode);
void test_layer_set_child(VCL_BACKEND d, VCL_BACKEND child);
VCL_BACKEND test_bare_new(VRT_CTX, const char *name);
/* A pool whose list callback takes its lock; grow adds a member holding that lock. */
VCL_BACKEND test_pool_new(VRT_CTX, const char *name);
void test_pool_grow(VRT_CTX, VCL_BACKEND pool, const char *member);
#ifdef __cplusplus
}
#endif
