/* vte.c -- vdisim's VTE_* (vte.h). Text is kept in a VSB and measured as it comes:
 * per column the widest cell of any finished line, and the longest line. Finishing
 * turns the spare width into a 1..3 space gap; formatting pads every cell that a
 * tab ends, and prints the last cell of each line unpadded. */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vdef.h"
#include "vas.h"
#include "miniobj.h"
#include "vsb.h"
#include "vte.h"

#define VTE_GAP_MIN	1
#define VTE_GAP_MAX	3

struct vte {
	unsigned	magic;
#define VTE_MAGIC	0xedf42b97
	struct vsb	*vsb;
	ssize_t		scanned;	/* bytes of vsb measured so far */
	int		state;		/* 0 collecting, -1 failed, >0 the gap */
	int		verbatim;	/* the current line starts with a space */
	int		cell;		/* current cell number in the line */
	int		cell_len;
	int		line_len;	/* characters of the line, tabs excluded */
	int		widest_line;
	int		ncols;		/* most cells in a finished line */
	int		maxcells;
	int		target;		/* output width */
	int		*width;		/* widest cell per column */
};

struct vte *
VTE_new(int maxfields, int width)
{
	struct vte *vte;

	assert(maxfields > 0);
	assert(width > 0);
	vte = calloc(1, sizeof *vte);
	if (vte == NULL)
		return (NULL);
	vte->magic = VTE_MAGIC;
	vte->width = calloc((size_t)maxfields, sizeof *vte->width);
	vte->vsb = VSB_new_auto();
	AN(vte->width);
	AN(vte->vsb);
	vte->maxcells = maxfields;
	vte->target = width;
	return (vte);
}

void
VTE_destroy(struct vte **vtep)
{
	struct vte *vte;

	TAKE_OBJ_NOTNULL(vte, vtep, VTE_MAGIC);
	VSB_destroy(&vte->vsb);
	free(vte->width);
	vte->magic = 0;
	free(vte);
}

/* A cell ends (at a tab or newline): widen its column. */
static void
vte_end_cell(struct vte *vte)
{

	if (!vte->verbatim && vte->cell_len > vte->width[vte->cell])
		vte->width[vte->cell] = vte->cell_len;
	vte->cell_len = 0;
}

static int
vte_measure_char(struct vte *vte, char c)
{

	if (vte->line_len == 0 && vte->cell == 0 && vte->cell_len == 0 &&
	    !vte->verbatim && c == ' ')
		vte->verbatim = 1;
	if (c == '\n') {
		vte_end_cell(vte);
		if (!vte->verbatim) {
			vte->ncols = vmax(vte->ncols, vte->cell + 1);
			vte->widest_line = vmax(vte->widest_line,
			    vte->line_len);
		}
		vte->verbatim = vte->cell = vte->line_len = 0;
		return (0);
	}
	if (vte->verbatim)
		return (0);
	if (c == '\t') {
		vte_end_cell(vte);
		if (vte->cell + 1 == vte->maxcells) {
			errno = EOVERFLOW;
			return (-1);
		}
		vte->cell++;
		return (0);
	}
	if (c == '\v' && vte->cell_len == 0)
		return (0);	/* alignment mark, takes no room */
	vte->cell_len++;
	vte->line_len++;
	return (0);
}

/* Measure what the last write appended; any failure sticks. */
static int
vte_after_write(struct vte *vte, int wr)
{
	const char *d;
	ssize_t len;

	if (wr < 0) {
		vte->state = -1;
		return (-1);
	}
	/* the buffer itself: VSB_data() wants a finished VSB */
	d = vte->vsb->s_buf;
	len = vte->vsb->s_len;
	for (; vte->scanned < len; vte->scanned++) {
		if (vte_measure_char(vte, d[vte->scanned]) < 0) {
			vte->state = -1;
			return (-1);
		}
	}
	return (0);
}

int
VTE_putc(struct vte *vte, char c)
{

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	AN(c);
	if (vte->state != 0)
		return (-1);
	return (vte_after_write(vte, VSB_putc(vte->vsb, c)));
}

int
VTE_cat(struct vte *vte, const char *s)
{

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	AN(s);
	if (vte->state != 0)
		return (-1);
	return (vte_after_write(vte, VSB_cat(vte->vsb, s)));
}

int
VTE_printf(struct vte *vte, const char *fmt, ...)
{
	va_list ap;
	int r;

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	AN(fmt);
	if (vte->state != 0)
		return (-1);
	va_start(ap, fmt);
	r = VSB_vprintf(vte->vsb, fmt, ap);
	va_end(ap);
	return (vte_after_write(vte, r));
}

int
VTE_finish(struct vte *vte)
{
	int gap;

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	if (vte->state != 0)
		return (-1);
	if (VSB_finish(vte->vsb) < 0) {
		vte->state = -1;
		return (-1);
	}
	if (vte->ncols == 0) {
		vte->state = INT_MAX;	/* nothing to align */
		return (0);
	}
	gap = (vte->target - vte->widest_line) / vte->ncols;
	vte->state = vlimit_t(int, gap, VTE_GAP_MIN, VTE_GAP_MAX);
	return (0);
}

int
VTE_dump(const struct vte *vte, VTE_format_f *func, void *priv)
{

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	AN(func);
	if (vte->state <= 0)
		return (-1);
	return (func(priv, "%s", VSB_data(vte->vsb)) < 0 ? -1 : 0);
}

/* One line [b, e) without its newline. */
static int
vte_format_line(const struct vte *vte, const char *b, const char *e,
    VTE_format_f *func, void *priv)
{
	const char *t;
	int col, len, pad, right;

	if (*b == ' ')
		return (func(priv, "%.*s", (int)(e - b), b));
	for (col = 0; ; col++) {
		right = (b < e && *b == '\v');
		b += right;
		for (t = b; t < e && *t != '\t'; t++)
			continue;
		len = (int)(t - b);
		if (t == e)	/* the last cell goes out unpadded */
			return (func(priv, "%.*s", len, b));
		pad = vte->width[col] - len;
		assert(pad >= 0);
		if (right && func(priv, "%*s%.*s%*s", pad, "", len, b,
		    vte->state, "") < 0)
			return (-1);
		if (!right && func(priv, "%.*s%*s", len, b,
		    pad + vte->state, "") < 0)
			return (-1);
		b = t + 1;
	}
}

int
VTE_format(const struct vte *vte, VTE_format_f *func, void *priv)
{
	const char *p, *nl;

	CHECK_OBJ_NOTNULL(vte, VTE_MAGIC);
	AN(func);
	if (vte->state <= 0)
		return (-1);
	for (p = VSB_data(vte->vsb); *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			return (vte_format_line(vte, p, strchr(p, '\0'),
			    func, priv) < 0 ? -1 : 0);
		if (vte_format_line(vte, p, nl, func, priv) < 0 ||
		    func(priv, "\n") < 0)
			return (-1);
	}
	return (0);
}
