/* vsb.c -- vdisim's implementation of Varnish's VSB string buffer (vsb.h).
 * Plain C11 over malloc/realloc. Errors are sticky: once a write fails the
 * buffer ignores further writes and VSB_finish() reports it; misuse (wrong
 * state, bad magic) fails through vas.h. Built with -fexceptions. */

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vdef.h"
#include "vas.h"
#include "vsb.h"

#define VSB_GROW_MIN	16		/* first auto buffer */
#define VSB_GROW_PAGE	4096		/* above this, grow in whole pages */

static void
vsb_check(const struct vsb *s)
{

	AN(s);
	assert(s->magic == VSB_MAGIC);
	AN(s->s_buf);
	assert(s->s_len >= 0 && s->s_len < s->s_size);
}

static void
vsb_check_open(const struct vsb *s)
{

	vsb_check(s);
	AZ(s->s_flags & VSB_FINISHED);
}

/* Bytes that can still be appended, keeping one for the final NUL. */
static ssize_t
vsb_room(const struct vsb *s)
{

	return (s->s_size - s->s_len - 1);
}

static ssize_t
vsb_target_size(ssize_t want)
{
	ssize_t n;

	if (want >= VSB_GROW_PAGE)
		return ((want + VSB_GROW_PAGE - 1) / VSB_GROW_PAGE * VSB_GROW_PAGE);
	for (n = VSB_GROW_MIN; n < want; n *= 2)
		continue;
	return (n);
}

/* Make room for `more` bytes; on failure set the sticky error. */
static int
vsb_reserve(struct vsb *s, ssize_t more)
{
	ssize_t size;
	char *buf;

	if (s->s_error != 0)
		return (-1);
	if (more <= vsb_room(s))
		return (0);
	if (!(s->s_flags & VSB_AUTOEXTEND)) {
		s->s_error = ENOMEM;
		return (-1);
	}
	size = vsb_target_size(s->s_len + more + 1);
	if (s->s_flags & VSB_DYNAMIC) {
		buf = realloc(s->s_buf, (size_t)size);
	} else {
		buf = malloc((size_t)size);
		if (buf != NULL)
			memcpy(buf, s->s_buf, (size_t)s->s_len);
	}
	if (buf == NULL) {
		s->s_error = ENOMEM;
		return (-1);
	}
	s->s_buf = buf;
	s->s_size = size;
	s->s_flags |= VSB_DYNAMIC;
	return (0);
}

/* At the start of a line, emit the current indent. */
static int
vsb_line_start(struct vsb *s)
{

	if (s->s_indent == 0 || s->s_error != 0)
		return (s->s_error != 0 ? -1 : 0);
	if (s->s_len > 0 && s->s_buf[s->s_len - 1] != '\n')
		return (0);
	if (vsb_reserve(s, s->s_indent) != 0)
		return (-1);
	memset(s->s_buf + s->s_len, ' ', (size_t)s->s_indent);
	s->s_len += s->s_indent;
	return (0);
}

static void
vsb_setup(struct vsb *s, char *buf, ssize_t size, int flags)
{

	memset(s, 0, sizeof *s);
	s->magic = VSB_MAGIC;
	s->s_buf = buf;
	s->s_size = size;
	s->s_flags = flags;
}

struct vsb *
VSB_init(struct vsb *s, void *buf, ssize_t length)
{

	AN(s);
	AN(buf);
	assert(length > 1);
	vsb_setup(s, buf, length, VSB_FIXEDLEN);
	return (s);
}

struct vsb *
VSB_new_auto(void)
{
	struct vsb *s;
	char *buf;

	s = malloc(sizeof *s);
	buf = malloc(VSB_GROW_MIN);
	if (s == NULL || buf == NULL) {
		free(s);
		free(buf);
		return (NULL);
	}
	vsb_setup(s, buf, VSB_GROW_MIN,
	    VSB_AUTOEXTEND | VSB_DYNAMIC | VSB_DYNSTRUCT);
	return (s);
}

