// Test harness for code that runs on the fake VRT: one Sim + Runtime, endpoints, and
// helpers that declare VCL backends the way VCC-generated code does (VRT_new_backend,
// VRT_StaticDirector at init, VRT_delete_backend at fini). For tests only.
#pragma once
#include <string>
#include <vector>

#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/runtime.hpp"

namespace vdisim::vrt::harness {

struct World {
  sim::Sim sim;
  Runtime rt;
  explicit World(sim::RunOptions o = {}, Regressions reg = {}) : sim(std::move(o)), rt(sim, reg) {}
  // An endpoint that is always up with a fixed latency.
  void up(const std::string &host, std::int64_t latency_ns = 1'000'000) {
    EndpointSpec s;
    s.latency.a_ns = latency_ns;
    rt.backends().add_endpoint(host, s, 1);
  }
  void endpoint(const std::string &host, EndpointSpec s) { rt.backends().add_endpoint(host, std::move(s), 7); }
  sim::RunReport run() {
    sim::RunReport r = sim.run();
    rt.check_end();
    r.failure = sim.failure();  // with an end-of-run failure, if check_end found one
    return r;
  }
};

// A probe as VCC writes `.probe = { .interval = i; .window = w; .threshold = t; .initial = n; }`.
inline struct vrt_backend_probe make_probe(double interval_s, unsigned window, unsigned threshold,
                                           unsigned initial = ~0U, double timeout_s = 0) {
  struct vrt_backend_probe p {};
  p.magic = VRT_BACKEND_PROBE_MAGIC;
  p.url = "/";
  p.interval = interval_s;
  p.timeout = timeout_s;
  p.window = window;
  p.threshold = threshold;
  p.initial = initial;
  p.exp_status = 200;
  p.exp_close = 1;
  return p;
}

// A backend made at run time, as a dynamic vmod makes one (VRT_new_backend, no static
// flag, no fini: its maker deletes it); vcl_backend() is the VCL-declared kind.
inline VCL_BACKEND new_backend(VRT_CTX, const char *name, const char *host,
                               const struct vrt_backend_probe *probe = nullptr) {
  struct vrt_backend be;
  VRT_BACKEND_INIT(&be);
  be.vcl_name = name;
  be.hosthdr = host;
  be.probe = probe;
  return VRT_new_backend(ctx, &be, nullptr);
}

using vrt::vcl_backend;

}  // namespace vdisim::vrt::harness
