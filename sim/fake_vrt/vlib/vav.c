/* vav.c -- vdisim's VAV_* (vav.h), with Varnish 8.0.0's splitting rules and error
 * texts. Strings handed out come from vdisim_malloc, so director code may free()
 * them (cache.h maps free to vdisim_free). */

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "vdef.h"
#include "vas.h"
#include "vav.h"
#include "vnum.h"
#include "vdisim_alloc.h"

static char vav_e_backslash[] = "Invalid backslash sequence";
static char vav_e_quote[] = "Invalid '\"'";
static char vav_e_noquote[] = "Missing '\"'";
static char vav_e_nosep[] = "Missing separator between arguments";

static int
vav_octal(char c)
{

	return (c >= '0' && c <= '7');
}

/* The escape at s (s[0] == '\\') within [s, e): its length, 0 when invalid. */
static int
vav_escape(const char *s, const char *e, char *res)
{
	static const char plain[] = "n\nr\rt\t\"\"\\\\";
	const char *q, *stop;
	unsigned v = 0;
	int len = 0;
	ssize_t h;

	AN(s);
	if (e == NULL)
		e = s + strlen(s);
	if (e - s < 2)
		return (0);
	assert(*s == '\\');
	for (q = plain; *q != '\0'; q += 2) {
		if (s[1] == q[0]) {
			v = (unsigned char)q[1];
			len = 2;
			break;
		}
	}
	if (len == 0 && vav_octal(s[1])) {
		/* one to three octal digits */
		for (len = 1; len < 4 && s + len < e && vav_octal(s[len]); len++)
			v = (v << 3) | (unsigned)(s[len] - '0');
	} else if (len == 0 && s[1] == 'x' && e - s >= 4) {
		/* exactly two hex digits */
		h = VNUM_hex(s + 2, s + 4, &stop);
		if (h >= 0 && stop == s + 4) {
			v = (unsigned)h;
			len = 4;
		}
	}
	if (res != NULL)
		*res = (char)v;
	return (len);
}

int
VAV_BackSlash(const char *s, char *res)
{

	return (vav_escape(s, NULL, res));
}

char *
VAV_BackSlashDecode(const char *s, const char *e)
{
	char *out, *w;
	int n;

	AN(s);
	if (e == NULL)
		e = s + strlen(s);
	out = vdisim_malloc((size_t)(e - s) + 1);
	if (out == NULL)
		return (NULL);
	for (w = out; s < e; w++) {
		if (*s != '\\') {
			*w = *s++;
			continue;
		}
		n = vav_escape(s, e, w);
		if (n == 0) {
			vdisim_free(out);
			errno = EINVAL;
			return (NULL);
		}
		s += n;
	}
	*w = '\0';
	return (out);
}

struct vav_out {
	char	**v;
	int	n;		/* slots used, argv[0] included */
	int	cap;
};

static void
vav_push(struct vav_out *o, char *word)
{

	AN(word);
	/* keep room for this word, the NULL and one spare slot */
	if (o->n + 2 >= o->cap) {
		o->cap *= 2;
		o->v = vdisim_realloc(o->v, sizeof *o->v * (size_t)o->cap);
		AN(o->v);
	}
	o->v[o->n++] = word;
	o->v[o->n] = NULL;
}

static char *
vav_word(const char *b, const char *e, int flag)
{
	char *w;

	if (!(flag & ARGV_NOESC))
		return (VAV_BackSlashDecode(b, e));
	w = vdisim_malloc((size_t)(e - b) + 1);
	AN(w);
	memcpy(w, b, (size_t)(e - b));
	w[e - b] = '\0';
	return (w);
}

static int
vav_space(char c)
{

	return (isspace((unsigned char)c));
}

/* Scan one word from *bp. Returns an error text or NULL; *sepp is the character
 * that ended it (space, comma or closing quote), NULL at the end of input. */
static char *
vav_scan(const char **bp, const char *e, int flag, const char **wb,
    const char **sepp)
{
	const char *b = *bp;
	int esc = !(flag & ARGV_NOESC), quoted = 0, n;

	*sepp = NULL;
	if (esc && *b == '"') {
		quoted = 1;
		b++;
	}
	*wb = b;
	for (; b < e; b++) {
		if (esc && *b == '\\') {
			n = vav_escape(b, e, NULL);
			if (n == 0)
				return (vav_e_backslash);
			b += n - 1;
		} else if (quoted && *b == '"') {
			*sepp = b;
			break;
		} else if (!quoted && (vav_space(*b) ||
		    ((flag & ARGV_COMMA) && *b == ','))) {
			*sepp = b;
			break;
		} else if (!quoted && esc && *b == '"') {
			return (vav_e_quote);
		}
	}
	*bp = b;
	if (quoted && *sepp == NULL)
		return (vav_e_noquote);
	return (NULL);
}

char **
VAV_ParseTxt(const char *b, const char *e, int *argc, int flag)
{
	struct vav_out o;
	const char *sep = NULL, *wb;
	char *err;

	AN(b);
	if (e == NULL)
		e = b + strlen(b);
	o.cap = 16;
	o.n = 1;
	o.v = vdisim_calloc((size_t)o.cap, sizeof *o.v);
	if (o.v == NULL)
		return (NULL);
	while (b < e) {
		if (vav_space(*b)) {
			b++;
			continue;
		}
		/* one comma may follow a space or a closing quote */
		if (sep != NULL && (flag & ARGV_COMMA) && *b == ',' &&
		    (vav_space(*sep) || *sep == '"')) {
			sep = NULL;
			b++;
			continue;
		}
		if (sep != NULL && *sep == '"' && *b == '"' && b - sep < 2) {
			o.v[0] = vav_e_nosep;
			return (o.v);
		}
		sep = NULL;
		if ((flag & ARGV_COMMENT) && *b == '#')
			break;
		err = vav_scan(&b, e, flag, &wb, &sep);
		if (err != NULL) {
			o.v[0] = err;
			return (o.v);
		}
		vav_push(&o, vav_word(wb, b, flag));
		if (b < e)
			b++;		/* past the separator */
	}
	/* a trailing comma means a last, empty word */
	if (sep != NULL && *sep == ',')
		vav_push(&o, vav_word(b, b, flag));
	if (argc != NULL)
		*argc = o.n;
	return (o.v);
}

char **
VAV_Parse(const char *s, int *argc, int flag)
{

	return (VAV_ParseTxt(s, NULL, argc, flag));
}

void
VAV_Free(char **argv)
{
	int i;

	AN(argv);
	for (i = 1; argv[i] != NULL; i++)
		vdisim_free(argv[i]);
	vdisim_free(argv);
}
