/* tbl/vcc_feature_bits.h -- X-macro table (Varnish 8.0.0): the vcc_feature parameter's bits.
 * VCC_FEATURE_BIT(UPPER, lower, description); descriptions are "". */

VCC_FEATURE_BIT(ERR_UNREF, err_unref, "")
VCC_FEATURE_BIT(ALLOW_INLINE_C, allow_inline_c, "")
VCC_FEATURE_BIT(UNSAFE_PATH, unsafe_path, "")
#undef VCC_FEATURE_BIT
