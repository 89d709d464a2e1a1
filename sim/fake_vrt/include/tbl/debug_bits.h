/* tbl/debug_bits.h -- X-macro table (Varnish 8.0.0): the debug parameter's bits.
 * DEBUG_BIT(UPPER, lower, description); descriptions are "". */

DEBUG_BIT(REQ_STATE, req_state, "")
DEBUG_BIT(WORKSPACE, workspace, "")
DEBUG_BIT(WAITINGLIST, waitinglist, "")
DEBUG_BIT(SYNCVSL, syncvsl, "")
DEBUG_BIT(HASHEDGE, hashedge, "")
DEBUG_BIT(VCLREL, vclrel, "")
DEBUG_BIT(LURKER, lurker, "")
DEBUG_BIT(ESI_CHOP, esi_chop, "")
DEBUG_BIT(FLUSH_HEAD, flush_head, "")
DEBUG_BIT(VTC_MODE, vtc_mode, "")
DEBUG_BIT(WITNESS, witness, "")
DEBUG_BIT(VSM_KEEP, vsm_keep, "")
DEBUG_BIT(SLOW_ACCEPTOR, slow_acceptor, "")
DEBUG_BIT(H2_NOCHECK, h2_nocheck, "")
DEBUG_BIT(VMOD_SO_KEEP, vmod_so_keep, "")
DEBUG_BIT(PROCESSORS, processors, "")
DEBUG_BIT(PROTOCOL, protocol, "")
DEBUG_BIT(VCL_KEEP, vcl_keep, "")
DEBUG_BIT(LCK, lck, "")
#undef DEBUG_BIT
