/* vdisim_vmod_prelude.h -- force-included (-include) before every source of a vmod under
 * test, so each translation unit, whatever it includes and in which order, sends locks,
 * threads, sleeps, clocks, DNS and malloc/free to the simulator. C only. */

#ifndef VDISIM_VMOD_PRELUDE_H_INCLUDED
#define VDISIM_VMOD_PRELUDE_H_INCLUDED

#ifndef __cplusplus
/* Ahead of every system header: pthread_rwlock_t, struct addrinfo, clockid_t... */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include "vdisim_pthread.h"	/* and vdisim_os.h */
#include "vdisim_alloc.h"
#endif

#endif /* VDISIM_VMOD_PRELUDE_H_INCLUDED */
