// Sim: owns one run — virtual clock, the seeded Prng, the actors (Boost.Fiber fibers on
// one OS thread), virtual-time timers, the trace and the first failure. A run is a pure
// function of (setup, seed, strategy). Nothing here reads a wall clock; no run blocks on
// real time. Entry point for everything above the core; fake_vrt reaches the running Sim
// through Sim::current() because Varnish's C API passes no context to Lck_* or VTIM_*.
#pragma once
#include <boost/fiber/all.hpp>
#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include "sim/actor.hpp"
#include "sim/coverage.hpp"
#include "sim/failure.hpp"
#include "sim/fiber_stacks.hpp"
#include "sim/prng.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace vdisim::sim {

class Sim;

// One choice among >= 2 ready actors, kept for the exploring drivers (dfs, shrinking):
// who could run, who ran, and whether the actor at the point could have gone on.
struct Choice {
  std::vector<std::uint32_t> ready;  // candidate actor ids, ascending
  std::uint32_t chosen = 0;
  std::uint32_t running = 0;  // the actor at the point if it is a candidate, else 0
  bool racing = false;        // two candidates' next steps may race (Touch::may_race)
  bool preempts() const { return running != 0 && chosen != running; }
};

struct RunOptions {
  std::uint64_t seed = 1;
  StrategySpec strategy;
  // Virtual time at which the run stops; INT64_MAX = when only daemon actors are left.
  std::int64_t end_ns = INT64_MAX;
  std::uint64_t step_budget = 50'000'000;
  std::size_t trace_tail = 64;
  bool keep_trace = false;
  std::uint64_t max_trace_events = UINT64_MAX;  // events keep_trace keeps (Trace::keep_all)
  // An actor's stack: a worker thread's in varnishd 8.0.0 (thread_pool_stack's default on
  // 64-bit systems, 80k), so director code that runs there in varnishd has room here.
  std::size_t stack_bytes = 80 * 1024;
  bool keep_choices = false;  // fill RunReport::choices
  // Fill RunReport::decisions (replay files, determinism checks). Off for sweeps that only
  // want verdicts: a 50M-step run would otherwise keep 200 MB of them.
  bool keep_decisions = true;
  bool coverage = false;      // fill RunReport::orders and ops (interleaving coverage)
};

struct RunReport {
  std::uint64_t seed = 0;
  std::string strategy;
  std::uint64_t digest = 0;
  std::uint64_t steps = 0;
  std::uint64_t events = 0;
  std::int64_t end_ns = 0;
  std::uint32_t actors = 0;
  std::optional<Failure> failure;
  std::vector<std::uint32_t> decisions;
  std::uint64_t racing_steps = 0;  // choices whose step may race with a pending one (Touch::may_race)
  std::vector<Choice> choices;     // with RunOptions::keep_choices
  // With RunOptions::coverage: "a<b" -> how often a named step `a` ran while a named
  // step `b` of another actor, conflicting with it, was pending; the named ops that ran.
  std::map<std::string, std::uint64_t> orders;
  std::set<std::string> ops;
  bool ok() const { return !failure; }
};

class Sim {
 public:
  explicit Sim(RunOptions opts);
  ~Sim();
  Sim(const Sim &) = delete;
  Sim &operator=(const Sim &) = delete;

  // The running Sim of this OS thread (null outside Sim::run).
  static Sim *current();

  // Creates an actor; it becomes ready at once. Callable before run() and from actors.
  // stack_bytes: its stack's size, 0 for the run's (RunOptions::stack_bytes).
  Actor *spawn(std::string name, std::function<void()> body, bool daemon = false, std::size_t stack_bytes = 0);
  // Runs until every non-daemon actor ended, end_ns passed, a failure or a deadlock.
  RunReport run();

