/* vre.h -- Varnish's regular expressions (VRE_*) for vdisim, over PCRE2 (8-bit):
 * compile, match, capture, substitute, quote. Vmods that take regex arguments use
 * it; vlib/vre.c. A vre_t is not thread-safe when limits are passed (none are). */

#ifndef VRE_H_INCLUDED
#define VRE_H_INCLUDED

#include <stddef.h>

#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VRE_ERROR_LEN	128

struct vre;
struct vsb;

struct vre_limits {
	unsigned	match;
	unsigned	depth;
};

typedef struct vre vre_t;

/* PCRE2's "no match" result. */
extern const int VRE_ERROR_NOMATCH;

/* PCRE2's case-insensitive compile option. */
extern const unsigned VRE_CASELESS;

/* (pattern, PCRE2 options, &error code, &error offset, jit) */
vre_t *VRE_compile(const char *, unsigned, int *, int *, unsigned);
/* One malloc'ed block holding the compiled pattern; *sz gets its size. */
vre_t *VRE_export(const vre_t *, size_t *);
int VRE_error(struct vsb *, int err);
/* length 0: subject is NUL-terminated. */
int VRE_match(const vre_t *code, const char *subject, size_t length,
    int options, const volatile struct vre_limits *lim);
/* Fills up to count groups (unset ones as ""); returns how many, or <= 0. */
int VRE_capture(const vre_t *code, const char *subject, size_t length,
    int options, txt *groups, size_t count,
    const volatile struct vre_limits *lim);
/* replacement may name groups \0 to \9; all: every match, not just the first. */
int VRE_sub(const vre_t *code, const char *subject, const char *replacement,
    struct vsb *vsb, const volatile struct vre_limits *lim, int all);
void VRE_free(vre_t **);
/* src as a pattern matching itself literally. */
void VRE_quote(struct vsb *, const char *);

#ifdef __cplusplus
}
#endif

#endif /* VRE_H_INCLUDED */
