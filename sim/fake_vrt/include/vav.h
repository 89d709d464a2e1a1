/* vav.h -- Varnish's argument-vector parser (VAV_*) for vdisim: splits a string into
 * words with quotes, backslash escapes and optional comments/commas. argv[0] is NULL
 * or an error text, the words follow, NULL-terminated. Used by vmods parsing options. */

#ifndef VAV_H_INCLUDED
#define VAV_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

void VAV_Free(char **argv);
char **VAV_ParseTxt(const char *b, const char *e, int *argc, int flag);
char **VAV_Parse(const char *s, int *argc, int flag);
/* A malloc'ed copy of [s, e) with escapes decoded; NULL (errno EINVAL) if one is bad. */
char *VAV_BackSlashDecode(const char *s, const char *e);
/* Length of the escape at s (0: invalid), the character it stands for in *res. */
int VAV_BackSlash(const char *s, char *res);
#define ARGV_COMMENT	(1 << 0)	/* '#' starting a word ends the input */
#define ARGV_COMMA	(1 << 1)	/* ',' separates words too */
#define ARGV_NOESC	(1 << 2)	/* no quotes, no backslashes */

#ifdef __cplusplus
}
#endif

#endif /* VAV_H_INCLUDED */