void
VSB_clear(struct vsb *s)
{

	vsb_check(s);
	s->s_flags &= ~VSB_FINISHED;
	s->s_error = 0;
	s->s_len = 0;
	s->s_indent = 0;
}

int
VSB_bcat(struct vsb *s, const void *buf, ssize_t len)
{

	vsb_check_open(s);
	assert(len >= 0);
	if (s->s_error != 0)
		return (-1);
	if (len == 0)
		return (0);
	AN(buf);
	if (vsb_line_start(s) != 0 || vsb_reserve(s, len) != 0)
		return (-1);
	memcpy(s->s_buf + s->s_len, buf, (size_t)len);
	s->s_len += len;
	return (0);
}

int
VSB_cat(struct vsb *s, const char *str)
{
	const char *nl;

	vsb_check_open(s);
	AN(str);
	if (s->s_error != 0)
		return (-1);
	/* with an indent, each line must be appended separately */
	while (s->s_indent > 0 && (nl = strchr(str, '\n')) != NULL) {
		if (VSB_bcat(s, str, nl - str + 1) != 0)
			return (-1);
		str = nl + 1;
	}
	return (VSB_bcat(s, str, (ssize_t)strlen(str)));
}

/*
 * vsnprintf for a format of plain text, "%s" and "%%" only, the formats of
 * http_PrintfHeader's callers and most VSB users: the same bytes, count and
 * truncation as glibc's (a NULL string is "(null)"), without its machinery.
 * Returns -2, having read no argument, for any other format.
 */
static int
vsb_format_strings(char *buf, size_t size, const char *fmt, va_list ap)
{
	const char *f, *a;
	size_t n = 0, len;

	for (f = fmt; *f != '\0'; f++)
		if (*f == '%' && (f[1] == 's' || f[1] == '%'))
			f++;
		else if (*f == '%')
			return (-2);
	for (f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			a = f;
			len = 1;
		} else if (*++f == '%') {
			a = f;
			len = 1;
		} else {
			a = va_arg(ap, const char *);
			if (a == NULL)
				a = "(null)";
			len = strlen(a);
		}
		if (size > 0 && n < size - 1)
			memcpy(buf + n, a, n + len < size - 1 ? len : size - 1 - n);
		n += len;
		if (n > INT32_MAX) {
			errno = EOVERFLOW;
			return (-1);
		}
	}
	if (size > 0)
		buf[n < size - 1 ? n : size - 1] = '\0';
	return ((int)n);
}

int
VSB_vprintf(struct vsb *s, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	vsb_check_open(s);
	AN(fmt);
	if (s->s_error != 0 || vsb_line_start(s) != 0)
		return (-1);
	/*
	 * Formatted straight into the room left first: when it fits (nearly
	 * always: workspace VSBs, http_PrintfHeader) that is the whole job,
	 * one vsnprintf instead of a measuring one and a writing one.
	 */
	va_copy(aq, ap);
	if (vsb_room(s) >= 0) {
		n = vsb_format_strings(s->s_buf + s->s_len,
		    (size_t)(vsb_room(s) + 1), fmt, aq);
		if (n == -2)
			n = vsnprintf(s->s_buf + s->s_len,
			    (size_t)(vsb_room(s) + 1), fmt, aq);
	} else
		n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0) {
		s->s_error = errno != 0 ? errno : EINVAL;
		return (-1);
	}
	if (n <= vsb_room(s)) {
		s->s_len += n;
		if (vsb_room(s) == 0 && !(s->s_flags & VSB_AUTOEXTEND)) {
			s->s_error = ENOMEM;
			return (-1);
		}
		return (0);
	}
	if (vsb_reserve(s, n) != 0) {
		/* fixed buffer: keep what fits, like Varnish, but flag it */
		if (s->s_flags & VSB_AUTOEXTEND)
			return (-1);
		va_copy(aq, ap);
		(void)vsnprintf(s->s_buf + s->s_len,
		    (size_t)(vsb_room(s) + 1), fmt, aq);
		va_end(aq);
		s->s_len += vsb_room(s);
		return (-1);
	}
	va_copy(aq, ap);
	(void)vsnprintf(s->s_buf + s->s_len, (size_t)n + 1, fmt, aq);
	va_end(aq);
	s->s_len += n;
	/* a fixed buffer filled to the last byte counts as overflowed */
	if (vsb_room(s) == 0 && !(s->s_flags & VSB_AUTOEXTEND)) {
		s->s_error = ENOMEM;
		return (-1);
	}
	return (0);
}

