// End-to-end benchmarks: whole simulated workloads on the fake VRT.
//  - BM_Requests/C: simulated requests per second through fallback(round_robin x 8):
//    a fallback over two round_robin directors of 8 backends each (1 ms endpoints); one
//    iteration spawns C concurrent request actors and joins them. Items = requests.
//  - BM_Probes24h/N: wall time of 24 virtual hours of N probed backends (interval 5 s,
//    window 8, threshold 3) whose endpoints flap (up half of every 100 s, jittered).
//    One iteration = one whole run. Items = probe polls.
//  - BM_InFlight/N: N requests in flight at once through a round_robin of 16 backends
//    (10 s endpoints, so all overlap), with the peak RSS of the process. One iteration =
//    one whole run. Items = requests. (Not through the fallback: its resolve holds a
//    write lock across scheduling points, and N concurrent resolvers then cost O(N^2),
//    see BM_Requests/1024 and docs/benchmarks.md.)
// The largest sizes (Probes24h/1000, InFlight/100000) take long; they are registered
// only with --full (or VDISIM_BENCH_FULL=1). scripts/bench-dashboard --full passes it.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "bench/bench_directors.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"

using namespace vdisim;
using vdisim::bench::bench_options;
using vdisim::bench::ok_or_skip;
using vdisim::vrt::harness::World;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// fallback(rr_a(a0..a7), rr_b(b0..b7)) in VCL "boot"; endpoints must exist.
VCL_BACKEND fallback_of_round_robins(VRT_CTX) {
  VCL_BACKEND rr_a = bench::make_rr(ctx, "rr_a", bench::make_backends(ctx, "a", 8));
  VCL_BACKEND rr_b = bench::make_rr(ctx, "rr_b", bench::make_backends(ctx, "b", 8));
  return bench::make_fallback(ctx, "fb", {rr_a, rr_b});
}

void endpoints(World &w, std::int64_t latency_ns) {
  vrt::EndpointSpec spec;
  spec.latency.a_ns = latency_ns;
  bench::make_endpoints(w, "a", 8, spec);
  bench::make_endpoints(w, "b", 8, spec);
}

void BM_Requests(benchmark::State &state) {
  const int c = static_cast<int>(state.range(0));
  World w(bench_options(21));
  endpoints(w, 1'000'000);
  std::uint64_t ok = 0, bad = 0;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND top = nullptr;
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { top = fallback_of_round_robins(ctx); });
    w.rt.vcl_use("boot");
    auto one = [&] {
      auto r = vrt::run_request(w.rt, v, [&](VRT_CTX) { (void)ctx; return top; });
      (r.kind == vrt::RequestResult::Kind::Ok ? ok : bad)++;
    };
    std::vector<sim::Actor *> kids(static_cast<std::size_t>(c));
    for (auto _ : state) {
      if (c == 1) {
        one();
        continue;
      }
      for (auto &k : kids) k = w.sim.spawn("req", one);
      for (auto *k : kids) w.sim.join(k);
    }
  });
  sim::RunReport r = w.run();
  if (!ok_or_skip(state, r)) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(ok + bad));
  state.counters["concurrency"] = c;
  // Scheduling steps and trace events per request: what one request costs the core.
  const double reqs = static_cast<double>(std::max<std::uint64_t>(ok + bad, 1));
  state.counters["steps_per_request"] = static_cast<double>(r.steps) / reqs;
  state.counters["events_per_request"] = static_cast<double>(r.events) / reqs;
  state.counters["virtual_speedup"] =
      benchmark::Counter(static_cast<double>(w.sim.now_ns()) / kSecond, benchmark::Counter::kIsRate);
  if (bad) state.SkipWithError("some requests did not succeed");
}
BENCHMARK(BM_Requests)->Arg(1)->Arg(64)->Arg(1024);

