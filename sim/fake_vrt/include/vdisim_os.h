/* vdisim_os.h -- the OS services vmod C code uses besides locks, moved onto the simulator:
 * pthread_create makes an actor, sleeps wait in virtual time, clocks read the virtual
 * clock, getaddrinfo answers from the scenario's dns: table (vmod_threads.cpp, dns.cpp),
 * syslog() writes to the run's trace, not the host's log.
 * C only, like vdisim_pthread.h which includes it; never seen by vdisim's own C++. */

#ifndef VDISIM_OS_H_INCLUDED
#define VDISIM_OS_H_INCLUDED

#if defined(__STRICT_ANSI__) && !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE) && \
    !defined(_XOPEN_SOURCE) && !defined(_DEFAULT_SOURCE)
#error "vdisim_os.h needs POSIX declarations: compile with -D_GNU_SOURCE (vdisim_vrt_headers does)"
#endif

/*
 * Every system header that declares a function renamed below comes first: an
 * object-like macro defined before such a header would rename its prototype too, and a
 * vmod may include these headers before or after cache/cache.h.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <netdb.h>
#include <pthread.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Threads: actors of the current run, picked by its strategy like every other actor. */
int vdisim_pthread_create(pthread_t *thread, const pthread_attr_t *attr,
    void *(*start)(void *), void *arg);
int vdisim_pthread_join(pthread_t thread, void **result);
int vdisim_pthread_detach(pthread_t thread);
pthread_t vdisim_pthread_self(void);
int vdisim_pthread_equal(pthread_t a, pthread_t b);
void vdisim_pthread_exit(void *result) __attribute__((__noreturn__));
int vdisim_pthread_cancel(pthread_t thread);
int vdisim_pthread_kill(pthread_t thread, int sig);
int vdisim_pthread_setname_np(pthread_t thread, const char *name);
int vdisim_pthread_getname_np(pthread_t thread, char *name, size_t len);
int vdisim_pthread_once(pthread_once_t *once, void (*init)(void));
int vdisim_pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int vdisim_pthread_key_delete(pthread_key_t key);
void *vdisim_pthread_getspecific(pthread_key_t key);
int vdisim_pthread_setspecific(pthread_key_t key, const void *value);

/* Condition variables whose attr chose CLOCK_MONOTONIC take deadlines on VTIM_mono. */
int vdisim_pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *attr);
int vdisim_pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *mtx,
    const struct timespec *abstime);
int vdisim_pthread_cond_clockwait(pthread_cond_t *cond, pthread_mutex_t *mtx,
    clockid_t clock, const struct timespec *abstime);

/* Sleeps and clocks: virtual time (CLOCK_REALTIME = VTIM_real, others = VTIM_mono). */
unsigned int vdisim_sleep(unsigned int seconds);
int vdisim_usleep(unsigned int usec);
int vdisim_nanosleep(const struct timespec *req, struct timespec *rem);
int vdisim_clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
    struct timespec *rem);
int vdisim_clock_gettime(clockid_t clock, struct timespec *ts);
time_t vdisim_time(time_t *t);
int vdisim_gettimeofday(struct timeval *tv, void *tz);

/* Name resolution from the scenario's dns: section, on virtual time. */
int vdisim_getaddrinfo(const char *node, const char *service,
    const struct addrinfo *hints, struct addrinfo **res);
void vdisim_freeaddrinfo(struct addrinfo *res);
int vdisim_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
    socklen_t hostlen, char *serv, socklen_t servlen, int flags);
const char *vdisim_gai_strerror(int code);

/* syslog(3): a "syslog" event of the run's trace ("<priority> text"); nothing reaches
 * the host's log (8.0.0's std.syslog() calls it from VCL). */
void vdisim_syslog(int priority, const char *format, ...)
    __attribute__((__format__(__printf__, 2, 3)));

#ifdef __cplusplus
}
#endif

#ifndef __cplusplus
/* glibc may have made some of these names macros already (time64 redirects). */
#undef pthread_cond_clockwait
#undef nanosleep
#undef clock_nanosleep
#undef clock_gettime
#undef gettimeofday
#undef time

#define pthread_create		vdisim_pthread_create
#define pthread_join		vdisim_pthread_join
#define pthread_detach		vdisim_pthread_detach
#define pthread_self		vdisim_pthread_self
#define pthread_equal		vdisim_pthread_equal
#define pthread_exit		vdisim_pthread_exit
#define pthread_cancel		vdisim_pthread_cancel
#define pthread_kill		vdisim_pthread_kill
#define pthread_setname_np	vdisim_pthread_setname_np
#define pthread_getname_np	vdisim_pthread_getname_np
#define pthread_once		vdisim_pthread_once
#define pthread_key_create	vdisim_pthread_key_create
#define pthread_key_delete	vdisim_pthread_key_delete
#define pthread_getspecific	vdisim_pthread_getspecific
#define pthread_setspecific	vdisim_pthread_setspecific
#define pthread_cond_clockwait	vdisim_pthread_cond_clockwait

#define sleep			vdisim_sleep
#define usleep			vdisim_usleep
#define nanosleep		vdisim_nanosleep
#define clock_nanosleep		vdisim_clock_nanosleep
#define clock_gettime		vdisim_clock_gettime
#define time			vdisim_time
#define gettimeofday		vdisim_gettimeofday

#define getaddrinfo		vdisim_getaddrinfo
#define freeaddrinfo		vdisim_freeaddrinfo
#define getnameinfo		vdisim_getnameinfo
#define gai_strerror		vdisim_gai_strerror

#undef syslog			/* a macro under _FORTIFY_SOURCE */
#define syslog			vdisim_syslog
#endif /* !__cplusplus */

#endif /* VDISIM_OS_H_INCLUDED */
