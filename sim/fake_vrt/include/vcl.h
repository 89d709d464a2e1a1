/* vcl.h -- the VCL method bits of Varnish's generated vcl.h. Directors test ctx->method
 * against them (VCL_MET_TASK_H = vcl_init/fini, spec C4/D7); the runtime sets ctx->method
 * from them. Macros only. */

#ifndef VCL_H_INCLUDED
#define VCL_H_INCLUDED

#include "vrt.h"

#define VCL_MET_RECV			(1U << 1)
#define VCL_MET_PIPE			(1U << 2)
#define VCL_MET_PASS			(1U << 3)
#define VCL_MET_HASH			(1U << 4)
#define VCL_MET_PURGE			(1U << 5)
#define VCL_MET_MISS			(1U << 6)
#define VCL_MET_HIT			(1U << 7)
#define VCL_MET_DELIVER			(1U << 8)
#define VCL_MET_SYNTH			(1U << 9)
#define VCL_MET_BACKEND_FETCH		(1U << 10)
#define VCL_MET_BACKEND_RESPONSE	(1U << 11)
#define VCL_MET_BACKEND_ERROR		(1U << 12)
#define VCL_MET_INIT			(1U << 13)
#define VCL_MET_FINI			(1U << 14)

#define VCL_MET_MAX			15
#define VCL_MET_MASK			0x7fff

/* Backend task (busyobj) methods. */
#define VCL_MET_TASK_B	(VCL_MET_BACKEND_FETCH | VCL_MET_BACKEND_RESPONSE | \
			 VCL_MET_BACKEND_ERROR)
/* Client task (req) methods. */
#define VCL_MET_TASK_C	(VCL_MET_RECV | VCL_MET_PIPE | VCL_MET_PASS |	\
			 VCL_MET_HASH | VCL_MET_PURGE | VCL_MET_MISS |	\
			 VCL_MET_HIT | VCL_MET_DELIVER | VCL_MET_SYNTH)
/* Housekeeping: vcl_init and vcl_fini, on the CLI thread. */
#define VCL_MET_TASK_H	(VCL_MET_INIT | VCL_MET_FINI)

#endif /* VCL_H_INCLUDED */
