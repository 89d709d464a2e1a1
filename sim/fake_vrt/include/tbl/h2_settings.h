/* tbl/h2_settings.h -- X-macro table (Varnish 8.0.0): the HTTP/2 settings.
 * H2_SETTING(UPPER, lower, id, default, min, max, range error). */

H2_SETTING(HEADER_TABLE_SIZE, header_table_size, 0x1, 4096, 0, 0xffffffff, 0)
#ifndef H2_SETTINGS_PARAM_ONLY
H2_SETTING(ENABLE_PUSH, enable_push, 0x2, 1, 0, 1, H2CE_PROTOCOL_ERROR)
#endif
H2_SETTING(MAX_CONCURRENT_STREAMS, max_concurrent_streams, 0x3, 0xffffffff, 0, 0xffffffff, 0)
H2_SETTING(INITIAL_WINDOW_SIZE, initial_window_size, 0x4, 65535, 0, 0x7fffffff, H2CE_FLOW_CONTROL_ERROR)
H2_SETTING(MAX_FRAME_SIZE, max_frame_size, 0x5, 16384, 16384, 0x00ffffff, H2CE_PROTOCOL_ERROR)
#ifndef H2_SETTINGS_PARAM_ONLY
H2_SETTING(MAX_HEADER_LIST_SIZE, max_header_list_size, 0x6, 0x7fffffff, 0, 0xffffffff, 0)
H2_SETTING(ENABLE_CONNECT_PROTOCOL, enable_connect_protocol, 0x8, 0, 0, 1, H2CE_PROTOCOL_ERROR)
H2_SETTING(NO_RFC7540_PRIORITIES, no_rfc7540_priorities, 0x9, 0, 0, 1, H2CE_PROTOCOL_ERROR)
H2_SETTING(TLS_RENEG_PERMITTED, tls_reneg_permitted, 0x10, 0, 0, 3, H2CE_PROTOCOL_ERROR)
#endif 
#undef H2_SETTING
