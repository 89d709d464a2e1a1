// Core benchmarks: what one scheduling point, switch, timer, lock and condvar handoff
// cost inside a Sim, next to their floors (a raw boost::context::fiber switch, a
// Boost.Fiber round_robin yield) and the OS-thread baseline (std::mutex/condvar
// ping-pong). Every benchmark reports items (switches, timer fires, acquisitions,
// handoffs, fibers) so ns/item ratios can be compared within one run.
//
// The benchmark loop of the Sim benches runs *inside* an actor: Google Benchmark's
// State is a plain object on the main stack and is driven from the fiber on the same OS
// thread. The Sim is built before the loop starts, so set-up is not timed.
#include <benchmark/benchmark.h>

#include <boost/context/fiber.hpp>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/bench_common.hpp"
#include "sim/sim.hpp"
#include "sim/sync.hpp"
#include "sim/trace.hpp"

using namespace vdisim;
using vdisim::bench::bench_options;
using vdisim::bench::ok_or_skip;

namespace {

// --- floors ---------------------------------------------------------------------------

// Raw boost::context::fiber: one resume there and one back per iteration = 2 switches.
void BM_RawContextSwitch(benchmark::State &state) {
  namespace ctx = boost::context;
  ctx::fiber f{[](ctx::fiber &&main) {
    for (;;) main = std::move(main).resume();
    return std::move(main);
  }};
  for (auto _ : state) f = std::move(f).resume();
  state.SetItemsProcessed(2 * state.iterations());
  state.counters["switches_per_iter"] = 2;
}
BENCHMARK(BM_RawContextSwitch);

// Boost.Fiber with its own round_robin scheduler (a fresh OS thread, because the bench
// thread's scheduler belongs to the Sim once one exists): two fibers yielding.
void BM_BoostFiberYield(benchmark::State &state) {
  std::uint64_t yields = 0;
  std::thread t([&] {
    bool stop = false;
    boost::fibers::fiber other([&] {
      while (!stop) {
        yields++;
        boost::this_fiber::yield();
      }
    });
    boost::fibers::fiber measured([&] {
      for (auto _ : state) {
        yields++;
        boost::this_fiber::yield();
      }
      stop = true;
    });
    measured.join();
    other.join();
  });
  t.join();
  state.SetItemsProcessed(static_cast<std::int64_t>(yields));
}
BENCHMARK(BM_BoostFiberYield)->MeasureProcessCPUTime();

// --- scheduling points -----------------------------------------------------------------

// Two actors at scheduling points; one iteration = one sched_point of the measured actor.
// With `random` and 2 actors about half the points switch (counter switch_fraction).
void BM_SchedPoint(benchmark::State &state) {
  sim::Sim s(bench_options(1, "random"));
  bool stop = false;
  std::uint64_t points = 0, switches = 0;
  const sim::Actor *last = nullptr;
  auto note = [&] {
    points++;
    if (s.running() != last) {
      switches++;
      last = s.running();
    }
  };
  s.spawn("measured", [&] {
    for (auto _ : state) {
      s.sched_point();
      note();
    }
    stop = true;
  });
  s.spawn("other", [&] {
    while (!stop) {
      s.sched_point();
      note();
    }
  });
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(state.iterations());
  state.counters["switch_fraction"] = points ? static_cast<double>(switches) / static_cast<double>(points) : 0;
}
BENCHMARK(BM_SchedPoint)->Arg(0)->ArgName("pct");

// Two actors at scheduling points under a `replay` list: "measured" runs the benchmark
// loop, "other" spins until it ends. False (a benchmark error) when the run failed.
bool run_two_replaying(benchmark::State &state, std::vector<std::uint32_t> decisions) {
  sim::RunOptions o = bench_options(1);
  o.strategy.kind = sim::StrategySpec::Kind::Replay;
  o.strategy.decisions = std::move(decisions);
  sim::Sim s(o);
  bool stop = false;
  s.spawn("measured", [&] {
    for (auto _ : state) s.sched_point();
    stop = true;
  });
  s.spawn("other", [&] {
    while (!stop) s.sched_point();
  });
  sim::RunReport r = s.run();
  if (r.failure && r.failure->rule == "REPLAY") r.failure.reset();  // ran past the list on exit
  return ok_or_skip(state, r);
}

// A decision that keeps the running actor: two ready actors, a `replay` list that always
// names the measured one (a1), so every point asks the strategy and none switches. (A
// `pct` run cannot measure this: after a change point the other actor, spinning on its
// own points, would keep the priority for ever.)
void BM_Decision(benchmark::State &state) {
  std::vector<std::uint32_t> keep(static_cast<std::size_t>(state.max_iterations) + 16, 1);
  if (!run_two_replaying(state, std::move(keep))) return;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Decision);

// Scheduling point + fiber switch through the Sim: the measured actor calls sched_point
// until the other actor has run; one iteration = 2 switches (there and back) and, with
// `random`, about 4 decisions. Items are switches; counter points_per_switch.
void BM_SchedSwitch(benchmark::State &state) {
  sim::Sim s(bench_options(7));
  bool stop = false;
  std::uint64_t other_runs = 0, points = 0;
  s.spawn("measured", [&] {
    for (auto _ : state) {
      std::uint64_t before = other_runs;
      while (other_runs == before) {
        s.sched_point();
        points++;
      }
    }
    stop = true;
  });
  s.spawn("other", [&] {
    while (!stop) {
      other_runs++;
      s.sched_point();
      points++;
    }
  });
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(2 * state.iterations());
  state.counters["switches_per_iter"] = 2;
  state.counters["points_per_switch"] =
      state.iterations() ? static_cast<double>(points) / (2.0 * static_cast<double>(state.iterations())) : 0;
}
BENCHMARK(BM_SchedSwitch);

// Forced switches: a `replay` strategy whose decisions alternate between the two actors,
// so every scheduling point switches (no wasted picks). Items are switches.
void BM_SchedSwitchReplay(benchmark::State &state) {
  const std::size_t n = static_cast<std::size_t>(state.max_iterations) + 16;
  std::vector<std::uint32_t> alternate;
  alternate.reserve(2 * n);
  for (std::size_t i = 0; i < n; i++) {
    alternate.push_back(2);  // measured (a1) yields to other (a2)
    alternate.push_back(1);  // and back
  }
  if (!run_two_replaying(state, std::move(alternate))) return;
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_SchedSwitchReplay);

// Cost of one trace event (digest + ring), which every decision and lock op pays.
void BM_TraceAdd(benchmark::State &state) {
  sim::Trace t(16);
  std::uint32_t i = 0;
  const bool with_text = state.range(0) != 0;
  for (auto _ : state) {
    sim::EventView e{.time_ns = 5, .actor = 1, .kind = sim::EventKind::Decision, .a = i++, .b = 2};
    if (with_text) {
      e.kind = sim::EventKind::Lock;
      e.text = "vcldir lock 17";
    }
    t.add(e);
  }
  benchmark::DoNotOptimize(t.digest());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TraceAdd)->Arg(0)->Arg(1)->ArgName("text");

// --- timers ----------------------------------------------------------------------------

// Timer insert + fire: N actors each sleeping pseudo-random virtual durations (1..1000 us)
// so the timer heap holds N entries; items = timer fires of all actors.
void BM_TimerSleep(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  sim::Sim s(bench_options(3));
  bool stop = false;
  std::uint64_t fires = 0;
  s.spawn("measured", [&] {
    bench::Lcg lcg(1);
    for (auto _ : state) {
      s.sleep_for(1000 * static_cast<std::int64_t>(1 + lcg.next() % 1000));
      fires++;
    }
    stop = true;
  });
  for (int i = 1; i < n; i++) {
    s.spawn("sleeper", [&, i] {
      bench::Lcg lcg(static_cast<std::uint64_t>(i) + 100);
      while (!stop) {
        s.sleep_for(1000 * static_cast<std::int64_t>(1 + lcg.next() % 1000));
        fires++;
      }
    });
  }
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(fires));
  state.counters["heap"] = n;
}
BENCHMARK(BM_TimerSleep)->Arg(1)->Arg(16)->Arg(1024);

