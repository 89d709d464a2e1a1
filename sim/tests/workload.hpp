// A mixed workload for core tests: >= 16 actors using locks, condvars, timers and yields.
#pragma once
#include "sim/sim.hpp"
#include "sim/sync.hpp"

namespace vdisim::sim::workload {

inline RunReport run_mixed(std::uint64_t seed, StrategySpec strategy = {}) {
  RunOptions o;
  o.seed = seed;
  o.strategy = strategy;
  Sim s(o);
  Mutex m("m");
  CondVar cv("cv");
  int counter = 0, produced = 0;
  for (int i = 0; i < 16; i++) {
    s.spawn("worker" + std::to_string(i), [&, i] {
      for (int k = 0; k < 5; k++) {
        m.lock();
        counter += i;
        this_sim().event("work", std::to_string(counter));
        m.unlock();
        this_sim().sleep_for(1000 * (1 + this_sim().prng().below(50)));
        this_sim().sched_point();
      }
      m.lock();
      produced++;
      cv.broadcast();
      m.unlock();
    });
  }
  s.spawn("waiter", [&] {
    m.lock();
    while (produced < 16) cv.wait(m);
    m.unlock();
    this_sim().event("done", std::to_string(counter));
  });
  return s.run();
}

}  // namespace vdisim::sim::workload
