/* vtim.h -- Varnish's time API as director code sees it; declarations only.
 * Defined by the C++ runtime on the simulator Clock: no director may read a real clock
 * (STYLE.md section 1). */

#ifndef VTIM_H_INCLUDED
#define VTIM_H_INCLUDED

#include <sys/time.h>
#include <time.h>

/* vtim_mono, vtim_real and vtim_dur (seconds as double) come from vdef.h. */
#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Accept dates a strict RFC 9110 parser would reject (Varnish's Postel switch). */
extern unsigned VTIM_postel;

/* "Sun, 06 Nov 1994 08:49:37 GMT" plus NUL fits. */
#define VTIM_FORMAT_SIZE 30
void VTIM_format(vtim_real t, char buf[VTIM_FORMAT_SIZE]);
vtim_real VTIM_parse(const char *p);

vtim_mono VTIM_mono(void);
vtim_real VTIM_real(void);
void VTIM_sleep(vtim_dur t);

struct timespec VTIM_timespec(vtim_dur t);
struct timeval VTIM_timeval(vtim_dur t);
/* t as a socket timeout (SO_RCVTIMEO): at least 1 ms; infinite is 0 (none). */
struct timeval VTIM_timeval_sock(vtim_dur t);
/* t as a poll(2) timeout in ms: -1 when infinite, never negative otherwise. */
int VTIM_poll_tmo(vtim_dur t);

#ifdef __cplusplus
}
#endif

#endif /* VTIM_H_INCLUDED */
