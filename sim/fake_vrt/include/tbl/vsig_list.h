/* tbl/vsig_list.h -- X-macro table (Varnish 8.0.0): the signals libvarnishapi arms.
 * VSIG_SIGNAL(UPPER, lower). */

VSIG_SIGNAL(INT, int)
VSIG_SIGNAL(HUP, hup)
VSIG_SIGNAL(TERM, term)
VSIG_SIGNAL(USR1, usr1)
#undef VSIG_SIGNAL
