/* thread_vmod.h -- a small C vmod for vmod_os_test.cpp: threads that loop with usleep,
 * pthread_cond_timedwait and getaddrinfo and log what they saw, join errors and cycles,
 * keys and once. Each function runs inside an actor of a run that has a vrt::VmodOs. */
#ifndef THREAD_VMOD_H_INCLUDED
#define THREAD_VMOD_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct tv;	/* one per run: its log, locks and results */

struct tv *tv_new(void);
void tv_free(struct tv *);
const char *tv_log(const struct tv *);	/* what the threads logged, in order */

/* n workers, each `iterations` times: log "w<id>.<i>@<ms> ", usleep(step_us). Joins them
 * and checks each one's return value; returns 0 or the first error. */
int tv_workers(struct tv *, int n, int iterations, unsigned step_us);
/* A thread resolving `name` (service "80", SOCK_STREAM) every period_ms, rounds times:
 * logs "<ms>:<addr>,<addr> " or "<ms>:EAI<code> ". Joined before returning. */
int tv_resolver(struct tv *, const char *name, int rounds, unsigned period_ms);
/* Waits on a condvar: for `timeout_ms` (CLOCK_REALTIME or, with mono, a CLOCK_MONOTONIC
 * condattr); when signal_ms >= 0 the caller signals it after that long. Logs
 * "<rc>@<ms> " (rc 0 or ETIMEDOUT). */
int tv_timedwait(struct tv *, int mono, unsigned timeout_ms, int signal_ms);
/* Two threads joining each other; the caller joins the first. Never returns normally. */
int tv_join_cycle(struct tv *);
/* The caller holds a mutex the thread it joins needs. Never returns normally. */
int tv_join_holding_lock(struct tv *);
/* The caller joins a thread that waits on a condvar nobody signals. */
int tv_join_stuck(struct tv *);
/* Join misuse: self, twice, detached, detach twice: logs the four error codes. */
int tv_join_errors(struct tv *);
/* Two threads with their own key values across usleep; destructor calls counted;
 * pthread_once with an init routine that sleeps; pthread_exit's value reaches join. */
int tv_keys_once_exit(struct tv *);
/* A detached thread that sleeps forever in a loop; the caller returns at once. */
int tv_forever(struct tv *);
/* A thread whose assert fails after 5 ms while the caller joins it. */
int tv_thread_asserts(struct tv *);
/* Clocks and sleeps: logs realtime/monotonic/time()/gettimeofday before and after
 * nanosleep, clock_nanosleep (absolute) and sleep, in ms. */
int tv_clocks(struct tv *);

/* syslog(LOG_DAEMON | LOG_WARNING, "hello %s", who), as std.syslog() calls it. */
void tv_syslog(const char *who);

#ifdef __cplusplus
}
#endif

#endif /* THREAD_VMOD_H_INCLUDED */
