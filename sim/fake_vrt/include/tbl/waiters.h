/* tbl/waiters.h -- X-macro table (Varnish 8.0.0): the waiters, those of the platform (HAVE_*) first.
 * WAITER(name). */

#if defined(HAVE_KQUEUE)
WAITER(kqueue)
#endif
#if defined(HAVE_PORT_CREATE)
WAITER(ports)
#endif
#if defined(HAVE_EPOLL_CTL)
WAITER(epoll)
#endif
WAITER(poll)
#undef WAITER
