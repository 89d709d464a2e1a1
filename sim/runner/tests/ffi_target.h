/* The C functions of ffi_target.c that vmod_load_test.cpp calls through libffi, and
 * `ffi_seen`, where each records the arguments it got. */
#pragma once
#include "vrt.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ffi_seen {
	VCL_INT		i;
	VCL_BOOL	b;
	VCL_REAL	r;
	VCL_STRING	s;
	VCL_ENUM	e;
	const void	*obj;
	char		valid_i, valid_s;
};
extern struct ffi_seen ffi_seen;

VCL_INT ffi_plain(VRT_CTX, void *, VCL_INT, VCL_BOOL, VCL_REAL, VCL_STRING, VCL_ENUM);
struct arg_ffi_opt;  /* its layout is the point of the test: only the .c knows it */
VCL_BOOL ffi_opt(VRT_CTX, void *, struct arg_ffi_opt *);
void ffi_init_throws(VRT_CTX, void **, const char *);
VCL_REAL ffi_half(VRT_CTX, void *, VCL_DURATION);
void ffi_test_throw(void);

#ifdef __cplusplus
}
#endif
