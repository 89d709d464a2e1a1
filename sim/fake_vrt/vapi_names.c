/* vapi_names.c -- the parts of libvarnishapi's headers that are names and counters, not
 * a shared log: VSL_tags/VSL_tagflags and the tag lookups (vapi/vsl.h), the grouping
 * names (VSLQ_*), VSM_StillValid's two answers (vapi/vsm.h) and the signal counters
 * (vapi/vsig.h). Same answers as Varnish 8.0.0's; everything that reads a log is refused
 * (unsimulated_varnishd.cpp). Built with -fexceptions: AN() fails through VAS_Fail. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "vdef.h"
#include "vas.h"
#include "vapi/vsig.h"
#include "vapi/vsl.h"
#include "vapi/vsm.h"

const char * const VSL_tags[SLT__MAX] = {
#define SLTM(name, flags, sdesc, ldesc) [SLT_##name] = #name,
#include "tbl/vsl_tags.h"
};

const unsigned VSL_tagflags[SLT__MAX] = {
#define SLTM(name, flags, sdesc, ldesc) [SLT_##name] = (flags),
#include "tbl/vsl_tags.h"
};

const char *const VSLQ_grouping[VSL_g__MAX] = {
	[VSL_g_raw] = "raw",
	[VSL_g_vxid] = "vxid",
	[VSL_g_request] = "request",
	[VSL_g_session] = "session",
};

const struct vsm_valid VSM_invalid[1] = {{"invalid"}};
const struct vsm_valid VSM_valid[1] = {{"valid"}};

/* The index of the name in names[0..n) that name's first l bytes spell (l -1: all of
 * it), case-insensitive; else the one name they begin, -1 if none, -2 if several. */
static int
vapi_lookup(const char * const *names, int n, const char *name, int l)
{
	int i, found = -1;

	AN(name);
	if (l == -1)
		l = (int)strlen(name);
	for (i = 0; i < n; i++) {
		if (names[i] == NULL || strncasecmp(name, names[i], (size_t)l) != 0)
			continue;
		if ((int)strlen(names[i]) == l)
			return (i);
		found = (found == -1) ? i : -2;
	}
	return (found);
}

int
VSL_Name2Tag(const char *name, int l)
{

	return (vapi_lookup(VSL_tags, SLT__MAX, name, l));
}

int
VSLQ_Name2Grouping(const char *name, int l)
{

	return (vapi_lookup(VSLQ_grouping, VSL_g__MAX, name, l));
}

/* Whether tag (len bytes) begins with pre and ends with post, case-insensitive. */
static int
vapi_glob_match(const char *tag, const char *pre, size_t npre, const char *post,
    size_t npost)
{
	size_t len = strlen(tag);

	if (len < npre + npost)
		return (0);
	if (npre > 0 && strncasecmp(tag, pre, npre) != 0)
		return (0);
	if (npost > 0 && strncasecmp(tag + len - npost, post, npost) != 0)
		return (0);
	return (1);
}

int
VSL_Glob2Tags(const char *glob, int l, VSL_tagfind_f *func, void *priv)
{
	const char *star, *end;
	int i, tag, count = 0;

	AN(glob);
	end = (l >= 0) ? glob + l : glob + strlen(glob);
	if (end == glob)
		return (-1);
	star = memchr(glob, '*', (size_t)(end - glob));
	if (star == NULL) {
		tag = VSL_Name2Tag(glob, l);
		if (tag >= 0 && func != NULL)
			func(tag, priv);
		return (tag >= 0 ? 1 : tag);
	}
	if (memchr(star + 1, '*', (size_t)(end - star - 1)) != NULL)
		return (-3);
	for (i = 0; i < SLT__MAX; i++) {
		if (VSL_tags[i] == NULL || !vapi_glob_match(VSL_tags[i], glob,
		    (size_t)(star - glob), star + 1, (size_t)(end - star - 1)))
			continue;
		if (func != NULL)
			func(i, priv);
		count++;
	}
	return (count > 0 ? count : -1);
}

int
VSL_List2Tags(const char *list, int l, VSL_tagfind_f *func, void *priv)
{
	const char *p, *end, *b;
	int r, total = 0;

	AN(list);
	end = (l >= 0) ? list + l : list + strlen(list);
	for (p = list; p < end; ) {
		if (*p == ',') {
			p++;
			continue;
		}
		for (b = p; p < end && *p != ','; p++)
			continue;
		r = VSL_Glob2Tags(b, (int)(p - b), func, priv);
		if (r < 0)
			return (r);
		total += r;
	}
	return (total > 0 ? total : -1);
}

/* The counters and their handlers; arming one (signal(2) in the host process) is refused. */
#define VSIG_SIGNAL(UPPER, lower)		\
	sig_atomic_t VSIG_##lower;		\
	void					\
	VSIG_Got_##lower(int sig)		\
	{					\
		(void)sig;			\
		VSIG_##lower++;			\
	}
#include "tbl/vsig_list.h"
