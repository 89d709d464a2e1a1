/* tbl/vrt_stv_var.h -- X-macro table of the storage.<name>.* variables VCL can read
 * in 8.0.0: VRTSTVVAR(field, VCL type, C type, value without a stevedore). */

/*lint -save -e525 -e539 */

VRTSTVVAR(free_space,	BYTES,	int64_t,	0)
VRTSTVVAR(used_space,	BYTES,	int64_t,	0)
VRTSTVVAR(happy,	BOOL,	unsigned,	1)

#undef VRTSTVVAR

/*lint -restore */
