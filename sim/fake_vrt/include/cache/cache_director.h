/* cache/cache_director.h -- Varnish 8.0.0's private side of a director: struct vcldir
 * (d->vdir) and the admin-health states. No VMOD of issue 15 includes it; it is here
 * so one that does compiles. vdisim's runtime keeps its own vcldir (runtime.hpp), so
 * reading d->vdir through this layout is not supported yet. */

#ifndef CACHE_DIRECTOR_H_INCLUDED
#define CACHE_DIRECTOR_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct vdi_ahealth;

struct vcldir {
	unsigned			magic;
#define VCLDIR_MAGIC			0xbf726c7d
	int				refcnt;
	unsigned			flags;
#define VDIR_FLG_NOREFCNT		1
	struct lock			dlck;
	struct director			*dir;
	struct vcl			*vcl;
	const struct vdi_methods	*methods;
	VTAILQ_ENTRY(vcldir)		directors_list;
	VTAILQ_ENTRY(vcldir)		resigning_list;
	const struct vdi_ahealth	*admin_health;
	vtim_real			health_changed;
	char				*cli_name;
};

/* VBE_AHEALTH(lower name, UPPER name, health value) */
#define VBE_AHEALTH_LIST						\
	VBE_AHEALTH(healthy,	HEALTHY,	1)			\
	VBE_AHEALTH(sick,	SICK,		0)			\
	VBE_AHEALTH(auto,	AUTO,		-1)			\
	VBE_AHEALTH(deleted,	DELETED,	0)

#define VBE_AHEALTH(l, u, h)						\
	extern const struct vdi_ahealth * const VDI_AH_##u;
VBE_AHEALTH_LIST
#undef VBE_AHEALTH

#ifdef __cplusplus
}
#endif

#endif /* CACHE_DIRECTOR_H_INCLUDED */
