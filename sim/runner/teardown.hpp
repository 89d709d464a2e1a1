// The end of a run with run.teardown (docs/scenario-format.md, "Teardown"): shut down as
// an operator would and say what leaked (C5, C6) or never finished (STUCK).
#pragma once
#include <cstdint>
#include <set>
#include <string>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/scenario/model.hpp"
#include "sim/sim.hpp"
#include "sim/sync.hpp"

namespace vdisim::runner {

// The teardown has this long after `duration` to drain and reap.
inline constexpr std::int64_t kTeardownLimitNs = 600'000'000'000;
// How long the run goes on once the teardown is over: what still runs then (a vmod thread
// that outlived its VCL, a probe never stopped) has that long to misbehave. Without an end
// the poller alone would keep an idle run going to the teardown limit.
inline constexpr std::int64_t kAfterTeardownNs = 10'000'000'000;

// How far the timeline got: the CLI thread through its timeline and teardown, and the
// entries that run on an actor of their own (actor:, call:, request:, new: ...).
struct TimelineProgress {
  bool cli_done = false;
  std::set<const scenario::TimelineOp *> unfinished;  // started, their body not returned
  // " 'a0: op'; ..." in timeline order (the CLI thread first when `cli`); "" if nothing.
  std::string text(const scenario::Scenario &sc, bool cli) const;
};

// Lets the requests in flight finish, makes an empty VCL active, discards every other
// one and polls until they are gone (on the CLI thread, cli_mtx). Whatever stays behind
// leaked: a held VCL (C6: busy, or a vclref never allowed; STUCK when unfinished timeline
// work is what holds it) or a director that outlived every VCL (C5).
void teardown(sim::Sim &sim, vrt::Runtime &rt, const scenario::Scenario &sc, sim::Mutex &cli_mtx,
              const int &in_flight, const TimelineProgress &progress);

// After the run: with a teardown, a timeline still running at the end waited for
// something that never came while timers kept virtual time going, so no DEADLOCK was
// seen: STUCK, naming it.
void check_finished(sim::Sim &sim, const scenario::Scenario &sc, const TimelineProgress &progress);

}  // namespace vdisim::runner