int
VSB_printf(struct vsb *s, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = VSB_vprintf(s, fmt, ap);
	va_end(ap);
	return (r);
}

int
VSB_putc(struct vsb *s, int c)
{
	char ch = (char)c;

	vsb_check_open(s);
	if (s->s_error != 0)
		return (-1);
	if (vsb_line_start(s) != 0 || vsb_reserve(s, 1) != 0)
		return (-1);
	s->s_buf[s->s_len++] = ch;
	return (0);
}

int
VSB_error(const struct vsb *s)
{

	vsb_check(s);
	return (s->s_error);
}

int
VSB_finish(struct vsb *s)
{

	vsb_check_open(s);
	s->s_buf[s->s_len] = '\0';
	s->s_flags |= VSB_FINISHED;
	errno = s->s_error;
	return (s->s_error != 0 ? -1 : 0);
}

char *
VSB_data(const struct vsb *s)
{

	vsb_check(s);
	AN(s->s_flags & VSB_FINISHED);
	return (s->s_buf);
}

ssize_t
VSB_len(const struct vsb *s)
{

	vsb_check(s);
	if (s->s_error != 0)
		return (-1);
	return (s->s_len);
}

/* Writes a finished buffer's bytes to fd, all of them: 0, or -1 (errno) on an error. */
int
VSB_tofile(const struct vsb *s, int fd)
{
	const char *p;
	size_t left;
	ssize_t n;

	vsb_check(s);
	AN(s->s_flags & VSB_FINISHED);
	p = s->s_buf;
	left = (size_t)s->s_len;
	while (left > 0) {
		n = write(fd, p, left);
		if (n < 0)
			return (-1);
		assert((size_t)n <= left);
		p += n;
		left -= (size_t)n;
	}
	return (0);
}

void
VSB_fini(struct vsb *s)
{

	vsb_check(s);
	AZ(s->s_flags & VSB_DYNAMIC);
	AZ(s->s_flags & VSB_DYNSTRUCT);
	memset(s, 0, sizeof *s);
}

void
VSB_destroy(struct vsb **sp)
{
	struct vsb *s;

	AN(sp);
	s = *sp;
	vsb_check(s);
	AN(s->s_flags & VSB_DYNAMIC);
	AN(s->s_flags & VSB_DYNSTRUCT);
	free(s->s_buf);
	memset(s, 0, sizeof *s);
	free(s);
	*sp = NULL;
}

void
VSB_indent(struct vsb *s, int i)
{

	vsb_check(s);
	if (s->s_indent + i < 0)
		s->s_error = EINVAL;
	else
		s->s_indent += i;
}

/* ---- quoting ---- */

static void
vsb_quote_hex(struct vsb *s, const uint8_t *u, int len)
{
	int i, allzero = 1;

	VSB_cat(s, "0x");
	for (i = 0; i < len && allzero; i++)
		allzero = (u[i] == 0);
	if (allzero && len > 4) {
		VSB_cat(s, "0...0");
		return;
	}
	for (i = 0; i < len; i++)
		VSB_printf(s, "%02x", u[i]);
}

/* Does byte c force the escaping path in mode `how`? */
static int
vsb_needs_quote(uint8_t c, int how)
{

	if (c < 0x20 || c == '"' || c == '\\')
		return (1);
	if (c == '?' && (how & VSB_QUOTE_CSTR))
		return (1);
	if (c > 0x7e && !(how & VSB_QUOTE_JSON))
		return (1);
	if ((how & VSB_QUOTE_CLI) && isspace(c))
		return (1);
	return (0);
}

