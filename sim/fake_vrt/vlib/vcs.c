/* vcs.c -- VCS_* (vcs.h) for vdisim: fixed strings, the revision being "vdisim". */

#include <stdio.h>

#include "vdef.h"
#include "vas.h"
#include "vcs.h"

#define VCS_TARNAME	"varnish"
#define VCS_VERSION	"8.0.0"
#define VCS_BRANCH	"8.0"
#define VCS_REVISION	"vdisim"
#define VCS_LINE	VCS_TARNAME "-" VCS_VERSION " revision " VCS_REVISION

void
VCS_Message(const char *progname)
{

	AN(progname);
	fprintf(stderr, "%s %s", progname, VCS_String("M"));
}

const char *
VCS_String(const char *which)
{

	AN(which);
	assert(which[0] != '\0' && which[1] == '\0');
	switch (which[0]) {
	case 'T': return (VCS_TARNAME);
	case 'P': return (VCS_VERSION);
	case 'B': return (VCS_BRANCH);
	case 'R': return (VCS_REVISION);
	case 'V': return (VCS_LINE);
	case 'M': return ("(" VCS_LINE ")\n"
	    "vdisim: Varnish's director runtime, simulated\n");
	default:
		WRONG("VCS_String: unknown selector");
	}
	return (NULL);
}
