/* tbl/experimental_bits.h -- X-macro table (Varnish 8.0.0): the experimental parameter's bits.
 * EXPERIMENTAL_BIT(UPPER, lower, description); descriptions are "". */

EXPERIMENTAL_BIT(DROP_POOLS, drop_pools, "")
#undef EXPERIMENTAL_BIT
