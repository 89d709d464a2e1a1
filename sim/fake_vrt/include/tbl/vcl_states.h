/* tbl/vcl_states.h -- X-macro table of the VCL states an operator can set with
 * vcl.state (the management process also has a private LABEL state).
 * VCL_STATE(UPPER, "name"). */

/*lint -save -e525 -e539 */

VCL_STATE(COLD, "cold")
VCL_STATE(WARM, "warm")
VCL_STATE(AUTO, "auto")

#undef VCL_STATE

/*lint -restore */
