/* C functions the vmod_ffi tests call through CCall, shaped as vmodtool declares a
 * vmod's: leading ctx/object arguments, then the .vcc's, or one struct VARGS(...) when
 * some are [optional]. Each records what it got in `ffi_seen` for the test to compare. */

#include "ffi_target.h"

struct ffi_seen ffi_seen;

/* Plain arguments: (ctx, obj, INT, BOOL, REAL, STRING, ENUM) -> INT. */
VCL_INT
ffi_plain(VRT_CTX, void *obj, VCL_INT i, VCL_BOOL b, VCL_REAL r, VCL_STRING s, VCL_ENUM e)
{
	(void)ctx;
	ffi_seen.obj = obj;
	ffi_seen.i = i;
	ffi_seen.b = b;
	ffi_seen.r = r;
	ffi_seen.s = s;
	ffi_seen.e = e;
	return (i * 2);
}

/* [INT i], BOOL b, [STRING s], REAL r: valid_ flags first, mixed sizes to pad. */
struct arg_ffi_opt {
	char		valid_i;
	char		valid_s;
	VCL_INT		i;
	VCL_BOOL	b;
	VCL_STRING	s;
	VCL_REAL	r;
};

VCL_BOOL
ffi_opt(VRT_CTX, void *obj, struct arg_ffi_opt *a)
{
	(void)ctx;
	ffi_seen.obj = obj;
	ffi_seen.valid_i = a->valid_i;
	ffi_seen.valid_s = a->valid_s;
	ffi_seen.i = a->i;
	ffi_seen.b = a->b;
	ffi_seen.s = a->s;
	ffi_seen.r = a->r;
	return (a->valid_i ? 7 : 0);
}

/* A constructor that fails the way VAS_Fail does in a vmod: an exception through C. */
void
ffi_init_throws(VRT_CTX, void **objp, const char *name)
{
	(void)ctx;
	(void)name;
	*objp = &ffi_seen;
	ffi_test_throw();
	*objp = NULL;
}

VCL_REAL
ffi_half(VRT_CTX, void *obj, VCL_DURATION d)
{
	(void)ctx;
	(void)obj;
	return (d / 2);
}
