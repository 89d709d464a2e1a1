// Fake-VRT runtime benchmarks: reference counting through VRT_Assign_Backend, director
// resolution as the number of backends grows (1, 8, 64, 1024), and the probe window.
// Each Sim bench loads one VCL in an actor, then runs the benchmark loop in that actor
// (virtual time never advances inside the loop, so probe actors stay parked).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "bench/bench_directors.hpp"
#include "sim/fake_vrt/probe_window.hpp"
#include "sim/fake_vrt/testing/harness.hpp"

using namespace vdisim;
using vdisim::bench::bench_options;
using vdisim::bench::ok_or_skip;
using vdisim::vrt::Task;
using vdisim::vrt::harness::World;

namespace {

const struct vrt_backend_probe kProbe = vrt::harness::make_probe(5.0, 8, 3, 3);

// Runs `body(ctx)` in a task of a freshly loaded, active VCL "boot" whose vcl_init is
// `init`. n endpoints "b<i>:80" exist (answering in 1 ms).
template <typename Init, typename Body>
void in_vcl(benchmark::State &state, int n, Init init, Body body, unsigned method = 0) {
  World w(bench_options(11));
  vrt::EndpointSpec spec;
  bench::make_endpoints(w, "b", n, spec);
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { init(ctx); });
    w.rt.vcl_use("boot");
    Task t(w.rt, v, method);
    body(t.ctx());
    t.finish();
  });
  ok_or_skip(state, w.run());
}

// --- VRT_Assign_Backend ----------------------------------------------------------------

// One iteration = a reference taken and dropped (2 VRT_Assign_Backend calls, items = 2).
// Arg 0: a refcounted director (round_robin of one backend); 1: a static native backend
// (VDIR_FLG_NOREFCNT: the runtime skips the count).
void BM_AssignBackend(benchmark::State &state) {
  const bool is_static = state.range(0) != 0;
  VCL_BACKEND d = nullptr;
  in_vcl(
      state, 1,
      [&](VRT_CTX) {
        auto be = bench::make_backends(ctx, "b", 1);
        d = is_static ? be[0] : bench::make_rr(ctx, "rr", be);
      },
      [&](VRT_CTX) {
        (void)ctx;
        VCL_BACKEND held = nullptr;
        for (auto _ : state) {
          VRT_Assign_Backend(&held, d);
          VRT_Assign_Backend(&held, nullptr);
        }
      });
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_AssignBackend)->Arg(0)->Arg(1)->ArgName("static");

// --- VRT_DirectorResolve vs number of backends ------------------------------------------

// Resolution of `top` to a leaf through VRT_DirectorResolve, n probed backends (interval
// 5 s, initial = threshold: healthy). Items = resolutions; counter backends = n.
template <typename Make>
void resolve_bench(benchmark::State &state, Make make, bool sick_all_but_last = false) {
  const int n = static_cast<int>(state.range(0));
  VCL_BACKEND top = nullptr;
  std::uint64_t misses = 0;
  in_vcl(
      state, n, [&](VRT_CTX) { top = make(ctx, bench::make_backends(ctx, "b", n, &kProbe)); },
      [&](VRT_CTX) {
        if (sick_all_but_last) {
          for (int i = 0; i + 1 < n; i++) vrt::Runtime::get().set_health("boot.b" + std::to_string(i), "sick");
        }
        for (auto _ : state) {
          VCL_BACKEND leaf = VRT_DirectorResolve(ctx, top);
          if (leaf == nullptr) misses++;
          benchmark::DoNotOptimize(leaf);
        }
      });
  state.SetItemsProcessed(state.iterations());
  state.counters["backends"] = n;
  if (misses) state.SkipWithError("a resolution returned no backend");
}