// --- locks -----------------------------------------------------------------------------

// Uncontended sim Mutex lock + unlock (two scheduling points, two trace events).
void BM_MutexUncontended(benchmark::State &state) {
  sim::Sim s(bench_options());
  s.spawn("measured", [&] {
    sim::Mutex m("m");
    for (auto _ : state) {
      m.lock();
      m.unlock();
    }
  });
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MutexUncontended);

// N actors contending for one sim Mutex (lock; sched_point; unlock). Items = acquisitions
// by all actors. A release hands the lock to one waiter (a decision among N), so an
// acquisition costs one wake-up whatever N is.
void BM_MutexContended(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  sim::Sim s(bench_options(5));
  sim::Mutex m("m");
  bool stop = false;
  std::uint64_t acquired = 0;
  auto once = [&] {
    m.lock();
    acquired++;
    s.sched_point();
    m.unlock();
  };
  s.spawn("measured", [&] {
    for (auto _ : state) once();
    stop = true;
  });
  for (int i = 1; i < n; i++) {
    s.spawn("contender", [&] {
      while (!stop) once();
    });
  }
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(static_cast<std::int64_t>(acquired));
  state.counters["actors"] = n;
}
BENCHMARK(BM_MutexContended)->Arg(2)->Arg(8)->Arg(64);

