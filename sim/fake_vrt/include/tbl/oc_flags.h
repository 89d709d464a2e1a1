/* tbl/oc_flags.h -- X-macro table of struct objcore's flags bits,
 * OC_FLAG(UPPER, lower, bit). Expanded by cache/cache.h. */

/*lint -save -e525 -e539 */

OC_FLAG(WITHDRAWN,	withdrawn,	(1<<0))
OC_FLAG(BUSY,		busy,		(1<<1))
OC_FLAG(HFM,		hfm,		(1<<2))
OC_FLAG(HFP,		hfp,		(1<<3))
OC_FLAG(CANCEL,		cancel,		(1<<4))
OC_FLAG(PRIVATE,	private,	(1<<5))
OC_FLAG(FAILED,		failed,		(1<<6))
OC_FLAG(DYING,		dying,		(1<<7))

#undef OC_FLAG

/*lint -restore */
