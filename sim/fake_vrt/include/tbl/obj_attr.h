/* tbl/obj_attr.h -- X-macro tables of Varnish 8.0.0's object attributes and object
 * flags. Each table is expanded only when its macro is defined:
 * OBJ_FIXATTR(UPPER, lower, size), OBJ_VARATTR(UPPER, lower),
 * OBJ_AUXATTR(UPPER, lower), OBJ_FLAG(UPPER, lower, value). */

/*lint -save -e525 -e539 */

#ifdef OBJ_FIXATTR
OBJ_FIXATTR(LEN,		len,		sizeof(uint64_t))
OBJ_FIXATTR(VXID,		vxid,		sizeof(uint64_t))
OBJ_FIXATTR(FLAGS,		flags,		1)
OBJ_FIXATTR(GZIPBITS,		gzipbits,	32)
OBJ_FIXATTR(LASTMODIFIED,	lastmodified,	sizeof(double))
#undef OBJ_FIXATTR
#endif

#ifdef OBJ_VARATTR
OBJ_VARATTR(VARY,	vary)
OBJ_VARATTR(HEADERS,	headers)
#undef OBJ_VARATTR
#endif

#ifdef OBJ_AUXATTR
OBJ_AUXATTR(ESIDATA,	esidata)
#undef OBJ_AUXATTR
#endif

#ifdef OBJ_FLAG
OBJ_FLAG(GZIPED,	gziped,		(1<<1))
OBJ_FLAG(CHGCE,		chgce,		(1<<2))
OBJ_FLAG(IMSCAND,	imscand,	(1<<3))
OBJ_FLAG(ESIPROC,	esiproc,	(1<<4))
#undef OBJ_FLAG
#endif

/*lint -restore */