// --- handoffs --------------------------------------------------------------------------

// Ping-pong between two actors through a sim Mutex + CondVar; items = handoffs (2/iter).
void BM_CondVarHandoff(benchmark::State &state) {
  sim::Sim s(bench_options(9));
  sim::Mutex m("m");
  sim::CondVar cv("cv");
  int turn = 0;
  bool stop = false;
  s.spawn("measured", [&] {
    m.lock();
    for (auto _ : state) {
      turn = 1;
      cv.signal();
      while (turn != 0) cv.wait(m);
    }
    stop = true;
    cv.signal();
    m.unlock();
  });
  s.spawn("other", [&] {
    m.lock();
    for (;;) {
      while (turn != 1 && !stop) cv.wait(m);
      if (stop) break;
      turn = 0;
      cv.signal();
    }
    m.unlock();
  });
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_CondVarHandoff);

// The OS baseline: the same ping-pong with std::thread + std::mutex/condition_variable.
void BM_ThreadHandoff(benchmark::State &state) {
  std::mutex m;
  std::condition_variable cv;
  int turn = 0;
  bool stop = false;
  std::thread other([&] {
    std::unique_lock lk(m);
    for (;;) {
      cv.wait(lk, [&] { return turn == 1 || stop; });
      if (stop) break;
      turn = 0;
      cv.notify_one();
    }
  });
  {
    std::unique_lock lk(m);
    for (auto _ : state) {
      turn = 1;
      cv.notify_one();
      cv.wait(lk, [&] { return turn == 0; });
    }
    stop = true;
    cv.notify_one();
  }
  other.join();
  state.SetItemsProcessed(2 * state.iterations());
}
BENCHMARK(BM_ThreadHandoff)->UseRealTime();

// --- fibers ----------------------------------------------------------------------------

// Spawn + run + join of a trivial actor inside one Sim (stacks come from the Sim's pool
// after the first). Items = actors.
void BM_SpawnJoin(benchmark::State &state) {
  sim::Sim s(bench_options());
  std::int64_t rss0 = 0, rss1 = 0;
  s.spawn("measured", [&] {
    rss0 = bench::proc_status_bytes("VmRSS");
    for (auto _ : state) {
      sim::Actor *a = s.spawn("child", [] {});
      s.join(a);
    }
    rss1 = bench::proc_status_bytes("VmRSS");
  });
  if (!ok_or_skip(state, s.run())) return;
  state.SetItemsProcessed(state.iterations());
  // Stays near 0 if finished actors' stacks are reused within the run.
  state.counters["rss_growth_per_spawn_bytes"] =
      static_cast<double>(std::max<std::int64_t>(rss1 - rss0, 0)) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SpawnJoin);

// N fibers alive and parked at once (each sleeps 1 virtual second), in a fresh Sim per
// iteration: spawn, park, wake, finish. Items = fibers; counters: peak RSS of the
// process (VmHWM, reset before each iteration) and RSS growth per fiber.
void BM_Fibers(benchmark::State &state) {
  const int n = static_cast<int>(state.range(0));
  std::int64_t peak = 0, growth = 0;
  for (auto _ : state) {
    state.PauseTiming();  // the trim and the reset are not the benchmark
    bench::PeakRss rss;
    state.ResumeTiming();
    {
      sim::Sim s(bench_options());
      for (int i = 0; i < n; i++) s.spawn("parked", [&s] { s.sleep_for(1'000'000'000); });
      sim::RunReport r = s.run();
      if (!ok_or_skip(state, r)) return;
    }
    peak = std::max(peak, rss.peak());
    growth = std::max(growth, rss.growth());
  }
  state.SetItemsProcessed(n * state.iterations());
  state.counters["fibers"] = n;
  state.counters["peak_rss_bytes"] = static_cast<double>(peak);
  state.counters["rss_per_fiber_bytes"] = static_cast<double>(growth) / n;
}
BENCHMARK(BM_Fibers)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char **argv) { return vdisim::bench::run_benchmarks(argc, argv); }
