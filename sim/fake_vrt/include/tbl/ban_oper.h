/* tbl/ban_oper.h -- X-macro table (Varnish 8.0.0): the ban operators.
 * OPER(name, text). */

OPER(BANS_OPER_EQ, "==")
OPER(BANS_OPER_NEQ, "!=")
OPER(BANS_OPER_MATCH, "~")
OPER(BANS_OPER_NMATCH, "!~")
OPER(BANS_OPER_GT, ">")
OPER(BANS_OPER_GTE, ">=")
OPER(BANS_OPER_LT, "<")
OPER(BANS_OPER_LTE, "<=")
#undef OPER
