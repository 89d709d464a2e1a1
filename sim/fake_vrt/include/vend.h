/* vend.h -- vdisim's byte-order helpers with Varnish's vbe and vle names: read and write
 * 16/32/64-bit integers at any alignment in big (vbe) or little (vle) endian order.
 * vmod_directors' shard director hashes with vbe32dec. Inline, no state. */

#ifndef VEND_H_INCLUDED
#define VEND_H_INCLUDED

#include <stdint.h>

/* Byte i of a big-endian field of width w bytes carries bits 8*(w-1-i). */

static __inline uint16_t
vbe16dec(const void *pp)
{
	const uint8_t *b = (const uint8_t *)pp;

	return ((uint16_t)(((unsigned)b[0] << 8) | b[1]));
}

static __inline uint32_t
vbe32dec(const void *pp)
{
	const uint8_t *b = (const uint8_t *)pp;
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v = (v << 8) | b[i];
	return (v);
}

static __inline uint64_t
vbe64dec(const void *pp)
{
	const uint8_t *b = (const uint8_t *)pp;

	return (((uint64_t)vbe32dec(b) << 32) | vbe32dec(b + 4));
}

static __inline uint32_t
vle32dec(const void *pp)
{
	const uint8_t *b = (const uint8_t *)pp;
	uint32_t v = 0;
	int i;

	for (i = 3; i >= 0; i--)
		v = (v << 8) | b[i];
	return (v);
}

static __inline void
vbe16enc(void *pp, uint16_t u)
{
	uint8_t *b = (uint8_t *)pp;

	b[0] = (uint8_t)(u >> 8);
	b[1] = (uint8_t)u;
}

static __inline void
vbe32enc(void *pp, uint32_t u)
{
	uint8_t *b = (uint8_t *)pp;
	int i;

	for (i = 3; i >= 0; i--, u >>= 8)
		b[i] = (uint8_t)u;
}

static __inline void
vbe64enc(void *pp, uint64_t u)
{
	uint8_t *b = (uint8_t *)pp;

	vbe32enc(b, (uint32_t)(u >> 32));
	vbe32enc(b + 4, (uint32_t)u);
}

static __inline void
vle16enc(void *pp, uint16_t u)
{
	uint8_t *b = (uint8_t *)pp;

	b[0] = (uint8_t)u;
	b[1] = (uint8_t)(u >> 8);
}

static __inline void
vle32enc(void *pp, uint32_t u)
{
	uint8_t *b = (uint8_t *)pp;
	int i;

	for (i = 0; i < 4; i++, u >>= 8)
		b[i] = (uint8_t)u;
}

#endif /* VEND_H_INCLUDED */
