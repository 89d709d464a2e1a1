/* vut_options.h -- the options every Varnish 8.0.0 log utility takes (VUT_OPT_*,
 * VUT_GLOBAL_OPT_*), as VOPT(getopt letters, synopsis, description, long description)
 * for vapi/voptget.h. The descriptions are "" in vdisim. No include guard, as Varnish's. */

#define VUT_GLOBAL_OPT_D VOPT("D", "[-D]", "", "")
#define VUT_GLOBAL_OPT_P VOPT("P:", "[-P <file>]", "", "")
#define VUT_GLOBAL_OPT_V VOPT("V", "[-V]", "", "")
#define VUT_OPT_d VOPT("d", "[-d]", "", "")
#define VUT_OPT_g VOPT("g:", "[-g <session|request|vxid|raw>]", "", "")
#define VUT_OPT_h VOPT("h", "[-h]", "", "")
#define VUT_OPT_k VOPT("k:", "[-k <num>]", "", "")
#define VUT_OPT_n VOPT("n:", "[-n <workdir>]", "", "")
#define VUT_OPT_Q VOPT("Q:", "[-Q <file>]", "", "")
#define VUT_OPT_q VOPT("q:", "[-q <query>]", "", "")
#define VUT_OPT_r VOPT("r:", "[-r <filename>]", "", "")
#define VUT_OPT_t VOPT("t:", "[-t <seconds|off>]", "", "")