void BM_Probes24h(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  std::uint64_t polls = 0, flips = 0;
  for (auto _ : state) {
    sim::RunOptions o = bench_options(31);
    o.end_ns = 24 * 3600 * kSecond;
    World w(o);
    vrt::EndpointSpec spec;
    spec.latency.a_ns = 20'000'000;
    spec.flap_period_ns = 100 * kSecond;
    spec.flap_duty = 0.5;
    spec.flap_jitter_ns = 10 * kSecond;
    bench::make_endpoints(w, "p", n, spec);
    static const struct vrt_backend_probe probe = vrt::harness::make_probe(5.0, 8, 3, 3, 2.0);
    w.sim.spawn("cli", [&] {
      w.rt.vcl_load("boot", {}, [&](VRT_CTX) { bench::make_backends(ctx, "p", n, &probe); });
      w.rt.vcl_use("boot");
    });
    if (!ok_or_skip(state, w.run())) return;
    for (const auto &[name, st] : w.rt.backends().all_stats()) {
      polls += st.probes;
      flips += st.went_sick + st.went_healthy;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(polls));
  state.counters["backends"] = n;
  state.counters["virtual_hours"] = 24;
  state.counters["flips_per_run"] = static_cast<double>(flips) / static_cast<double>(state.iterations());
}

void BM_InFlight(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  std::int64_t peak = 0, growth = 0;
  std::uint64_t max_in_flight = 0, ok = 0;
  std::string last_bad;
  // About 150 KiB per request was measured; refuse rather than push a shared box to OOM.
  // VDISIM_BENCH_MEM_LIMIT_MIB lowers the limit below MemAvailable.
  const std::int64_t need = static_cast<std::int64_t>(n) * 200 * 1024 + (std::int64_t{1} << 30);
  std::int64_t avail = bench::meminfo_bytes("MemAvailable");
  if (const char *lim = std::getenv("VDISIM_BENCH_MEM_LIMIT_MIB")) {
    const std::int64_t l = std::atoll(lim) << 20;
    if (l > 0 && (avail < 0 || l < avail)) avail = l;
  }
  if (avail >= 0 && avail < need) {
    std::string msg = "needs about " + std::to_string(need >> 20) + " MiB, only " + std::to_string(avail >> 20) +
                      " MiB available";
    state.SkipWithError(msg.c_str());
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();  // the trim and the reset are not the benchmark
    bench::PeakRss rss;
    state.ResumeTiming();
    {
      World w(bench_options(41));
      endpoints(w, 3 * kSecond);  // within the 3.5 s fetch timeout (connect_timeout's default)
      std::uint64_t in_flight = 0;
      w.sim.spawn("cli", [&] {
        VCL_BACKEND top = nullptr;
        struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
          auto be = bench::make_backends(ctx, "a", 8);
          for (VCL_BACKEND b : bench::make_backends(ctx, "b", 8)) be.push_back(b);
          top = bench::make_rr(ctx, "rr", be);
        });
        w.rt.vcl_use("boot");
        for (int i = 0; i < n; i++) {
          w.sim.spawn("req", [&, v] {
            in_flight++;
            auto r = vrt::run_request(w.rt, v, [&](VRT_CTX) { (void)ctx; return top; });
            if (r.kind == vrt::RequestResult::Kind::Ok) ok++;
            else last_bad = vrt::to_string(r.kind);
            in_flight--;
          });
        }
        w.sim.sleep_for(2 * kSecond);  // every request is inside its 3 s fetch now
        max_in_flight = std::max(max_in_flight, in_flight);
      });
      if (!ok_or_skip(state, w.run())) return;
    }
    peak = std::max(peak, rss.peak());
    growth = std::max(growth, rss.growth());
  }
  state.SetItemsProcessed(n * state.iterations());
  state.counters["in_flight"] = static_cast<double>(max_in_flight);
  state.counters["peak_rss_bytes"] = static_cast<double>(peak);
  state.counters["rss_per_request_bytes"] = static_cast<double>(growth) / n;
  if (ok != static_cast<std::uint64_t>(n) * state.iterations()) {
    std::string msg = std::to_string(n * state.iterations() - ok) + " requests did not succeed, the last: " + last_bad;
    state.SkipWithError(msg.c_str());
  }
}

}  // namespace

int main(int argc, char **argv) {
  bool full = std::getenv("VDISIM_BENCH_FULL") && std::strcmp(std::getenv("VDISIM_BENCH_FULL"), "0") != 0;
  std::vector<char *> args;
  for (int i = 0; i < argc; i++) {
    if (std::strcmp(argv[i], "--full") == 0) {
      full = true;
      continue;
    }
    args.push_back(argv[i]);
  }
  auto *p = benchmark::RegisterBenchmark("BM_Probes24h", BM_Probes24h)->Arg(10)->Arg(100);
  auto *f = benchmark::RegisterBenchmark("BM_InFlight", BM_InFlight)->Arg(100)->Arg(1000)->Arg(10000);
  if (full) {
    p->Arg(1000);
    f->Arg(100000);
  }
  p->Iterations(1)->Unit(benchmark::kMillisecond);
  f->Iterations(1)->Unit(benchmark::kMillisecond);
  args.push_back(nullptr);
  return vdisim::bench::run_benchmarks(static_cast<int>(args.size()) - 1, args.data());
}
