// Director set-up for the runtime and end-to-end benchmarks: vdisim's vmod_directors
// (directors/). Call the make_* functions inside vcl_init; each returns the director a
// VCL would use.
#pragma once
#include <string>
#include <vector>

#include "sim/fake_vrt/testing/harness.hpp"

#include "vcl.h"
extern "C" {
#include "vcc_directors_if.h"
}

namespace vdisim::bench {

template <typename T>
void fini_at_discard(VRT_CTX, T *obj, void (*fini)(T **)) {
  ctx->vcl->fini.push_back([obj, fini](VRT_CTX) mutable {
    (void)ctx;
    T *o = obj;
    fini(&o);
  });
}

inline VCL_BACKEND make_rr(VRT_CTX, const std::string &name, const std::vector<VCL_BACKEND> &be) {
  struct vmod_directors_round_robin *rr = nullptr;
  vmod_round_robin__init(ctx, &rr, name.c_str());
  fini_at_discard(ctx, rr, vmod_round_robin__fini);
  for (VCL_BACKEND b : be) vmod_round_robin_add_backend(ctx, rr, b);
  return vmod_round_robin_backend(ctx, rr);
}

inline VCL_BACKEND make_fallback(VRT_CTX, const std::string &name, const std::vector<VCL_BACKEND> &be) {
  struct vmod_directors_fallback *fb = nullptr;
  vmod_fallback__init(ctx, &fb, name.c_str(), 0);
  fini_at_discard(ctx, fb, vmod_fallback__fini);
  for (VCL_BACKEND b : be) vmod_fallback_add_backend(ctx, fb, b);
  return vmod_fallback_backend(ctx, fb);
}

inline VCL_BACKEND make_random(VRT_CTX, const std::string &name, const std::vector<VCL_BACKEND> &be) {
  struct vmod_directors_random *r = nullptr;
  vmod_random__init(ctx, &r, name.c_str());
  fini_at_discard(ctx, r, vmod_random__fini);
  for (VCL_BACKEND b : be) vmod_random_add_backend(ctx, r, b, 1.0);
  return vmod_random_backend(ctx, r);
}

inline struct vmod_directors_hash *make_hash(VRT_CTX, const std::string &name, const std::vector<VCL_BACKEND> &be) {
  struct vmod_directors_hash *h = nullptr;
  vmod_hash__init(ctx, &h, name.c_str());
  fini_at_discard(ctx, h, vmod_hash__fini);
  for (VCL_BACKEND b : be) vmod_hash_add_backend(ctx, h, b, 1.0);
  return h;
}

inline struct vmod_directors_shard *make_shard(VRT_CTX, const std::string &name, const std::vector<VCL_BACKEND> &be) {
  struct vmod_directors_shard *sh = nullptr;
  vmod_shard__init(ctx, &sh, name.c_str());
  fini_at_discard(ctx, sh, vmod_shard__fini);
  for (VCL_BACKEND b : be) {
    struct arg_vmod_directors_shard_add_backend a {};
    a.backend = b;
    vmod_shard_add_backend(ctx, sh, &a);
  }
  return sh;  // staged changes apply at the end of vcl_init (replicas 67)
}

// n static VCL backends "<prefix><i>" on endpoints "<prefix><i>:80" (which must exist).
inline std::vector<VCL_BACKEND> make_backends(VRT_CTX, const std::string &prefix, int n,
                                              const struct vrt_backend_probe *probe = nullptr) {
  std::vector<VCL_BACKEND> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; i++) {
    std::string name = prefix + std::to_string(i);
    out.push_back(vrt::harness::vcl_backend(ctx, name, name + ":80", probe));
  }
  return out;
}

// Endpoints "<prefix><i>:80" for make_backends.
inline void make_endpoints(vrt::harness::World &w, const std::string &prefix, int n, vrt::EndpointSpec spec) {
  for (int i = 0; i < n; i++) w.endpoint(prefix + std::to_string(i) + ":80", spec);
}

}  // namespace vdisim::bench
