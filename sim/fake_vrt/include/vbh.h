/* vbh.h -- Varnish's binary heap (VBH_*) for vdisim: a priority queue of caller
 * objects that reports each object's slot through an update callback, so any
 * object can be deleted or re-sorted by slot. vlib/vbh.c; not thread-safe. */

#ifndef VBH_H_INCLUDED
#define VBH_H_INCLUDED

#ifdef __cplusplus
extern "C" {
#endif

struct vbh;

/* True when a belongs nearer the root than b. */
typedef int vbh_cmp_t(void *priv, const void *a, const void *b);

/* a now sits in slot newidx (VBH_NOIDX: it left the heap). Optional unless
 * VBH_delete is used. */
typedef void vbh_update_t(void *priv, void *a, unsigned newidx);

struct vbh *VBH_new(void *priv, vbh_cmp_t, vbh_update_t);
/* The heap must be empty. */
void VBH_destroy(struct vbh **);
void VBH_insert(struct vbh *, void *);
/* The object in slot idx changed its key. */
void VBH_reorder(const struct vbh *, unsigned idx);
/* Remove the object in slot idx (as last reported through update). */
void VBH_delete(struct vbh *, unsigned idx);
/* The object nearest the root, NULL when empty. */
void *VBH_root(const struct vbh *);

#define VBH_NOIDX	0

#ifdef __cplusplus
}
#endif

#endif /* VBH_H_INCLUDED */
