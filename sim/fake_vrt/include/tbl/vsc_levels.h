/* tbl/vsc_levels.h -- X-macro table (Varnish 8.0.0): the counter levels.
 * VSC_LEVEL_F(lower, label, short description, long description); descriptions are "". */

VSC_LEVEL_F(info, "INFO", "", "")
VSC_LEVEL_F(diag, "DIAG", "", "")
VSC_LEVEL_F(debug, "DEBUG", "", "")
#undef VSC_LEVEL_F
