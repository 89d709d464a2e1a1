/* vapi/vsig.h -- libvarnishapi's signal counters (VSIG_<sig>, counted by VSIG_Got_<sig>,
 * armed by VSIG_Arm_<sig>), as Varnish 8.0.0 declares them for the log tools. In vdisim
 * VSIG_Got_* counts as Varnish's does; VSIG_Arm_* would install a handler in the host
 * process and fails the task instead ("... is not simulated"). */

#ifndef VAPI_VSIG_H_INCLUDED
#define VAPI_VSIG_H_INCLUDED

#include <sys/wait.h>
#include <signal.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VSIG_SIGNAL(UPPER, lower)		\
	extern sig_atomic_t VSIG_##lower;	\
	void VSIG_Got_##lower(int sig);		\
	void VSIG_Arm_##lower(void);
#include "tbl/vsig_list.h"

#ifdef __cplusplus
}
#endif

/* A platform without WCOREDUMP: WIFCORED if it has one, else "cannot tell" (-1). */
#ifndef WCOREDUMP
#  ifdef WIFCORED
#    define WCOREDUMP(s) WIFCORED(s)
#  else
#    define WCOREDUMP(s) (-1)
#  endif
#endif

#endif /* VAPI_VSIG_H_INCLUDED */
