/* enums_impl.c -- vcc2if_test.sh compiles these definitions against the
 * header made from enums.vcc: every ENUM value, quoted or not in the .vcc, is
 * one VENUM(); ENUM arguments and return values are VCL_ENUM. */

#include "cache/cache.h"

#include "vcc_enums_if.h"

struct vmod_enums_chooser { unsigned magic; };

VCL_STRING vmod_pick(VRT_CTX, struct arg_vmod_enums_pick *a)
{
	(void)ctx;
	if (a->valid_third && a->third == VENUM(epsilon))
		return (a->second == VENUM(delta) ? "ed" : "ea");
	return (a->first);
}
VCL_ENUM vmod_which(VRT_CTX)
{ (void)ctx; return (VENUM(Omega) != NULL ? VENUM(zeta) : VENUM(alpha)); }
VCL_VOID vmod_chooser__init(VRT_CTX, struct vmod_enums_chooser **pp,
    const char *n, VCL_ENUM how)
{ (void)ctx; (void)pp; (void)n; (void)(how == VENUM(beta)); }
VCL_VOID vmod_chooser__fini(struct vmod_enums_chooser **pp) { (void)pp; }
VCL_STRING vmod_chooser_choose(VRT_CTX, struct vmod_enums_chooser *c,
    VCL_ENUM by)
{ (void)ctx; (void)c; return (by == VENUM(gamma) ? by : VENUM(delta)); }
