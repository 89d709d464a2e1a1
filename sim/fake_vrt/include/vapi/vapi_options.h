/* vapi/vapi_options.h -- the options of Varnish 8.0.0's log and counter tools (VSL_OPT_*,
 * VSC_OPT_*), each a VOPT(getopt letters, synopsis, description, long description) for
 * vapi/voptget.h. The descriptions are "" in vdisim. No include guard, as Varnish's. */

#define VSL_iI_PS ""
#define VSL_OPT_b VOPT("b", "[-b]", "", "")
#define VSL_OPT_c VOPT("c", "[-c]", "", "")
#define VSL_OPT_C VOPT("C", "[-C]", "", "")
#define VSL_OPT_E VOPT("E", "[-E]", "", "")
#define VSL_OPT_i VOPT("i:", "[-i <taglist>]", "", "")
#define VSL_OPT_I VOPT("I:", "[-I <[taglist:]regex>]", "", "")
#define VSL_OPT_L VOPT("L:", "[-L <limit>]", "", "")
#define VSL_OPT_R VOPT("R:", "[-R <limit[/duration]>]", "", "")
#define VSL_OPT_T VOPT("T:", "[-T <seconds>]", "", "")
#define VSL_OPT_v VOPT("v", "[-v]", "", "")
#define VSL_OPT_x VOPT("x:", "[-x <taglist>]", "", "")
#define VSL_OPT_X VOPT("X:", "[-X <[taglist:]regex>]", "", "")
#define VSC_OPT_f VOPT("f:", "[-f <glob>]", "", "")
#define VSC_OPT_I VOPT("I:", "[-I <glob>]", "", "")
#define VSC_OPT_X VOPT("X:", "[-X <glob>]", "", "")