  // --- for actors (the calling fiber must be an actor of this Sim) ---
  // A place where another actor may run. Throws Cancelled when the run is stopping,
  // unless may_cancel is false (releases: unlock is called from destructors).
  void sched_point(bool may_cancel = true) { sched_point(Touch{}, may_cancel); }
  // The same, saying what the step after it touches (conflict-aware strategies use it).
  void sched_point(Touch next, bool may_cancel = true);
  void sleep_for(std::int64_t ns);     // virtual time
  void sleep_until(std::int64_t t_ns);
  // sleep_for for a daemon's loop: false, instead of throwing Cancelled, when the run stops.
  // The daemon then returns, and its end is traced as cancelled, as an unwound one's is:
  // the same trace without the unwind (a throw is about 4% of a race seed's instructions).
  [[nodiscard]] bool sleep_or_stop(std::int64_t ns);
  void join(Actor *a);
  // Parks the running actor on w until unpark(); with deadline, until then at the latest.
  // Returns false iff the deadline passed first. Fails the run with DEADLOCK instead when
  // w's holders wait, through a chain of parked actors, for the running actor.
  // may_cancel false: returns when cancelled too (the caller checks running()->cancel).
  bool park(const Waitable &w, std::optional<std::int64_t> deadline_ns = std::nullopt, bool may_cancel = true);
  // Sleeps ns of virtual time in a try-lock loop on w: until then the actor counts as
  // waiting for w's holders (a chain back to it is a DEADLOCK, as for park()).
  void sleep_polling(const Waitable &w, std::int64_t ns);
  // The wait-for cycle self would close by waiting on w ("" if none): w's holders, the
  // holders of what each of them is parked on, ... back to self.
  std::string wait_cycle(const Actor *self, const Waitable &w) const;
  void unpark(Actor *a);
  // Ends the run with a failure: records it (first one wins) and throws FailureError.
  [[noreturn]] void fail(std::string rule, std::string message);
  // Records a failure without throwing (destructors, the run loop).
  void record_failure(std::string rule, std::string message);

  Actor *running() const { return running_; }
  std::string running_name() const;
  std::int64_t now_ns() const { return now_ns_; }
  double now_s() const { return static_cast<double>(now_ns_) * 1e-9; }
  Prng &prng() { return prng_; }
  Trace &trace() { return trace_; }
  const RunOptions &options() const { return opts_; }
  bool failed() const { return failure_.has_value(); }
  const std::optional<Failure> &failure() const { return failure_; }
  bool stopping() const { return stopping_; }
  void event(std::string_view topic, std::string_view text);  // a User event in the trace
  // Ends the run at t_ns at the latest (an earlier end stays): daemons that would keep an
  // idle run going until RunOptions::end_ns stop there.
  void end_at(std::int64_t t_ns) { opts_.end_ns = std::min(opts_.end_ns, t_ns); }

  // Called by the Boost.Fiber algorithm.
  std::size_t pick_index(std::span<Actor *const> ready, Actor *running);

  // While one lives, the running actor is alone: scheduling points go on without a
  // decision and the trace drops events, so an observer's check at a quiescent point
  // (a property test's model) leaves the run, its digest and its replay as they were.
  // A wait inside it is an error (std::logic_error): it would need another actor.
  class Quiet {
   public:
    explicit Quiet(Sim &s) : s_(s), was_(s.quiet_) {
      s_.quiet_ = true;
      s_.trace_.mute(true);
    }
    ~Quiet() {
      s_.quiet_ = was_;
      s_.trace_.mute(was_);
    }
    Quiet(const Quiet &) = delete;
    Quiet &operator=(const Quiet &) = delete;

   private:
    Sim &s_;
    bool was_;
  };

 private:
  struct Timer {
    std::int64_t at_ns;
    std::uint64_t seq;
    Actor *actor;
    std::uint64_t gen;
    bool operator>(const Timer &o) const { return at_ns != o.at_ns ? at_ns > o.at_ns : seq > o.seq; }
  };
  void actor_main(Actor *a);
  void loop_once_quiescent();
  void begin_stop(bool normal);
  std::string deadlock_report() const;
  void check_cancel();
  void note_step(const Actor *chosen, std::span<Actor *const> ready);  // with coverage_ only

  RunOptions opts_;
  Prng prng_;
  Trace trace_;
  std::unique_ptr<Strategy> strategy_;
  std::int64_t now_ns_ = 0;
  std::uint64_t steps_ = 0;
  std::vector<std::unique_ptr<Actor>> actors_;
  std::size_t live_ = 0;
  std::size_t live_workers_ = 0;  // live non-daemon actors
  Actor *running_ = nullptr;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::uint64_t timer_seq_ = 0;
  std::optional<Failure> failure_;
  std::vector<std::uint32_t> decisions_;
  std::uint64_t racing_steps_ = 0;
  std::vector<Choice> choices_;
  std::unique_ptr<OrderCoverage> coverage_;  // with RunOptions::coverage
  bool stopping_ = false;
  bool quiet_ = false;  // a Quiet section runs
  bool ran_ = false;
  Actor *forced_next_ = nullptr;
  FiberStacks stacks_;
  Sim *prev_current_ = nullptr;
  class SimAlgorithm *algo_ = nullptr;  // the thread's scheduler algorithm (algo() costs a TLS lookup)
  friend class SimAlgorithm;
};

// Convenience for code that must run inside an actor of the current Sim.
Sim &this_sim();

// "a3 'name'" for reports and failures; "main" for null (outside any actor).
std::string actor_label(const Actor *a);

}  // namespace vdisim::sim
