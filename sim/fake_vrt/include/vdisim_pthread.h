/* vdisim_pthread.h -- reroutes director C code's pthread mutex/rwlock/cond calls to the
 * simulator's locks (vdisim_*, defined by the C++ runtime), then pulls in vdisim_os.h for
 * threads, sleeps, clocks and DNS. The #defines apply to C only; zero-filled pthread
 * objects (PTHREAD_*_INITIALIZER, calloc) must stay valid. */

#ifndef VDISIM_PTHREAD_H_INCLUDED
#define VDISIM_PTHREAD_H_INCLUDED

/* The runtime keeps its own state pointer inside each pthread object's storage.
 * Strict -std=c11 hides pthread_rwlock_t unless _GNU_SOURCE (or POSIX 2008) is set;
 * the vdisim_vrt_headers CMake target defines it for C. */

/* Must come before the #defines below, or they would rename libc's prototypes. */
#include <pthread.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

int vdisim_rwlock_init(pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr);
int vdisim_rwlock_destroy(pthread_rwlock_t *rw);
int vdisim_rwlock_rdlock(pthread_rwlock_t *rw);
int vdisim_rwlock_wrlock(pthread_rwlock_t *rw);
int vdisim_rwlock_tryrdlock(pthread_rwlock_t *rw);
int vdisim_rwlock_trywrlock(pthread_rwlock_t *rw);
int vdisim_rwlock_unlock(pthread_rwlock_t *rw);

int vdisim_mutex_init(pthread_mutex_t *mtx, const pthread_mutexattr_t *attr);
int vdisim_mutex_destroy(pthread_mutex_t *mtx);
int vdisim_mutex_lock(pthread_mutex_t *mtx);
int vdisim_mutex_trylock(pthread_mutex_t *mtx);
int vdisim_mutex_unlock(pthread_mutex_t *mtx);

int vdisim_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
int vdisim_cond_destroy(pthread_cond_t *cond);
int vdisim_cond_wait(pthread_cond_t *cond, pthread_mutex_t *mtx);
/* abstime is on the simulator's CLOCK_REALTIME, i.e. VTIM_real(). */
int vdisim_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mtx,
    const struct timespec *abstime);
int vdisim_cond_signal(pthread_cond_t *cond);
int vdisim_cond_broadcast(pthread_cond_t *cond);

#ifdef __cplusplus
}
#endif

#ifndef __cplusplus
#define pthread_rwlock_init		vdisim_rwlock_init
#define pthread_rwlock_destroy		vdisim_rwlock_destroy
#define pthread_rwlock_rdlock		vdisim_rwlock_rdlock
#define pthread_rwlock_wrlock		vdisim_rwlock_wrlock
#define pthread_rwlock_tryrdlock	vdisim_rwlock_tryrdlock
#define pthread_rwlock_trywrlock	vdisim_rwlock_trywrlock
#define pthread_rwlock_unlock		vdisim_rwlock_unlock

#define pthread_mutex_init		vdisim_mutex_init
#define pthread_mutex_destroy		vdisim_mutex_destroy
#define pthread_mutex_lock		vdisim_mutex_lock
#define pthread_mutex_trylock		vdisim_mutex_trylock
#define pthread_mutex_unlock		vdisim_mutex_unlock

/* These two go through vdisim_os.h's wrappers, which honour a condattr clock. */
#define pthread_cond_init		vdisim_pthread_cond_init
#define pthread_cond_destroy		vdisim_cond_destroy
#define pthread_cond_wait		vdisim_cond_wait
#define pthread_cond_timedwait		vdisim_pthread_cond_timedwait
#define pthread_cond_signal		vdisim_cond_signal
#define pthread_cond_broadcast		vdisim_cond_broadcast
#endif /* !__cplusplus */

#include "vdisim_os.h"

#endif /* VDISIM_PTHREAD_H_INCLUDED */
