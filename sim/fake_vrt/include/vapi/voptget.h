/* vapi/voptget.h -- a log utility's option table built from a list of VOPT() entries
 * (vapi_options.h, vut_options.h), as Varnish 8.0.0 declares it. With VOPT_DEFINITION
 * and VOPT_INC (the file listing the utility's options) it defines vopt_spec: the getopt
 * string, the synopsis, the usage pairs and the entries. Declarations and this
 * expansion only: nothing here is called by a vmod. */

#ifndef VAPI_VOPTGET_H_INCLUDED
#define VAPI_VOPTGET_H_INCLUDED

struct vopt_list {
	const char *option;
	const char *synopsis;
	const char *desc;
	const char *ldesc;
};

struct vopt_spec {
	const struct vopt_list	*vopt_list;
	int			vopt_list_n;
	const char		*vopt_optstring;
	const char		*vopt_synopsis;
	const char		**vopt_usage;
};

extern const struct vopt_spec vopt_spec;

#ifdef VOPT_DEFINITION
#ifndef VOPT_INC
#error "VOPT_INC undefined"
#endif

/* Each VOPT(letters, synopsis, description, long description) of VOPT_INC, four ways. */
#define VOPT(o, s, d, l) o
static const char vopt_optstring[] =
#include VOPT_INC
	;
#undef VOPT

#define VOPT(o, s, d, l) " " s
static const char vopt_synopsis[] =
#include VOPT_INC
	;
#undef VOPT

#define VOPT(o, s, d, l) s, d,
static const char *vopt_usage[] = {
#include VOPT_INC
	NULL, NULL,
};
#undef VOPT

#define VOPT(o, s, d, l) { o, s, d, l },
static const struct vopt_list vopt_list[] = {
#include VOPT_INC
};
#undef VOPT

const struct vopt_spec vopt_spec = {
	vopt_list,
	(int)(sizeof vopt_list / sizeof vopt_list[0]),
	vopt_optstring,
	vopt_synopsis,
	vopt_usage
};
#endif /* VOPT_DEFINITION */

#endif /* VAPI_VOPTGET_H_INCLUDED */
