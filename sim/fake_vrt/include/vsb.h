/* vsb.h -- Varnish's string buffer (VSB) API: director .list/.panic output, runtime CLI
 * text. Implemented in plain C by sim/fake_vrt/vsb.c (malloc, no runtime hooks); a write
 * that does not fit a fixed buffer sets a sticky ENOMEM, never truncates silently. */

#ifndef VSB_H_INCLUDED
#define VSB_H_INCLUDED

#include <stdarg.h>
#include <sys/types.h>

#include "vdef.h"

struct vsb {
	unsigned	magic;
#define VSB_MAGIC	0x4a82dd8a
	int		s_error;	/* sticky errno value, 0 if none */
	char		*s_buf;
	ssize_t		s_size;		/* bytes in s_buf, including the NUL slot */
	ssize_t		s_len;		/* bytes of text so far */
#define VSB_FIXEDLEN	0x00000000	/* caller's buffer, never grows */
#define VSB_AUTOEXTEND	0x00000001	/* grows with realloc */
#define VSB_USRFLAGMSK	0x0000ffff
#define VSB_DYNAMIC	0x00010000	/* s_buf is ours to free */
#define VSB_FINISHED	0x00020000	/* VSB_finish() was called */
#define VSB_DYNSTRUCT	0x00080000	/* the struct is ours to free */
	int		s_flags;
	int		s_indent;	/* spaces put at the start of each line */
};

#ifdef __cplusplus
extern "C" {
#endif

/* Fixed buffer of length bytes (room for length - 1 characters). */
struct vsb *VSB_init(struct vsb *s, void *buf, ssize_t length);
/* Heap struct and buffer; release with VSB_destroy(). */
struct vsb *VSB_new_auto(void);
void VSB_clear(struct vsb *s);
int VSB_bcat(struct vsb *s, const void *buf, ssize_t len);
int VSB_cat(struct vsb *s, const char *str);
int VSB_printf(struct vsb *s, const char *fmt, ...) v_printflike_(2, 3);
int VSB_vprintf(struct vsb *s, const char *fmt, va_list ap)
    v_printflike_(2, 0);
int VSB_putc(struct vsb *s, int c);
int VSB_error(const struct vsb *s);
/* NUL-terminate; 0, or -1 with errno set if any write failed. */
int VSB_finish(struct vsb *s);
/* Only after VSB_finish(). */
char *VSB_data(const struct vsb *s);
/* -1 if the buffer is in error. */
ssize_t VSB_len(const struct vsb *s);
/* Writes a finished buffer to fd: 0, or -1 with errno. */
int VSB_tofile(const struct vsb *s, int fd);
/* Forget a VSB_init() buffer (the memory stays the caller's). */
void VSB_fini(struct vsb *s);
void VSB_destroy(struct vsb **s);

/* VSB_quote() modes: at most one of JSON, HEX, CSTR, UNSAFE. */
#define VSB_QUOTE_PLAIN		0	/* one line, C-style escapes */
#define VSB_QUOTE_NONL		1	/* modifier: end with '\n' */
#define VSB_QUOTE_JSON		2	/* JSON string body, \uXXXX controls */
#define VSB_QUOTE_HEX		4	/* 0x..., all-zero data as 0x0...0 */
#define VSB_QUOTE_CSTR		8	/* C string literal(s), split at '\n' */
#define VSB_QUOTE_UNSAFE	16	/* display: no \" \\, keep newlines */
#define VSB_QUOTE_ESCHEX	32	/* modifier: \xHH instead of \ooo */
#define VSB_QUOTE_CLI		64	/* modifier: add "" when needed */

/* len == -1 means strlen(v). pfx starts the output and each continued line. */
void VSB_quote_pfx(struct vsb *s, const char *pfx, const void *v, int len,
    int how);
void VSB_quote(struct vsb *s, const void *v, int len, int how);
/* Change the indent by i (may be negative; below 0 is an EINVAL error). */
void VSB_indent(struct vsb *s, int i);

#ifdef __cplusplus
}
#endif

#endif /* VSB_H_INCLUDED */
