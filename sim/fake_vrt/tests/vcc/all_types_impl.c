/* all_types_impl.c -- vcc2if_test.sh compiles these definitions against the
 * header made from all_types.vcc: a prototype, VARGS member or name that differs
 * from what vmodtool declares for the same .vcc fails the build. */

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_types_if.h"

struct tp_types_holder { unsigned magic; };
struct tp_types_plain { unsigned magic; };

int tp_on_load(VRT_CTX, struct vmod_priv *p, enum vcl_event_e e)
{ (void)ctx; (void)p; (void)e; return (0); }

/* One function per VCL type: same type in and out. */
#define SAME(name, T) T tp_t_##name(VRT_CTX, T x) { (void)ctx; return (x); }
SAME(acl, VCL_ACL)
SAME(backend, VCL_BACKEND)
SAME(blob, VCL_BLOB)
SAME(body, VCL_BODY)
SAME(bool, VCL_BOOL)
SAME(bytes, VCL_BYTES)
SAME(duration, VCL_DURATION)
SAME(header, VCL_HEADER)
SAME(http, VCL_HTTP)
SAME(int, VCL_INT)
SAME(ip, VCL_IP)
SAME(probe, VCL_PROBE)
SAME(real, VCL_REAL)
SAME(regex, VCL_REGEX)
SAME(stevedore, VCL_STEVEDORE)
SAME(strands, VCL_STRANDS)
SAME(string, VCL_STRING)
SAME(sub, VCL_SUB)
SAME(time, VCL_TIME)
#undef SAME

VCL_ENUM tp_t_enum(VRT_CTX, VCL_ENUM e)
{ (void)ctx; return (e == VENUM(left) ? VENUM(up) : VENUM(down)); }
VCL_VOID tp_t_void(VRT_CTX) { (void)ctx; }
VCL_VOID tp_privs(VRT_CTX, struct vmod_priv *call, struct vmod_priv *vcl,
    struct vmod_priv *task, struct vmod_priv *top)
{ (void)ctx; (void)call; (void)vcl; (void)task; (void)top; }

VCL_INT tp_named(VRT_CTX, struct arg_tp_types_named *a)
{
	(void)ctx;
	/* valid_ flags come first, then every argument; argN is the Nth. */
	return (a->valid_boolean + a->valid_r + a->valid_d + a->arg1 +
	    (a->s != NULL) + a->boolean + (VCL_INT)a->r + (VCL_INT)a->d +
	    (a->arg6 != NULL));
}

VCL_VOID tp_holder__init(VRT_CTX, struct tp_types_holder **pp,
    const char *vcl_name, struct arg_tp_types_holder__init *a)
{ (void)ctx; (void)pp; (void)vcl_name; (void)a->valid_name; (void)a->arg1;
  (void)a->name; (void)(a->mode == VENUM(one) || a->mode == VENUM(two)); }
VCL_VOID tp_holder__fini(struct tp_types_holder **pp) { (void)pp; }
VCL_VOID tp_holder_set(VRT_CTX, struct tp_types_holder *h,
    struct vmod_priv *task, VCL_STRANDS s)
{ (void)ctx; (void)h; (void)task; (void)s; }
VCL_STRING tp_holder_get(VRT_CTX, struct tp_types_holder *h,
    struct arg_tp_types_holder_get *a)
{ (void)ctx; (void)h; (void)a->valid_key; (void)a->valid_dflt; (void)a->dflt;
  return (a->key); }
VCL_SUB tp_holder_sub(VRT_CTX, struct tp_types_holder *h)
{ (void)ctx; (void)h; return (NULL); }

VCL_VOID tp_plain__init(VRT_CTX, struct tp_types_plain **pp, const char *n)
{ (void)ctx; (void)pp; (void)n; }
VCL_VOID tp_plain__fini(struct tp_types_plain **pp) { (void)pp; }
VCL_TIME tp_plain_now(VRT_CTX, struct tp_types_plain *p)
{ (void)ctx; (void)p; return (0.0); }
