/* tbl/symbol_kind.h -- X-macro table (Varnish 8.0.0): the kinds of VCC symbols.
 * VCC_KIND(UPPER, lower). */

VCC_KIND(NONE, none)
VCC_KIND(RESERVED, reserved)
VCC_KIND(ALIAS, alias)
VCC_KIND(ACL, acl)
VCC_KIND(ACTION, action)
VCC_KIND(BACKEND, backend)
VCC_KIND(FUNC, func)
VCC_KIND(INSTANCE, instance)
VCC_KIND(METHOD, method)
VCC_KIND(OBJECT, object)
VCC_KIND(PROBE, probe)
VCC_KIND(STEVEDORE, stevedore)
VCC_KIND(SUB, sub)
VCC_KIND(VAR, var)
VCC_KIND(VCL, vcl)
VCC_KIND(VMOD, vmod)
#undef VCC_KIND
