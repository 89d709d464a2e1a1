/* ws.c -- the workspace (WS_*) functions of cache/cache.h in plain C: pointer
 * arithmetic on struct ws, no locking, no allocation of its own.
 * Behaviour follows Varnish: sizes round up to pointer alignment, running out
 * marks the workspace overflowed (upper-case id[0]), misuse fails through vas.h.
 * Built with -fexceptions because VAS_Fail() throws through these frames. */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cache/cache.h"

/* Byte written past ws->e by WS_Init; WS_Assert checks it is intact. */
#define WS_GUARD_BYTE	'\x15'

/* WS_Snapshot's cookie for "was already overflowed": an address no workspace owns. */
static const char ws_overflow_cookie_anchor;
#define WS_OVERFLOW_COOKIE	((uintptr_t)&ws_overflow_cookie_anchor)

static int
ws_is_lower(char c)
{

	return ((c & 0x20) != 0);
}

void
WS_Assert(const struct ws *ws)
{

	CHECK_OBJ_NOTNULL(ws, WS_MAGIC);
	AN(ws->s);
	AN(ws->e);
	assert(PAOK(ws->s));
	assert(PAOK(ws->e));
	assert(ws->s < ws->e);
	assert(ws->f >= ws->s && ws->f <= ws->e);
	assert(PAOK(ws->f));
	if (ws->r != NULL)
		assert(ws->r > ws->s && ws->r <= ws->e);
	assert(*ws->e == WS_GUARD_BYTE);
}

void
WS_Init(struct ws *ws, const char *id, void *space, unsigned len)
{
	unsigned usable;

	AN(ws);
	AN(id);
	AN(space);
	assert(PAOK(space));
	/* at least one aligned word plus the guard byte */
	assert(len > sizeof(void *));
	assert(strlen(id) < WS_ID_SIZE);
	assert(ws_is_lower(id[0]));

	INIT_OBJ(ws, WS_MAGIC);
	usable = (unsigned)PRNDDN(len - 1);
	ws->s = space;
	ws->e = ws->s + usable;
	memset(ws->e, WS_GUARD_BYTE, len - usable);
	ws->f = ws->s;
	ws->r = NULL;
	memcpy(ws->id, id, strlen(id) + 1);
	WS_Assert(ws);
}

void
WS_MarkOverflow(struct ws *ws)
{

	CHECK_OBJ_NOTNULL(ws, WS_MAGIC);
	ws->id[0] = (char)(ws->id[0] & ~0x20);
}

int
WS_Overflowed(const struct ws *ws)
{

	CHECK_OBJ_NOTNULL(ws, WS_MAGIC);
	AN(ws->id[0]);
	return (!ws_is_lower(ws->id[0]));
}

void
WS_Id(const struct ws *ws, char *id)
{

	WS_Assert(ws);
	AN(id);
	memcpy(id, ws->id, WS_ID_SIZE);
	id[0] = (char)(id[0] | 0x20);
}

/* Take `bytes` (already aligned) from the front; NULL + overflow if too big. */
static void *
ws_take(struct ws *ws, uintptr_t bytes)
{
	char *p;

	AZ(ws->r);
	if (bytes > pdiff(ws->f, ws->e)) {
		WS_MarkOverflow(ws);
		return (NULL);
	}
	p = ws->f;
	ws->f += bytes;
	return (p);
}

void *
WS_Alloc(struct ws *ws, unsigned bytes)
{
	void *p;

	WS_Assert(ws);
	p = ws_take(ws, PRNDUP(bytes));
	WS_Assert(ws);
	return (p);
}

void *
WS_Copy(struct ws *ws, const void *str, int len)
{
	void *p;

	WS_Assert(ws);
	AN(str);
	if (len == -1)
		len = (int)strlen(str) + 1;
	assert(len >= 0);
	p = ws_take(ws, PRNDUP((unsigned)len));
	if (p != NULL)
		memcpy(p, str, (size_t)len);
	WS_Assert(ws);
	return (p);
}

uintptr_t
WS_Snapshot(struct ws *ws)
{

	WS_Assert(ws);
	AZ(ws->r);
	if (WS_Overflowed(ws))
		return (WS_OVERFLOW_COOKIE);
	return ((uintptr_t)ws->f);
}

void
WS_Reset(struct ws *ws, uintptr_t cookie)
{
	char *p;

	WS_Assert(ws);
	AN(cookie);
	if (cookie == WS_OVERFLOW_COOKIE) {
		/* the snapshot was taken overflowed: that must still hold */
		AN(WS_Overflowed(ws));
		return;
	}
	AZ(ws->r);
	p = (char *)cookie;
	assert(p >= ws->s && p <= ws->f);
	ws->f = p;
	WS_Assert(ws);
}

void
WS_Rollback(struct ws *ws, uintptr_t cookie)
{

	WS_Assert(ws);
	if (cookie == 0)
		cookie = (uintptr_t)ws->s;
	ws->id[0] = (char)(ws->id[0] | 0x20);
	WS_Reset(ws, cookie);
}

unsigned
WS_ReserveAll(struct ws *ws)
{
	unsigned n;

	WS_Assert(ws);
	AZ(ws->r);
	n = (unsigned)pdiff(ws->f, ws->e);
	ws->r = ws->e;
	WS_Assert(ws);
	return (n);
}

