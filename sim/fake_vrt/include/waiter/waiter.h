/* waiter/waiter.h -- varnishd's waiter (the thread that watches idle connections), as
 * Varnish 8.0.0 installs it for vmods. vdisim has no connections to wait on: every
 * function fails the task ("... is not simulated"). */

#ifndef WAITER_WAITER_H_INCLUDED
#define WAITER_WAITER_H_INCLUDED

#include "vdef.h"

#ifdef __cplusplus
extern "C" {
#endif

struct waited;
struct waiter;

enum wait_event {
	WAITER_REMCLOSE,
	WAITER_TIMEOUT,
	WAITER_ACTION,
	WAITER_CLOSE
};

typedef void waiter_handle_f(struct waited *, enum wait_event, vtim_real now);

struct waited {
	unsigned		magic;
#define WAITED_MAGIC		0x1743992d
	int			fd;
	unsigned		idx;
	void			*priv1;
	const void		*priv2;
	waiter_handle_f		*func;
	vtim_dur		tmo;
	vtim_real		idle;
};

int Wait_Enter(const struct waiter *, struct waited *);
struct waiter *Waiter_New(const char *);
void Waiter_Destroy(struct waiter **);
const char *Waiter_GetName(void);

#ifdef __cplusplus
}
#endif

#endif /* WAITER_WAITER_H_INCLUDED */
