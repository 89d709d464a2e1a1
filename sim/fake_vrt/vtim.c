/* vtim.c -- the pure parts of vtim.h (HTTP dates, timespec/timeval) and vrnd.h's lock
 * hooks. The clocks themselves (VTIM_real, VTIM_mono, VTIM_sleep) are the simulator's
 * (c_api.cpp). No locale, no wall clock. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vdef.h"
#include "vas.h"
#include "vrnd.h"
#include "vtim.h"

/* Varnish never locks around the testable PRNG unless a program sets these. */
vrnd_lock_f *VRND_Lock = NULL;
vrnd_lock_f *VRND_Unlock = NULL;

/* Accept dates Postel-style (not used by the simulator, kept for vmods that read it). */
unsigned VTIM_postel = 0;

static const char *const wday_name[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char *const month_name[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* RFC 1123: "Sun, 06 Nov 1994 08:49:37 GMT". */
void
VTIM_format(vtim_real t, char buf[VTIM_FORMAT_SIZE])
{
	struct tm tm;
	time_t tt = (time_t)floor(t);

	AN(buf);
	AN(gmtime_r(&tt, &tm));
	(void)snprintf(buf, VTIM_FORMAT_SIZE, "%s, %02d %s %04d %02d:%02d:%02d GMT",
	    wday_name[tm.tm_wday], tm.tm_mday, month_name[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
month_of(const char *m)
{
	int i;

	for (i = 0; i < 12; i++)
		if (strncmp(m, month_name[i], 3) == 0)
			return (i);
	return (-1);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (no timezone, no locale). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

/* RFC 1123, RFC 850 and asctime() dates; 0 when p is none of them. */
vtim_real
VTIM_parse(const char *p)
{
	char wd[16], mon[4];
	int d, y, h, mi, s, m;

	if (p == NULL)
		return (0);
	if (sscanf(p, "%3s, %2d %3s %4d %2d:%2d:%2d GMT", wd, &d, mon, &y, &h, &mi, &s) == 7 ||
	    sscanf(p, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d GMT", wd, &d, mon, &y, &h, &mi, &s) == 7 ||
	    sscanf(p, "%3s %3s %2d %2d:%2d:%2d %4d", wd, mon, &d, &h, &mi, &s, &y) == 7) {
		m = month_of(mon);
		if (m < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
			return (0);
		if (y < 100)
			y += y < 70 ? 2000 : 1900;
		return ((vtim_real)(days_from_civil(y, m + 1, d) * 86400L +
		    h * 3600L + mi * 60L + s));
	}
	return (0);
}

/* t as whole seconds and a fraction in 1/per units (rounding may reach per: carry). */
static time_t
vtim_split(vtim_dur t, long per, long *frac)
{
	time_t sec = (time_t)floor(t);

	*frac = (long)((t - (double)sec) * (double)per);
	if (*frac >= per) {
		sec++;
		*frac -= per;
	}
	return (sec);
}

struct timespec
VTIM_timespec(vtim_dur t)
{
	struct timespec tv;
	long ns;

	tv.tv_sec = vtim_split(t, 1000000000L, &ns);
	tv.tv_nsec = ns;
	return (tv);
}

struct timeval
VTIM_timeval(vtim_dur t)
{
	struct timeval tv;
	long us;

	tv.tv_sec = vtim_split(t, 1000000L, &us);
	tv.tv_usec = (suseconds_t)us;
	return (tv);
}

/* A socket timeout: at least a millisecond (0 would mean none); an infinite one is none. */
struct timeval
VTIM_timeval_sock(vtim_dur t)
{

	if (isinf(t))
		return (VTIM_timeval(0.));
	return (VTIM_timeval(t < 1e-3 ? 1e-3 : t));
}

/* A poll(2) timeout in whole milliseconds: -1 (wait forever) for an infinite one, never
 * below 0. */
int
VTIM_poll_tmo(vtim_dur t)
{
	int ms;

	if (isinf(t))
		return (-1);
	AZ(isnan(t));
	ms = (int)(t * 1e3);
	return (ms < 0 ? 0 : ms);
}
