/* tbl/feature_bits.h -- X-macro table (Varnish 8.0.0): the feature parameter's bits.
 * FEATURE_BIT(UPPER, lower, description); descriptions are "". */

FEATURE_BIT(HTTP2, http2, "")
FEATURE_BIT(SHORT_PANIC, short_panic, "")
FEATURE_BIT(NO_COREDUMP, no_coredump, "")
FEATURE_BIT(HTTPS_SCHEME, https_scheme, "")
FEATURE_BIT(HTTP_DATE_POSTEL, http_date_postel, "")
FEATURE_BIT(ESI_IGNORE_HTTPS, esi_ignore_https, "")
FEATURE_BIT(ESI_DISABLE_XML_CHECK, esi_disable_xml_check, "")
FEATURE_BIT(ESI_IGNORE_OTHER_ELEMENTS, esi_ignore_other_elements, "")
FEATURE_BIT(ESI_REMOVE_BOM, esi_remove_bom, "")
FEATURE_BIT(ESI_INCLUDE_ONERROR, esi_include_onerror, "")
FEATURE_BIT(WAIT_SILO, wait_silo, "")
FEATURE_BIT(VALIDATE_HEADERS, validate_headers, "")
FEATURE_BIT(BUSY_STATS_RATE, busy_stats_rate, "")
FEATURE_BIT(TRACE, trace, "")
FEATURE_BIT(VCL_REQ_RESET, vcl_req_reset, "")
#undef FEATURE_BIT
