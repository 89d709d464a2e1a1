/* vut.h -- libvarnishapi's frame for log utilities (struct VUT: options, the VSL query,
 * the dispatch loop), as Varnish 8.0.0 declares it. vdisim has no shared log to follow:
 * every function fails the task ("... is not simulated"). Unlike Varnish's it includes
 * what it uses (vdef.h, <signal.h>, <stdarg.h>, vapi/vsl.h). */

#ifndef VUT_H_INCLUDED
#define VUT_H_INCLUDED

#include <signal.h>
#include <stdarg.h>

#include "vdef.h"
#include "vapi/vsl.h"

#ifdef __cplusplus
extern "C" {
#endif

struct VUT;
struct vopt_spec;

typedef void VUT_sighandler_f(int);
typedef int VUT_cb_f(struct VUT *);
typedef void VUT_error_f(struct VUT *, int, const char *, va_list);

struct VUT {
	unsigned	magic;
#define VUT_MAGIC	0xdf3b3de8
	const char	*progname;

	int		d_opt;
	int		D_opt;
	int		g_arg;
	int		k_arg;
	char		*n_arg;
	char		*P_arg;
	char		*q_arg;
	char		*r_arg;
	char		*t_arg;

	struct VSL_data	*vsl;
	struct vsm	*vsm;
	struct VSLQ	*vslq;
	sig_atomic_t	last_sighup;
	sig_atomic_t	last_sigusr1;

	VUT_cb_f	*idle_f;
	VUT_cb_f	*sighup_f;
	VUT_error_f	*error_f;
	VSLQ_dispatch_f	*dispatch_f;
	void		*dispatch_priv;
};

void VUT_Error(struct VUT *, int status, const char *fmt, ...)
    v_noreturn_ v_printflike_(3, 4);
int VUT_Arg(struct VUT *, int opt, const char *arg);
void VUT_Usage(const struct VUT *, const struct vopt_spec *, int status) v_noreturn_;

#define VUT_InitProg(argc, argv, spec) VUT_Init(argv[0], argc, argv, spec)

struct VUT *VUT_Init(const char *progname, int argc, char * const *argv,
    const struct vopt_spec *);
void VUT_Signal(VUT_sighandler_f);
void VUT_Signaled(struct VUT *, int);
void VUT_Setup(struct VUT *);
int VUT_Main(struct VUT *);
void VUT_Fini(struct VUT **);

#ifdef __cplusplus
}
#endif

#endif /* VUT_H_INCLUDED */
