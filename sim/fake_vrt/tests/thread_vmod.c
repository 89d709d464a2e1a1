/* thread_vmod.c -- the test vmod of thread_vmod.h. Written the way real vmods are: system
 * headers before cache/cache.h, plain pthread/unistd/netdb calls; the build force-includes
 * vdisim_vmod_prelude.h, which is what sends those calls to the simulator. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cache/cache.h"

#include "thread_vmod.h"

struct tv {
	unsigned		magic;
#define TV_MAGIC		0x7e1d0a11
	pthread_mutex_t		mtx;
	pthread_cond_t		cond;
	pthread_cond_t		tcond;	/* tv_timedwait's, with a clock */
	char			log[8192];
	size_t			len;
	/* join cycles: the two threads, published once both exist */
	pthread_t		a, b;
	int			ready;
	/* keys and once */
	pthread_key_t		key;
	pthread_once_t		once;
	int			inits, init_done, dtors;
	/* a worker's id and loop shape */
	int			iterations;
	unsigned		step_us;
	const char		*name;
	unsigned		period_ms;
};

struct tv_arg {
	struct tv		*tv;
	int			id;
};

static long long
ms_now(clockid_t clk)
{
	struct timespec ts;

	AZ(clock_gettime(clk, &ts));
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void
tv_logf(struct tv *tv, const char *fmt, ...)
{
	va_list ap;
	int n;

	CHECK_OBJ_NOTNULL(tv, TV_MAGIC);
	va_start(ap, fmt);
	n = vsnprintf(tv->log + tv->len, sizeof tv->log - tv->len, fmt, ap);
	va_end(ap);
	assert(n >= 0 && (size_t)n < sizeof tv->log - tv->len);
	tv->len += (size_t)n;
}

struct tv *
tv_new(void)
{
	struct tv *tv;

	ALLOC_OBJ(tv, TV_MAGIC);
	AN(tv);
	AZ(pthread_mutex_init(&tv->mtx, NULL));
	AZ(pthread_cond_init(&tv->cond, NULL));
	return (tv);
}

void
tv_free(struct tv *tv)
{
	CHECK_OBJ_NOTNULL(tv, TV_MAGIC);
	AZ(pthread_cond_destroy(&tv->cond));
	AZ(pthread_mutex_destroy(&tv->mtx));
	FREE_OBJ(tv);
}

const char *
tv_log(const struct tv *tv)
{
	return (tv->log);
}

/* ---- workers: interleavings and virtual time ---- */

static void *
worker(void *p)
{
	struct tv_arg *arg = p;
	struct tv *tv = arg->tv;
	int i;

	for (i = 0; i < tv->iterations; i++) {
		AZ(pthread_mutex_lock(&tv->mtx));
		tv_logf(tv, "w%d.%d@%lld ", arg->id, i, ms_now(CLOCK_MONOTONIC));
		AZ(pthread_mutex_unlock(&tv->mtx));
		AZ(usleep(tv->step_us));
	}
	return ((void *)(intptr_t)(100 + arg->id));
}

int
tv_workers(struct tv *tv, int n, int iterations, unsigned step_us)
{
	pthread_t th[8];
	struct tv_arg args[8];
	void *res;
	int i;

	assert(n > 0 && n <= 8);
	tv->iterations = iterations;
	tv->step_us = step_us;
	for (i = 0; i < n; i++) {
		args[i].tv = tv;
		args[i].id = i;
		AZ(pthread_create(&th[i], NULL, worker, &args[i]));
		AN(th[i]);
	}
	for (i = 0; i < n; i++) {
		AZ(pthread_join(th[i], &res));
		if ((intptr_t)res != 100 + i)
			return (EINVAL);
	}
	return (0);
}

/* ---- a resolver thread, as libvmod-dynamic runs one per domain ---- */

static void *
resolver(void *p)
{
	struct tv *tv = p;
	struct addrinfo hints, *res, *ai;
	char buf[INET6_ADDRSTRLEN];
	int i, e;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	for (i = 0; i < tv->iterations; i++) {
		if (i > 0)
			AZ(usleep(tv->period_ms * 1000));
		e = getaddrinfo(tv->name, "80", &hints, &res);
		tv_logf(tv, "%lld:", ms_now(CLOCK_MONOTONIC));
		if (e != 0) {
			tv_logf(tv, "EAI%d ", e);
			AN(gai_strerror(e));
			continue;
		}
		for (ai = res; ai != NULL; ai = ai->ai_next) {
			if (ai->ai_family == AF_INET)
				AN(inet_ntop(AF_INET, &((struct sockaddr_in *)
				    (void *)ai->ai_addr)->sin_addr, buf, sizeof buf));
			else
				AN(inet_ntop(AF_INET6, &((struct sockaddr_in6 *)
				    (void *)ai->ai_addr)->sin6_addr, buf, sizeof buf));
			tv_logf(tv, "%s%s", buf, ai->ai_next ? "," : " ");
		}
		freeaddrinfo(res);
	}
	return (NULL);
}

int
tv_resolver(struct tv *tv, const char *name, int rounds, unsigned period_ms)
{
	pthread_t th;

	tv->name = name;
	tv->iterations = rounds;
	tv->period_ms = period_ms;
	AZ(pthread_create(&th, NULL, resolver, tv));
	return (pthread_join(th, NULL));
}

/* ---- condition variables with deadlines ---- */

static void *
signaller(void *p)
{
	struct tv *tv = p;

	AZ(usleep(tv->period_ms * 1000));
	AZ(pthread_mutex_lock(&tv->mtx));
	AZ(pthread_cond_signal(&tv->tcond));
	AZ(pthread_mutex_unlock(&tv->mtx));
	return (NULL);
}

int
tv_timedwait(struct tv *tv, int mono, unsigned timeout_ms, int signal_ms)
{
	pthread_condattr_t attr;
	struct timespec ts;
	clockid_t clk = mono ? CLOCK_MONOTONIC : CLOCK_REALTIME;
	long long t0 = ms_now(CLOCK_MONOTONIC);
	pthread_t th = 0;
	int rc;

	AZ(pthread_condattr_init(&attr));
	AZ(pthread_condattr_setclock(&attr, clk));
	AZ(pthread_cond_init(&tv->tcond, &attr));
	AZ(pthread_condattr_destroy(&attr));
	AZ(clock_gettime(clk, &ts));
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	AZ(pthread_mutex_lock(&tv->mtx));
	if (signal_ms >= 0) {
		tv->period_ms = (unsigned)signal_ms;
		AZ(pthread_create(&th, NULL, signaller, tv));
	}
	rc = pthread_cond_timedwait(&tv->tcond, &tv->mtx, &ts);
	AZ(pthread_mutex_unlock(&tv->mtx));
	tv_logf(tv, "%d@%lld ", rc, ms_now(CLOCK_MONOTONIC) - t0);
	if (th)
		AZ(pthread_join(th, NULL));
	AZ(pthread_cond_destroy(&tv->tcond));
	return (0);
}

/* ---- joins that can never return ---- */

static void *
cycle_a(void *p)
{
	struct tv *tv = p;

	while (!tv->ready)
		AZ(usleep(1000));
	AZ(pthread_join(tv->b, NULL));
	return (NULL);
}

static void *
cycle_b(void *p)
{
	struct tv *tv = p;

	while (!tv->ready)
		AZ(usleep(1000));
	AZ(pthread_join(tv->a, NULL));
	return (NULL);
}

int
tv_join_cycle(struct tv *tv)
{
	AZ(pthread_create(&tv->a, NULL, cycle_a, tv));
	AZ(pthread_create(&tv->b, NULL, cycle_b, tv));
	tv->ready = 1;
	return (pthread_join(tv->a, NULL));
}

static void *
take_lock(void *p)
{
	struct tv *tv = p;

	AZ(pthread_mutex_lock(&tv->mtx));
	AZ(pthread_mutex_unlock(&tv->mtx));
	return (NULL);
}

int
tv_join_holding_lock(struct tv *tv)
{
	pthread_t th;
	int rc;

	AZ(pthread_mutex_lock(&tv->mtx));
	AZ(pthread_create(&th, NULL, take_lock, tv));
	AZ(usleep(1000));	/* the thread now waits for the lock */
	rc = pthread_join(th, NULL);
	AZ(pthread_mutex_unlock(&tv->mtx));
	return (rc);
}

static void *
wait_forever(void *p)
{
	struct tv *tv = p;

	AZ(pthread_mutex_lock(&tv->mtx));
	AZ(pthread_cond_wait(&tv->cond, &tv->mtx));
	AZ(pthread_mutex_unlock(&tv->mtx));
	return (NULL);
}

int
tv_join_stuck(struct tv *tv)
{
	pthread_t th;

	AZ(pthread_create(&th, NULL, wait_forever, tv));
	return (pthread_join(th, NULL));
}

/* ---- join misuse ---- */

static void *
self_join(void *p)
{
	(void)p;
	return ((void *)(intptr_t)pthread_join(pthread_self(), NULL));
}

static void *
quick(void *p)
{
	return (p);
}

int
tv_join_errors(struct tv *tv)
{
	pthread_t th;
	void *res;

	AZ(pthread_create(&th, NULL, self_join, NULL));
	AZ(pthread_join(th, &res));
	tv_logf(tv, "self=%d ", (int)(intptr_t)res);
	tv_logf(tv, "again=%d ", pthread_join(th, NULL));
	AZ(pthread_create(&th, NULL, quick, NULL));
	AZ(pthread_detach(th));
	tv_logf(tv, "detached=%d ", pthread_join(th, NULL));
	AZ(pthread_create(&th, NULL, quick, NULL));
	AZ(pthread_detach(th));
	AZ(usleep(10));
	tv_logf(tv, "detach2=%d ", pthread_detach(th));
	tv_logf(tv, "equal=%d,%d ", pthread_equal(pthread_self(), pthread_self()),
	    pthread_equal(pthread_self(), th));
	return (0);
}

/* ---- keys, once, pthread_exit ---- */

static struct tv *dtor_tv;	/* destructors get only the value */

static void
count_dtor(void *v)
{
	(void)v;
	dtor_tv->dtors++;
}

static void
slow_init(void)
{
	dtor_tv->inits++;
	AZ(usleep(10000));	/* another thread reaches pthread_once meanwhile */
	dtor_tv->init_done = 1;
}

static void *
keyed(void *p)
{
	struct tv_arg *arg = p;
	struct tv *tv = arg->tv;
	int mine;

	AZ(pthread_once(&tv->once, slow_init));
	mine = tv->init_done;
	AZ(pthread_setspecific(tv->key, arg));
	AZ(usleep(1000));
	if (pthread_getspecific(tv->key) != arg || !mine)
		pthread_exit((void *)(intptr_t)-1);
	pthread_exit((void *)(intptr_t)(200 + arg->id));
}

int
tv_keys_once_exit(struct tv *tv)
{
	struct tv_arg args[2];
	pthread_t th[2];
	void *res;
	int i;

	dtor_tv = tv;
	AZ(pthread_key_create(&tv->key, count_dtor));
	for (i = 0; i < 2; i++) {
		args[i].tv = tv;
		args[i].id = i;
		AZ(pthread_create(&th[i], NULL, keyed, &args[i]));
	}
	for (i = 0; i < 2; i++) {
		AZ(pthread_join(th[i], &res));
		tv_logf(tv, "exit%d=%d ", i, (int)(intptr_t)res);
	}
	tv_logf(tv, "inits=%d dtors=%d mine=%p ", tv->inits, tv->dtors,
	    pthread_getspecific(tv->key));
	AZ(pthread_key_delete(tv->key));
	return (0);
}

/* ---- a thread nobody stops ---- */

static void *
forever(void *p)
{
	(void)p;
	for (;;)
		AZ(sleep(1));
	return (NULL);
}

int
tv_forever(struct tv *tv)
{
	(void)tv;
	AZ(pthread_create(&tv->a, NULL, forever, NULL));
	return (0);
}

/* ---- an assert in a thread ---- */

static void *
asserts(void *p)
{
	struct tv *tv = p;

	AZ(usleep(5000));
	assert(tv->ready == 42);	/* it is 0: VAS_Fail in this thread */
	return (NULL);
}

int
tv_thread_asserts(struct tv *tv)
{
	pthread_t th;

	AZ(pthread_create(&th, NULL, asserts, tv));
	return (pthread_join(th, NULL));
}

/* ---- clocks ---- */

int
tv_clocks(struct tv *tv)
{
	struct timespec ts, rem;
	struct timeval tvl;
	time_t t;

	AZ(gettimeofday(&tvl, NULL));
	tv_logf(tv, "real=%lld mono=%lld time=%lld tod=%lld ", ms_now(CLOCK_REALTIME),
	    ms_now(CLOCK_MONOTONIC), (long long)time(&t),
	    (long long)tvl.tv_sec * 1000 + tvl.tv_usec / 1000);
	ts.tv_sec = 1;
	ts.tv_nsec = 500000000;
	AZ(nanosleep(&ts, &rem));
	tv_logf(tv, "nanosleep=%lld ", ms_now(CLOCK_MONOTONIC));
	AZ(clock_gettime(CLOCK_MONOTONIC, &ts));
	ts.tv_sec += 2;
	AZ(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL));
	tv_logf(tv, "abs=%lld ", ms_now(CLOCK_MONOTONIC));
	AZ(sleep(3));
	tv_logf(tv, "sleep=%lld real=%lld", ms_now(CLOCK_MONOTONIC), ms_now(CLOCK_REALTIME));
	return (0);
}

void
tv_syslog(const char *who)
{
	syslog(LOG_DAEMON | LOG_WARNING, "hello %s", who);
}
