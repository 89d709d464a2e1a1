/* vbm.h -- self-sizing bitmap with Varnish's vbit_* names; vmod_directors keeps its set
 * of healthy backends in one. Header-only plain C, usable from C++; grows in whole
 * VBITMAP_LUMP steps, and reading past the end yields 0. */

#ifndef VBM_H_INCLUDED
#define VBM_H_INCLUDED

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vas.h"

#define VBITMAP_TYPE	unsigned	/* one storage word */
#define VBITMAP_LUMP	(1024)		/* growth granularity in bits */
#define VBITMAP_WORD	(sizeof(VBITMAP_TYPE) * 8)
#define VBITMAP_IDX(n)	((n) / VBITMAP_WORD)
#define VBITMAP_BIT(n)	(1U << ((n) % VBITMAP_WORD))

struct vbitmap {
	unsigned	flags;
#define VBITMAP_FL_MALLOC	(1U << 0)	/* the struct itself is ours to free */
#define VBITMAP_FL_MALLOC_BITS	(1U << 1)	/* bits[] is ours to free */
	VBITMAP_TYPE	*bits;
	unsigned	nbits;
};

static inline unsigned
vbit_rndup(unsigned bit, unsigned to)
{
	unsigned r = bit + to - 1;

	return (r - r % to);
}

/* Bytes needed by vbit_init() for a map of at least b bits. */
#define VBITMAP_SZ(b) (sizeof(struct vbitmap) + vbit_rndup(b, VBITMAP_WORD))

/* Grow so that at least `bit` bits exist; new bits are clear. */
static inline void
vbit_expand(struct vbitmap *vb, unsigned bit)
{
	unsigned newbits = vbit_rndup(bit, VBITMAP_LUMP);
	size_t oldsz = vb->nbits / 8, newsz = newbits / 8;
	unsigned char *p;

	assert(newbits > vb->nbits);
	if (vb->flags & VBITMAP_FL_MALLOC_BITS) {
		p = (unsigned char *)realloc(vb->bits, newsz);
		AN(p);
	} else {
		/* bits[] was caller memory (vbit_init) or absent: copy out */
		p = (unsigned char *)malloc(newsz);
		AN(p);
		if (oldsz > 0)
			memcpy(p, vb->bits, oldsz);
	}
	memset(p + oldsz, 0, newsz - oldsz);
	vb->bits = (VBITMAP_TYPE *)(void *)p;
	vb->nbits = newbits;
	vb->flags |= VBITMAP_FL_MALLOC_BITS;
}

/* Lay a bitmap over caller memory of sz bytes (see VBITMAP_SZ); NULL if too small. */
static inline struct vbitmap *
vbit_init(void *p, size_t sz)
{
	struct vbitmap *vb = (struct vbitmap *)p;
	size_t room;

	if (sz < sizeof *vb)
		return (NULL);
	memset(p, 0, sz);
	room = sz - sizeof *vb;
	vb->nbits = (unsigned)((room / VBITMAP_WORD) * VBITMAP_WORD);
	if (vb->nbits > 0)
		vb->bits = (VBITMAP_TYPE *)(void *)((char *)p + sizeof *vb);
	return (vb);
}

/* Heap bitmap with room for `initial` bits (one lump if 0). */
static inline struct vbitmap *
vbit_new(unsigned initial)
{
	struct vbitmap *vb = (struct vbitmap *)calloc(1, sizeof *vb);

	AN(vb);
	vb->flags = VBITMAP_FL_MALLOC;
	vbit_expand(vb, initial == 0 ? VBITMAP_LUMP : initial);
	return (vb);
}

static inline void
vbit_destroy(struct vbitmap *vb)
{

	if (vb == NULL)
		return;
	if (vb->flags & VBITMAP_FL_MALLOC_BITS) {
		free(vb->bits);
		vb->bits = NULL;
		vb->nbits = 0;
	}
	if (vb->flags & VBITMAP_FL_MALLOC)
		free(vb);
}

static inline void
vbit_set(struct vbitmap *vb, unsigned bit)
{

	if (bit >= vb->nbits)
		vbit_expand(vb, bit + 1);
	vb->bits[VBITMAP_IDX(bit)] |= VBITMAP_BIT(bit);
}

static inline void
vbit_clr(const struct vbitmap *vb, unsigned bit)
{

	if (bit < vb->nbits)
		vb->bits[VBITMAP_IDX(bit)] &= ~VBITMAP_BIT(bit);
}

/* Non-zero (the bit's mask, as Varnish returns it) when set. */
static inline int
vbit_test(const struct vbitmap *vb, unsigned bit)
{

	if (bit >= vb->nbits)
		return (0);
	return ((int)(vb->bits[VBITMAP_IDX(bit)] & VBITMAP_BIT(bit)));
}

#endif /* VBM_H_INCLUDED */
