/* vre_pcre2.h -- access to the PCRE2 code inside a vre_t, for code that calls PCRE2
 * directly. Include vre.h first. */

#ifndef VRE_H_INCLUDED
#error Include vre.h before vre_pcre2.h
#endif

#ifndef VRE_PCRE2_H_INCLUDED
#define VRE_PCRE2_H_INCLUDED

#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>

#ifdef __cplusplus
extern "C" {
#endif

pcre2_code *VRE_unpack(const vre_t *code);

#ifdef __cplusplus
}
#endif

#endif /* VRE_PCRE2_H_INCLUDED */
