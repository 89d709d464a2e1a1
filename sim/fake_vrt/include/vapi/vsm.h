/* vapi/vsm.h -- libvarnishapi's access to a varnishd's shared memory segments (VSM), as
 * Varnish 8.0.0 declares it for log and counter tools. vdisim runs no varnishd and has
 * no shared memory: every function fails the task ("... is not simulated"). */

#ifndef VAPI_VSM_H_INCLUDED
#define VAPI_VSM_H_INCLUDED

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vsm;

/* A segment as VSM_FOREACH, VSM_Get and VSM_Map see it. */
struct vsm_fantom {
	uintptr_t		priv;
	uintptr_t		priv2;
	void			*b;
	void			*e;
	char			*category;
	char			*ident;
};

#define VSM_FANTOM_NULL { 0, 0, 0, 0, 0, 0 }

struct vsm *VSM_New(void);
void VSM_Destroy(struct vsm **vd);
const char *VSM_Error(const struct vsm *vd);
void VSM_ResetError(struct vsm *vd);

#define VSM_n_USAGE	"[-n varnish_name]"
#define VSM_t_USAGE	"[-t <seconds|off>]"

int VSM_Arg(struct vsm *, char flag, const char *arg);
int VSM_Attach(struct vsm *, int progress);

/* VSM_Status() bits: the manager's in the low byte, the child's in the next. */
#define VSM_MGT_RUNNING		(1U << 1)
#define VSM_MGT_CHANGED		(1U << 2)
#define VSM_MGT_RESTARTED	(1U << 3)
#define VSM_WRK_RUNNING		(1U << 9)
#define VSM_WRK_CHANGED		(1U << 10)
#define VSM_WRK_RESTARTED	(1U << 11)
#define VSM_MGT_MASK		0x00ff
#define VSM_WRK_MASK		0xff00

unsigned VSM_Status(struct vsm *);

void VSM__iter0(const struct vsm *, struct vsm_fantom *vf);
int VSM__itern(struct vsm *, struct vsm_fantom *vf);

#define VSM_FOREACH(vf, vd) \
	for (VSM__iter0((vd), (vf)); VSM__itern((vd), (vf));)

int VSM_Map(struct vsm *, struct vsm_fantom *vf);
int VSM_Unmap(struct vsm *, struct vsm_fantom *vf);

/* What VSM_StillValid() answers: one of these two, compared by address. */
struct vsm_valid {
	const char *name;
};

extern const struct vsm_valid VSM_invalid[];
extern const struct vsm_valid VSM_valid[];

const struct vsm_valid *VSM_StillValid(const struct vsm *, const struct vsm_fantom *vf);
int VSM_Get(struct vsm *, struct vsm_fantom *vf, const char *category, const char *ident);
char *VSM_Dup(struct vsm *, const char *category, const char *ident);

#ifdef __cplusplus
}
#endif

#endif /* VAPI_VSM_H_INCLUDED */
