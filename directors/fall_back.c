/* fall_back.c -- vmod directors' fallback: the first healthy backend in the
 * order they were added (spec F5). With sticky, the current backend is kept
 * while it stays healthy, and the scan for a new one starts from it. */

#include "cache/cache.h"

#include "vbm.h"

#include "vcc_directors_if.h"

#include "vmod_directors.h"

struct vmod_directors_fallback {
	unsigned			magic;
#define VMOD_DIRECTORS_FALLBACK_MAGIC	0xad4e26ba
	struct vdir			*vd;
	VCL_BOOL			sticky;
	unsigned			cur;	/* under vd's write lock */
};

static struct vmod_directors_fallback *
fb_of(VCL_BACKEND dir)
{
	struct vmod_directors_fallback *fb;

	CAST_OBJ_NOTNULL(fb, vdir_of(dir)->priv, VMOD_DIRECTORS_FALLBACK_MAGIC);
	return (fb);
}

static VCL_BACKEND v_matchproto_(vdi_resolve_f)
fb_resolve(VRT_CTX, VCL_BACKEND dir)
{
	struct vmod_directors_fallback *fb = fb_of(dir);
	struct vdir *vd;
	VCL_BACKEND be, found = NULL;
	unsigned u, n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	vd = fb->vd;
	vdir_wrlock(vd);
	n = vd->n_backend;
	if (!fb->sticky || fb->cur >= n)
		fb->cur = 0;
	for (u = 0; u < n; u++) {
		be = vd->backend[fb->cur];
		CHECK_OBJ_NOTNULL(be, DIRECTOR_MAGIC);
		if (VRT_Healthy(ctx, be, NULL)) {
			found = be;
			break;
		}
		fb->cur = (fb->cur + 1) % n;
	}
	vdir_unlock(vd);
	return (found);
}

static void
fb_list_backends(struct vsb *vsb, const struct vmod_directors_fallback *fb,
    int jflag)
{
	const struct vdir *vd = fb->vd;
	const char *name;
	unsigned u;
	int h;

	for (u = 0; u < vd->n_backend; u++) {
		name = vd->backend[u]->vcl_name;
		h = vbit_test(vd->healthy, u) != 0;
		if (!jflag) {
			VSB_printf(vsb, "\t%s\t%s\t%s\n", name,
			    fb->cur == u ? "*" : "", h ? "healthy" : "sick");
			continue;
		}
		if (u > 0)
			VSB_cat(vsb, ",\n");	/* its own line: the indent applies */
		VSB_printf(vsb, "\"%s\": {\n", name);
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"current\": %s,\n",
		    fb->cur == u ? "true" : "false");
		VSB_printf(vsb, "\"health\": \"%s\"\n", h ? "healthy" : "sick");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}");
	}
}

static void v_matchproto_(vdi_list_f)
fb_list(VRT_CTX, VCL_BACKEND dir, struct vsb *vsb, int pflag, int jflag)
{
	struct vmod_directors_fallback *fb = fb_of(dir);

	if (!pflag) {
		vdir_list(ctx, dir, vsb, 0, jflag);
		return;
	}
	if (jflag) {
		VSB_printf(vsb, "{\n");
		VSB_indent(vsb, 2);
		VSB_printf(vsb, "\"sticky\": %s,\n",
		    fb->sticky ? "true" : "false");
		VSB_cat(vsb, "\"backends\": {\n");
		VSB_indent(vsb, 2);
	} else {
		VSB_cat(vsb, "\n\n\tBackend\tCurrent\tHealth\n");
	}
	vdir_rdlock(fb->vd);
	vdir_update_health(ctx, fb->vd);
	fb_list_backends(vsb, fb, jflag);
	vdir_unlock(fb->vd);
	if (jflag) {
		VSB_cat(vsb, "\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "}\n");
		VSB_indent(vsb, -2);
		VSB_cat(vsb, "},\n");
	}
}

static void v_matchproto_(vdi_panic_f)
fb_panic(VCL_BACKEND dir, struct vsb *vsb)
{
	struct vmod_directors_fallback *fb = fb_of(dir);

	VSB_printf(vsb, "fallback = {n_backend = %u, cur = %u, sticky = %u},\n",
	    fb->vd->n_backend, fb->cur, fb->sticky);
}

static const struct vdi_methods fb_methods[1] = {{
	.magic =	VDI_METHODS_MAGIC,
	.type =		"fallback",
	.healthy =	vdir_healthy,
	.resolve =	fb_resolve,
	.release =	vdir_release,
	.destroy =	vdir_destroy,
	.panic =	fb_panic,
	.list =		fb_list,
}};

VCL_VOID
vmod_fallback__init(VRT_CTX, struct vmod_directors_fallback **fbp,
    const char *vcl_name, VCL_BOOL sticky)
{
	struct vmod_directors_fallback *fb;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(fbp);
	AZ(*fbp);
	ALLOC_OBJ(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	AN(fb);
	fb->sticky = sticky;
	*fbp = fb;
	vdir_new(ctx, &fb->vd, vcl_name, fb_methods, fb);
}

VCL_VOID
vmod_fallback__fini(struct vmod_directors_fallback **fbp)
{
	struct vmod_directors_fallback *fb;

	TAKE_OBJ_NOTNULL(fb, fbp, VMOD_DIRECTORS_FALLBACK_MAGIC);
	VRT_DelDirector(&fb->vd->dir);
}

VCL_VOID
vmod_fallback_add_backend(VRT_CTX, struct vmod_directors_fallback *fb,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	vdir_add_backend(ctx, fb->vd, be, 0.0);
}

VCL_VOID
vmod_fallback_remove_backend(VRT_CTX, struct vmod_directors_fallback *fb,
    VCL_BACKEND be)
{

	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	vdir_remove_backend(ctx, fb->vd, be, &fb->cur);
}

VCL_BACKEND
vmod_fallback_backend(VRT_CTX, struct vmod_directors_fallback *fb)
{

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(fb, VMOD_DIRECTORS_FALLBACK_MAGIC);
	return (fb->vd->dir);
}
