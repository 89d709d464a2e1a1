/* Stand-in round_robin and fallback directors for the benchmarks, used only when the
 * real directors (directors/, target vdisim_directors) are not part of the build.
 * Plain C against the fake VRT headers, like a vmod; no locking subtleties, no
 * remove_backend: enough to resolve through N backends. */
#include "cache/cache.h"

#include "standin_directors.h"

struct standin {
	unsigned		magic;
#define STANDIN_MAGIC		0x5b3a9e01
	int			fallback;
	unsigned		n, cap, nxt;
	VCL_BACKEND		*be;
	VCL_BACKEND		dir;
};

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
standin_resolve(VRT_CTX, VCL_BACKEND d)
{
	struct standin *s;
	unsigned u, i;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CAST_OBJ_NOTNULL(s, d->priv, STANDIN_MAGIC);
	for (u = 0; u < s->n; u++) {
		i = s->fallback ? u : (s->nxt + u) % s->n;
		if (VRT_Healthy(ctx, s->be[i], NULL)) {
			if (!s->fallback)
				s->nxt = (i + 1) % s->n;
			return (s->be[i]);
		}
	}
	return (NULL);
}

static VCL_BOOL v_matchproto_(vdi_healthy_f)
standin_healthy(VRT_CTX, VCL_BACKEND d, VCL_TIME *changed)
{
	struct standin *s;
	unsigned u;

	CAST_OBJ_NOTNULL(s, d->priv, STANDIN_MAGIC);
	for (u = 0; u < s->n; u++)
		if (VRT_Healthy(ctx, s->be[u], changed))
			return (1);
	return (0);
}

static void v_matchproto_(vdi_release_f)
standin_release(VCL_BACKEND d)
{
	struct standin *s;
	unsigned u;

	CAST_OBJ_NOTNULL(s, d->priv, STANDIN_MAGIC);
	for (u = 0; u < s->n; u++)
		VRT_Assign_Backend(&s->be[u], NULL);
	s->n = 0;
}

static void v_matchproto_(vdi_destroy_f)
standin_destroy(VCL_BACKEND d)
{
	struct standin *s;

	CAST_OBJ_NOTNULL(s, d->priv, STANDIN_MAGIC);
	free(s->be);
	FREE_OBJ(s);
}

static const struct vdi_methods standin_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"standin",
	.healthy =	standin_healthy,
	.resolve =	standin_resolve,
	.release =	standin_release,
	.destroy =	standin_destroy,
}};

VCL_BACKEND
standin_new(VRT_CTX, const char *name, int fallback)
{
	struct standin *s;

	ALLOC_OBJ(s, STANDIN_MAGIC);
	AN(s);
	s->fallback = fallback;
	s->dir = VRT_AddDirector(ctx, standin_methods, s, "%s", name);
	if (s->dir == NULL) {
		FREE_OBJ(s);
		return (NULL);
	}
	return (s->dir);
}

void
standin_add(VCL_BACKEND d, VCL_BACKEND be)
{
	struct standin *s;

	CAST_OBJ_NOTNULL(s, d->priv, STANDIN_MAGIC);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->be = realloc(s->be, s->cap * sizeof *s->be);
		AN(s->be);
	}
	s->be[s->n] = NULL;
	VRT_Assign_Backend(&s->be[s->n], be);
	s->n++;
}
