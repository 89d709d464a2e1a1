/* vapi/vsl_int.h -- Varnish 8.0.0's shared-log record layout and the SLT_* tag
 * numbers (enum VSL_tag_e, from tbl/vsl_tags.h). cache/cache.h includes it for the
 * tags vmods pass to VSLb(); vdisim writes no shared memory, so the layout macros are
 * here for code that names them. */

#ifndef VAPI_VSL_INT_H_INCLUDED
#define VAPI_VSL_INT_H_INCLUDED

#define VSL_CLASS		"Log"
#define VSL_SEGMENTS		8U

/*
 * A record: word 0 holds tag (8 bits), version (2 bits) and length (16 bits);
 * words 1-2 the 64-bit vxid with the client/backend marker bits; then the
 * NUL-terminated payload, padded to whole words.
 */
#define VSL_CLIENTMARKER	(1ULL<<62)
#define VSL_BACKENDMARKER	(1ULL<<63)
#define VSL_IDENTMASK		((1ULL<<51)-1)

#define VSL_LENMASK		0xffff
#define VSL_VERMASK		0x3
#define VSL_VERSHIFT		16
#define VSL_IDMASK		0xff
#define VSL_IDSHIFT		24
#define VSL_OVERHEAD		3U
#define VSL_VERSION_2		0x0
#define VSL_VERSION_3		0x1

#define VSL_WORDS(len)		(((len) + 3) / 4)
#define VSL_BYTES(words)	((words) * 4)
#define VSL_END(ptr, len)	((ptr) + VSL_OVERHEAD + VSL_WORDS(len))
#define VSL_NEXT(ptr)		VSL_END(ptr, VSL_LEN(ptr))
#define VSL_LEN(ptr)		((uint16_t)((ptr)[0] & VSL_LENMASK))
#define VSL_VER(ptr)		(((ptr)[0] >> VSL_VERSHIFT) & VSL_VERMASK)
#define VSL_TAG(ptr)		((enum VSL_tag_e)((ptr)[0] >> VSL_IDSHIFT))
#define VSL_ID64(ptr)		(((uint64_t)((ptr)[2]) << 32) | ((ptr)[1]))
#define VSL_ID(ptr)		(VSL_ID64(ptr) & VSL_IDENTMASK)
#define VSL_CLIENT(ptr)		(((ptr)[2]) & (VSL_CLIENTMARKER >> 32))
#define VSL_BACKEND(ptr)	(((ptr)[2]) & (VSL_BACKENDMARKER >> 32))
#define VSL_DATA(ptr)		((char *)((ptr) + VSL_OVERHEAD))
#define VSL_CDATA(ptr)		((const char *)((ptr) + VSL_OVERHEAD))
#define VSL_BATCHLEN(ptr)	((ptr)[1])
#define VSL_BATCHID(ptr)	(VSL_ID((ptr) + VSL_OVERHEAD))

/* Markers in the log ring: the reserved tag over "EEE" (end) and "WWW" (wrap). */
#define VSL_ENDMARKER	(((uint32_t)SLT__Reserved << 24) | 0x454545)
#define VSL_WRAPMARKER	(((uint32_t)SLT__Reserved << 24) | 0x575757)

/* SLT_<name> numbers run from 1 in table order; 254 and 255 are reserved. */
#define SLT__MAX 256
enum VSL_tag_e {
	SLT__Bogus = 0,
#define SLTM(name, flags, sdesc, ldesc)	SLT_##name,
#include "tbl/vsl_tags.h"
	SLT__Reserved = 254,
	SLT__Batch = 255
};

/* Flags column of tbl/vsl_tags.h. */
#define SLT_F_UNUSED		(1 << 0)
#define SLT_F_UNSAFE		(1 << 1)
#define SLT_F_BINARY		(1 << 2)

#endif /* VAPI_VSL_INT_H_INCLUDED */
