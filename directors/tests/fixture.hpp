// Test fixture for the director unit tests, on top of sim/fake_vrt/testing/harness.hpp:
// a World that runs CLI steps and requests inside actors, VCL backend shorthands, and an
// independent SHA-256 model of VRT_HashStrands32.
// Used only by directors/tests/*.cpp; never by director C code.
#pragma once
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/sim.hpp"
#include "vcl.h"

extern "C" {
#include "vcc_directors_if.h"
}

namespace dtest {

using vdisim::sim::RunOptions;
using vdisim::sim::RunReport;
using vdisim::sim::Sim;
using vdisim::vrt::RequestResult;
using vdisim::vrt::Runtime;

// SHA-256 of the concatenated non-empty parts; bytes 28..31 read little-endian.
inline std::uint32_t model_hash32(const std::vector<std::string> &parts) {
  std::string all;
  for (const auto &p : parts) all += p;  // empty parts add nothing either way
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(all.data(), all.size(), md, &len, EVP_sha256(), nullptr), 1);
  EXPECT_EQ(len, 32u);
  return std::uint32_t(md[28]) | std::uint32_t(md[29]) << 8 | std::uint32_t(md[30]) << 16 |
         std::uint32_t(md[31]) << 24;
}

// The ring as the spec describes it: replicas points per backend at hash(ident, "<j>").
struct RingModel {
  struct P {
    std::uint32_t point;
    unsigned host;
  };
  std::vector<P> ring;
  RingModel(const std::vector<std::string> &idents, const std::vector<std::uint32_t> &replicas) {
    for (unsigned h = 0; h < idents.size(); h++)
      for (std::uint32_t j = 0; j < replicas[h]; j++)
        ring.push_back({model_hash32({idents[h], std::to_string(j)}), h});
    std::sort(ring.begin(), ring.end(),
              [](P a, P b) { return a.point != b.point ? a.point < b.point : a.host < b.host; });
  }
  // first point >= key; keys past the last point take the last one
  std::size_t lookup(std::uint32_t key) const {
    auto it = std::lower_bound(ring.begin(), ring.end(), key, [](P p, std::uint32_t k) { return p.point < k; });
    return it == ring.end() ? ring.size() - 1 : static_cast<std::size_t>(it - ring.begin());
  }
  int pick(std::uint32_t key, const std::vector<bool> &healthy) const {
    std::vector<bool> seen(healthy.size());
    std::size_t i = lookup(key);
    for (std::size_t step = 0; step < ring.size(); step++, i = (i + 1) % ring.size()) {
      unsigned h = ring[i].host;
      if (seen[h]) continue;
      seen[h] = true;
      if (healthy[h]) return static_cast<int>(h);
    }
    return -1;
  }
};

// A VCL_STRANDS over copies of C++ strings (TOSTRANDS is a C-only compound literal).
struct Strands {
  std::vector<std::string> parts;
  std::vector<const char *> p;
  struct strands s {};
  explicit Strands(std::vector<std::string> v) : parts(std::move(v)) {
    for (const auto &x : parts) p.push_back(x.c_str());
    s.magic = STRANDS_MAGIC;
    s.n = static_cast<int>(p.size());
    s.p = p.data();
  }
  Strands(const Strands &) = delete;
  Strands &operator=(const Strands &) = delete;
  VCL_STRANDS get() const { return &s; }
};

// A probe for tests: window 1, threshold 1, initial 0: sick until one good poll.
inline const struct vrt_backend_probe *quick_probe() {
  static const struct vrt_backend_probe p = vdisim::vrt::harness::make_probe(1.0, 1, 1, 0, 0.5);
  return &p;
}

// A static VCL backend, as VCC makes it in vcl_init (deleted by the VCL's fini).
inline VCL_BACKEND vcl_backend(VRT_CTX, const std::string &name, const std::string &host,
                               const struct vrt_backend_probe *probe = nullptr) {
  return vdisim::vrt::harness::vcl_backend(ctx, name, host, probe);
}

// Static VCL backends "<name>" -> "<name>:80" for each name (endpoints must exist).
inline std::vector<VCL_BACKEND> vcl_backends(VRT_CTX, const std::vector<std::string> &names,
                                             const struct vrt_backend_probe *probe = nullptr) {
  std::vector<VCL_BACKEND> out;
  for (const auto &n : names) out.push_back(vcl_backend(ctx, n.c_str(), (n + ":80").c_str(), probe));
  return out;
}

// Registers __fini of a vmod object for discard time (reverse init order, like VCC).
template <typename T>
void on_fini(VRT_CTX, T *obj, void (*fini)(T **)) {
  ctx->vcl->fini.push_back([obj, fini](VRT_CTX) mutable {
    (void)ctx;
    T *o = obj;
    fini(&o);
  });
}

// One simulation run with a fake Varnish. Every CLI step and request runs in an actor.
struct World : vdisim::vrt::harness::World {
  explicit World(std::uint64_t seed = 1) : vdisim::vrt::harness::World(opts(seed)) {}
  static RunOptions opts(std::uint64_t seed) {
    RunOptions o;
    o.seed = seed;
    return o;
  }
  // Endpoints "<name>:80" for each name, always up.
  void endpoints(const std::vector<std::string> &names, std::int64_t latency_ns = 1'000'000) {
    for (const auto &n : names) up(n + ":80", latency_ns);
  }
  // Runs `body` as the first actor; returns the report (EXPECT ok() at the call site).
  RunReport run(const std::function<void()> &body) {
    sim.spawn("cli", body);
    return vdisim::vrt::harness::World::run();
  }
  RequestResult request(struct vcl *v, const std::function<VCL_BACKEND(VRT_CTX)> &choose) {
    return vdisim::vrt::run_request(rt, v, choose);
  }
  // Runs f with the ctx of a fresh task (method 0 = outside VCL, like a vmod thread).
  void in_task(struct vcl *v, const std::function<void(VRT_CTX)> &f, unsigned method = 0) {
    vdisim::vrt::Task t(rt, v, method);
    f(t.ctx());
    t.finish();
  }
  void health(const std::string &qualified, const char *state) {
    EXPECT_GE(rt.set_health(qualified, state), 1) << "no director matches " << qualified;
  }
  // Cold + discard of a VCL that is not the active one; every director must be gone.
  void retire_vcl(const std::string &name) {
    rt.vcl_state(name, "cold");
    rt.vcl_discard(name);
    EXPECT_EQ(rt.find_vcl(name), nullptr) << "VCL " << name << " was not reaped";
  }
  bool all_destroyed() {
    auto &c = rt.counters();
    return c.directors_added == c.directors_destroyed;
  }
};

inline std::string why(const RunReport &r) { return r.failure ? r.failure->summary() : std::string("ok"); }

// Counts of the leaves that served, by cli name ("vcl.backend").
using Tally = std::map<std::string, int>;

}  // namespace dtest
