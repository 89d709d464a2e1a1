// What a vmod registers with varnishd at load that needs no simulation of its own:
// counter segments (VRT_VSC_*) and object-event subscriptions (ObjSubscribeEvents of
// cache/cache_varnishd.h). varnish-modules' xkey, for one, does both in its LOAD event,
// so a refusal here would make the vmod unloadable.
//
// Counters are plain zeroed process memory: the vmod counts as it would in varnishd,
// vdisim has no shared memory to show them in. Subscriptions are kept with the checks
// varnishd makes on them, but vdisim stores no objects, so no event is ever sent.
// Handles are indexes, not addresses (nothing here depends on where memory lands).
#include <mutex>
#include <vector>

#include "sim/fake_vrt/runtime.hpp"
#include "cache/cache_varnishd.h"

struct vsc_seg {
  void *counters;
  bool hidden;
};

namespace {

struct Subscription {
  obj_event_f *func;
  void *priv;
  unsigned mask;
  bool live;
};

std::mutex subscriptions_mtx;
std::vector<Subscription> subscriptions;

}  // namespace

extern "C" {

void *VRT_VSC_Allocv(struct vsmw_cluster *, struct vsc_seg **sg, const char *nm, size_t sd,
                     const unsigned char *jp, size_t sj, const char *, va_list) {
  AN(nm);
  AN(jp);
  AN(sj);
  auto *seg = new vsc_seg{std::calloc(1, sd == 0 ? 1 : sd), false};
  AN(seg->counters);
  if (sg != nullptr) *sg = seg;
  return seg->counters;
}

void *VRT_VSC_Alloc(struct vsmw_cluster *vc, struct vsc_seg **sg, const char *nm, size_t sd,
                    const unsigned char *jp, size_t sj, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  void *p = VRT_VSC_Allocv(vc, sg, nm, sd, jp, sj, fmt, ap);
  va_end(ap);
  return p;
}

void VRT_VSC_Destroy(const char *nm, struct vsc_seg *sg) {
  AN(nm);
  AN(sg);
  std::free(sg->counters);
  delete sg;
}

void VRT_VSC_Hide(const struct vsc_seg *sg) {
  AN(sg);
  const_cast<vsc_seg *>(sg)->hidden = true;
}

void VRT_VSC_Reveal(const struct vsc_seg *sg) {
  AN(sg);
  const_cast<vsc_seg *>(sg)->hidden = false;
}

uintptr_t ObjSubscribeEvents(obj_event_f *func, void *priv, unsigned mask) {
  AN(func);
  AZ(mask & ~OEV_MASK);
  std::lock_guard<std::mutex> g(subscriptions_mtx);
  subscriptions.push_back({func, priv, mask, true});
  return subscriptions.size();
}

void ObjUnsubscribeEvents(uintptr_t *handle) {
  AN(handle);
  AN(*handle);
  std::lock_guard<std::mutex> g(subscriptions_mtx);
  assert(*handle <= subscriptions.size());
  Subscription &s = subscriptions[*handle - 1];
  assert(s.live);
  s.live = false;
  *handle = 0;
}

}  // extern "C"
