/* tbl/vhd_return.h -- X-macro table (Varnish 8.0.0): the HPACK decoder's return codes.
 * VHD_RET(NAME, value, description); descriptions are "". */

VHD_RET(ERR_ARG, -1, "")
VHD_RET(ERR_INT, -2, "")
VHD_RET(ERR_IDX, -3, "")
VHD_RET(ERR_LEN, -4, "")
VHD_RET(ERR_HUF, -5, "")
VHD_RET(ERR_UPD, -6, "")
VHD_RET(OK, 0, "")
VHD_RET(MORE, 1, "")
VHD_RET(NAME, 2, "")
VHD_RET(VALUE, 3, "")
VHD_RET(NAME_SEC, 4, "")
VHD_RET(VALUE_SEC, 5, "")
VHD_RET(BUF, 6, "")
VHD_RET(AGAIN, 7, "")
#undef VHD_RET
