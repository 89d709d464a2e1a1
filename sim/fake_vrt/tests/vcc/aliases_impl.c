/* aliases_impl.c -- vcc2if_test.sh compiles these definitions against the
 * header made from aliases.vcc: an $Alias needs no C function of its own. */

#include "cache/cache.h"

#include "vcc_aliases_if.h"

struct vmod_aliases_pool { unsigned magic; };

VCL_INT vmod_count(VRT_CTX, VCL_STRING s)
{ (void)ctx; return (s == NULL ? 0 : 1); }
VCL_VOID vmod_pool__init(VRT_CTX, struct vmod_aliases_pool **pp,
    const char *n)
{ (void)ctx; (void)pp; (void)n; }
VCL_VOID vmod_pool__fini(struct vmod_aliases_pool **pp) { (void)pp; }
VCL_BACKEND vmod_pool_pick(VRT_CTX, struct vmod_aliases_pool *p)
{ (void)ctx; (void)p; return (NULL); }
VCL_INT vmod_pool_size(VRT_CTX, struct vmod_aliases_pool *p)
{ (void)ctx; (void)p; return (0); }