unsigned
WS_ReserveSize(struct ws *ws, unsigned bytes)
{

	WS_Assert(ws);
	AN(bytes);
	AZ(ws->r);
	if (bytes > pdiff(ws->f, ws->e)) {
		WS_MarkOverflow(ws);
		return (0);
	}
	ws->r = ws->f + bytes;
	WS_Assert(ws);
	return (bytes);
}

void
WS_Release(struct ws *ws, unsigned bytes)
{
	uintptr_t keep;

	WS_Assert(ws);
	AN(ws->r);
	assert(bytes <= pdiff(ws->f, ws->r));
	keep = PRNDUP(bytes);
	assert(keep <= pdiff(ws->f, ws->e));
	ws->f += keep;
	ws->r = NULL;
	WS_Assert(ws);
}

void
WS_ReleaseP(struct ws *ws, const char *ptr)
{

	WS_Assert(ws);
	AN(ws->r);
	assert(ptr >= ws->f && ptr <= ws->r);
	WS_Release(ws, (unsigned)(ptr - ws->f));
}

int
WS_Allocated(const struct ws *ws, const void *ptr, ssize_t len)
{
	const char *p = ptr;

	WS_Assert(ws);
	AN(p);
	if (len < 0)
		len = (ssize_t)strlen(p) + 1;
	return (p >= ws->s && p + len <= ws->f);
}

/* The len bytes allocated at offset off from the workspace's start. */
void *
WS_AtOffset(const struct ws *ws, unsigned off, unsigned len)
{
	char *p;

	WS_Assert(ws);
	p = ws->s + off;
	AN(WS_Allocated(ws, p, len));
	return (p);
}

/* Where the current reservation starts, as an offset from the workspace's start. */
unsigned
WS_ReservationOffset(const struct ws *ws)
{

	WS_Assert(ws);
	AN(ws->r);
	return ((unsigned)pdiff(ws->s, ws->f));
}

/* Reserves all the free space (all of the workspace after a rollback) and moves the
 * bytes [b, e) to its start: their length, or -1 when they do not fit (0, b NULL). */
int
WS_Pipeline(struct ws *ws, const void *b, const void *e, unsigned rollback)
{
	unsigned room, n;

	WS_Assert(ws);
	if (rollback)
		WS_Rollback(ws, 0);
	room = WS_ReserveAll(ws);
	if (b == NULL) {
		AZ(e);
		return (0);
	}
	AN(e);
	n = (unsigned)pdiff(b, e);
	if (n > room)
		return (-1);
	memmove(ws->f, b, n);
	return ((int)n);
}

const char *
WS_Printf(struct ws *ws, const char *fmt, ...)
{
	unsigned room;
	va_list ap;
	char *p;
	int n;

	room = WS_ReserveAll(ws);
	p = ws->f;
	va_start(ap, fmt);
	n = vsnprintf(p, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (unsigned)n >= room) {
		WS_Release(ws, 0);
		WS_MarkOverflow(ws);
		return (NULL);
	}
	WS_Release(ws, (unsigned)n + 1);
	return (p);
}

void
WS_VSB_new(struct vsb *vsb, struct ws *ws)
{
	/* two bytes is the smallest VSB; used when the workspace has no room */
	static char no_room[2];
	unsigned room;

	AN(vsb);
	WS_Assert(ws);
	room = WS_ReserveAll(ws);
	if (WS_Overflowed(ws) || room < 2)
		AN(VSB_init(vsb, no_room, sizeof no_room));
	else
		AN(VSB_init(vsb, WS_Reservation(ws), room));
}

char *
WS_VSB_finish(struct vsb *vsb, struct ws *ws, size_t *szp)
{
	char *p;
	size_t n;

	AN(vsb);
	WS_Assert(ws);
	if (VSB_finish(vsb) == 0) {
		p = VSB_data(vsb);
		if (p == ws->f) {
			n = (size_t)VSB_len(vsb);
			WS_Release(ws, (unsigned)n + 1);
			if (szp != NULL)
				*szp = n;
			VSB_fini(vsb);
			return (p);
		}
	}
	/* error, or the VSB fell back to no_room: nothing is kept */
	WS_MarkOverflow(ws);
	VSB_fini(vsb);
	WS_Release(ws, 0);
	if (szp != NULL)
		*szp = 0;
	return (NULL);
}

/*
 * Copy len bytes of the workspace, starting off bytes after its start ('s'),
 * its free pointer ('f') or its reservation end ('r'), for diagnostics. Past the
 * end, buf is padded with the guard byte. Returns the bytes really copied; 0 with
 * errno EINVAL (bad where), EAGAIN (no reservation) or EFAULT (off past the end).
 */
unsigned
WS_Dump(const struct ws *ws, char where, size_t off, void *buf, size_t len)
{
	const char *from;
	size_t avail;

	WS_Assert(ws);
	AN(buf);
	AN(len);
	if (where == 's')
		from = ws->s;
	else if (where == 'f')
		from = ws->f;
	else if (where == 'r')
		from = ws->r;
	else {
		errno = EINVAL;
		return (0);
	}
	if (from == NULL) {
		errno = EAGAIN;
		return (0);
	}
	if (off >= (size_t)(ws->e - from)) {
		errno = EFAULT;
		return (0);
	}
	from += off;
	avail = (size_t)(ws->e - from);
	if (len <= avail) {
		memcpy(buf, from, len);
		return ((unsigned)len);
	}
	memcpy(buf, from, avail);
	memset((char *)buf + avail, WS_GUARD_BYTE, len - avail);
	return ((unsigned)avail);
}
