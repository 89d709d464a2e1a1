/* vmod_abi.h -- the ABI string vmods embed in their vmod_data (Varnish generates it
 * as "<package> <version> <git revision>"); vdisim's names itself as the revision. */

#ifndef VMOD_ABI_H_INCLUDED
#define VMOD_ABI_H_INCLUDED

#define VMOD_ABI_Version "Varnish 8.0.0 vdisim"

#endif /* VMOD_ABI_H_INCLUDED */