void BM_ResolveRoundRobin(benchmark::State &state) {
  resolve_bench(state, [](VRT_CTX, const std::vector<VCL_BACKEND> &be) { return bench::make_rr(ctx, "rr", be); });
}
// Worst case for round_robin: every backend but the last is (admin) sick, so each
// resolution scans all of them.
void BM_ResolveRoundRobinSick(benchmark::State &state) {
  resolve_bench(
      state, [](VRT_CTX, const std::vector<VCL_BACKEND> &be) { return bench::make_rr(ctx, "rr", be); }, true);
}
void BM_ResolveFallback(benchmark::State &state) {
  resolve_bench(state, [](VRT_CTX, const std::vector<VCL_BACKEND> &be) { return bench::make_fallback(ctx, "fb", be); });
}
BENCHMARK(BM_ResolveRoundRobin)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);
BENCHMARK(BM_ResolveRoundRobinSick)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);
BENCHMARK(BM_ResolveFallback)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);

void BM_ResolveRandom(benchmark::State &state) {
  resolve_bench(state, [](VRT_CTX, const std::vector<VCL_BACKEND> &be) { return bench::make_random(ctx, "rnd", be); });
}
BENCHMARK(BM_ResolveRandom)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);

// hash.backend(key) picks the leaf directly (SHA-256 of the key, then a weighted pick);
// keys cycle through 64 strings. Runs in vcl_recv.
void BM_ResolveHash(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  struct vmod_directors_hash *h = nullptr;
  std::vector<std::string> keys;
  for (int i = 0; i < 64; i++) keys.push_back("/object/" + std::to_string(i * 7919));
  std::uint64_t misses = 0;
  in_vcl(
      state, n, [&](VRT_CTX) { h = bench::make_hash(ctx, "h", bench::make_backends(ctx, "b", n, &kProbe)); },
      [&](VRT_CTX) {
        std::size_t i = 0;
        for (auto _ : state) {
          const char *p = keys[i++ & 63].c_str();
          struct strands s {};
          s.magic = STRANDS_MAGIC;
          s.n = 1;
          s.p = &p;
          VCL_BACKEND leaf = vmod_hash_backend(ctx, h, &s);
          if (leaf == nullptr) misses++;
          benchmark::DoNotOptimize(leaf);
        }
      },
      VCL_MET_RECV);
  state.SetItemsProcessed(state.iterations());
  state.counters["backends"] = n;
  if (misses) state.SkipWithError("a pick returned no backend");
}
BENCHMARK(BM_ResolveHash)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);

// shard.backend(by=KEY, key=k) with resolve=NOW (vcl_recv): a ring lookup, 67 replicas.
void BM_ResolveShard(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  struct vmod_directors_shard *sh = nullptr;
  std::uint64_t misses = 0;
  in_vcl(
      state, n, [&](VRT_CTX) { sh = bench::make_shard(ctx, "sh", bench::make_backends(ctx, "b", n, &kProbe)); },
      [&](VRT_CTX) {
        bench::Lcg lcg(3);
        for (auto _ : state) {
          struct arg_vmod_directors_shard_backend a {};
          a.valid_by = 1;
          a.by = enum_vmod_directors_KEY;
          a.valid_key = 1;
          a.key = static_cast<VCL_INT>(lcg.next() & 0xffffffffu);
          VCL_BACKEND leaf = vmod_shard_backend(ctx, sh, &a);
          if (leaf == nullptr) misses++;
          benchmark::DoNotOptimize(leaf);
        }
      },
      VCL_MET_RECV);
  state.SetItemsProcessed(state.iterations());
  state.counters["backends"] = n;
  if (misses) state.SkipWithError("a pick returned no backend");
}
BENCHMARK(BM_ResolveShard)->Arg(1)->Arg(8)->Arg(64)->Arg(1024);

// --- probe window ----------------------------------------------------------------------

// One poll recorded into a window of 8 / threshold 3; results from an LCG with about
// one failure in four, so health flips now and then. Items = polls.
void BM_ProbeWindowRecord(benchmark::State &state) {
  vrt::ProbeParams p;
  p.interval_s = 5;
  p.window = 8;
  p.threshold = 3;
  p.initial = 3;
  vrt::ProbeWindow w(p);
  bench::Lcg lcg(9);
  std::uint64_t flips = 0;
  for (auto _ : state) {
    vrt::HealthStep st = w.record((lcg.next() & 3) != 0);
    flips += st.flipped;
  }
  benchmark::DoNotOptimize(flips);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProbeWindowRecord);

}  // namespace

int main(int argc, char **argv) { return vdisim::bench::run_benchmarks(argc, argv); }
