/* vte.h -- Varnish's column aligner (VTE_*) for vdisim: collect lines of tab-separated
 * fields, then print them with every column padded to its widest cell. A line that
 * starts with a space is printed as is; a cell starting with a vertical tab is
 * right-aligned. vlib/vte.c; used by vmods that print tables in CLI output. */

#ifndef VTE_H_INCLUDED
#define VTE_H_INCLUDED

#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

struct vte;

typedef int VTE_format_f(void *priv, const char *fmt, ...) v_printflike_(2, 3);

/* At most maxfields cells per line; width is the output width aimed for. */
struct vte *VTE_new(int maxfields, int width);
/* Add text: 0, or -1 after any failure (errno EOVERFLOW: too many cells). */
int VTE_putc(struct vte *, char);
int VTE_cat(struct vte *, const char *);
int VTE_printf(struct vte *, const char *, ...) v_printflike_(2, 3);
/* No more text; picks the column gap (1 to 3 spaces). */
int VTE_finish(struct vte *);
/* Aligned output through func; -1 if not finished or func fails. */
int VTE_format(const struct vte *, VTE_format_f *func, void *priv);
/* The text as collected (tabs and all). */
int VTE_dump(const struct vte *, VTE_format_f *func, void *priv);
void VTE_destroy(struct vte **);

#ifdef __cplusplus
}
#endif

#endif /* VTE_H_INCLUDED */