/* Emit one byte of the escaping path; returns 1 if it ended an output line. */
static int
vsb_quote_byte(struct vsb *s, const char *pfx, uint8_t c, int how)
{

	switch (c) {
	case '?':
		/* "??x" would be a C trigraph */
		if ((how & VSB_QUOTE_CSTR) && !(how & VSB_QUOTE_JSON))
			VSB_putc(s, '\\');
		VSB_putc(s, c);
		return (0);
	case '"':
	case '\\':
		if (!(how & VSB_QUOTE_UNSAFE))
			VSB_putc(s, '\\');
		VSB_putc(s, c);
		return (0);
	case '\n':
		if (how & VSB_QUOTE_CSTR) {
			VSB_printf(s, "\\n\"\n%s\"", pfx);
		} else if (how & VSB_QUOTE_JSON) {
			VSB_cat(s, "\\n");
		} else if (how & VSB_QUOTE_NONL) {
			VSB_putc(s, '\n');
			return (1);
		} else {
			VSB_cat(s, "\\n");
		}
		return (0);
	case '\r':
		VSB_cat(s, "\\r");
		return (0);
	case '\t':
		VSB_cat(s, "\\t");
		return (0);
	default:
		break;
	}
	if ((c >= 0x20 && c <= 0x7e) || (c > 0x7e && (how & VSB_QUOTE_JSON)))
		VSB_putc(s, c);
	else if (how & VSB_QUOTE_JSON)
		VSB_printf(s, "\\u%04x", c);
	else if (how & VSB_QUOTE_ESCHEX)
		VSB_printf(s, "\\x%02x", c);
	else
		VSB_printf(s, "\\%03o", c);
	return (0);
}

void
VSB_quote_pfx(struct vsb *s, const char *pfx, const void *v, int len, int how)
{
	const int modes = VSB_QUOTE_JSON | VSB_QUOTE_HEX | VSB_QUOTE_CSTR |
	    VSB_QUOTE_UNSAFE;
	const uint8_t *p = v;
	int i, escape = 0, dquote, at_nl = 0;

	AN(pfx);
	AN(p);
	AZ((how & modes) & ((how & modes) - 1));	/* one mode at most */
	if (how & VSB_QUOTE_ESCHEX)
		AZ(how & (VSB_QUOTE_JSON | VSB_QUOTE_HEX));
	if (how & VSB_QUOTE_UNSAFE)
		how |= VSB_QUOTE_NONL;
	if (len == -1)
		len = (int)strlen(v);
	assert(len >= 0);

	if (len == 0) {
		if (how & VSB_QUOTE_CSTR) {
			VSB_printf(s, "%s\"\"", pfx);
			if (how & VSB_QUOTE_NONL)
				VSB_putc(s, '\n');
		}
		return;
	}

	VSB_cat(s, pfx);
	if (how & VSB_QUOTE_HEX) {
		vsb_quote_hex(s, p, len);
		if (how & VSB_QUOTE_NONL)
			VSB_putc(s, '\n');
		return;
	}

	for (i = 0; i < len && !escape; i++)
		escape = vsb_needs_quote(p[i], how);
	dquote = (how & VSB_QUOTE_CSTR) || ((how & VSB_QUOTE_CLI) && escape);
	if (dquote)
		VSB_putc(s, '"');

	if (!escape) {
		VSB_bcat(s, p, len);
		if ((how & VSB_QUOTE_NONL) && p[len - 1] != '\n')
			VSB_putc(s, '\n');
		if (how & VSB_QUOTE_CSTR)
			VSB_putc(s, '"');
		return;
	}

	for (i = 0; i < len; i++) {
		if (at_nl)
			VSB_cat(s, pfx);
		at_nl = vsb_quote_byte(s, pfx, p[i], how);
	}
	if (dquote)
		VSB_putc(s, '"');
	if ((how & VSB_QUOTE_NONL) && !at_nl)
		VSB_putc(s, '\n');
}

void
VSB_quote(struct vsb *s, const void *v, int len, int how)
{

	VSB_quote_pfx(s, "", v, len, how);
}
