/* Vmods whose descriptors ask for a VRT (or, at 0.0, an ABI string) vdisim does not
 * provide; built once per VDISIM_TEST_VMOD name with VDISIM_TEST_MAJOR/MINOR/ABI set. */
#include "vrt.h"

#define VDISIM_CAT2(a, b, c) a##b##c
#define VDISIM_CAT(a, b, c) VDISIM_CAT2(a, b, c)

static int badvrt_table[1];

extern const struct vmod_data VDISIM_CAT(Vmod_, VDISIM_TEST_VMOD, _Data);
const struct vmod_data VDISIM_CAT(Vmod_, VDISIM_TEST_VMOD, _Data) = {
	.vrt_major = VDISIM_TEST_MAJOR,
	.vrt_minor = VDISIM_TEST_MINOR,
	.file_id = "0",
	.name = VDISIM_TEST_NAME,
	.func_name = "Vmod_badvrt_Func",
	.func = badvrt_table,
	.func_len = sizeof badvrt_table,
	.json = "VMOD_JSON_SPEC\002[]\n\003",
	.abi = VDISIM_TEST_ABI,
};
