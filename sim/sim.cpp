// Sim implementation: the Boost.Fiber algorithm that defers every choice to the Sim's
// strategy, the run loop (virtual-time timers, quiescence, deadlock, stop) and parking.
#include "sim/sim.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <exception>

#include "sim/dispatcher_stack.hpp"
#include "sim/race_index.hpp"

namespace vdisim::sim {

namespace {

struct ActorProps final : boost::fibers::fiber_properties {
  explicit ActorProps(boost::fibers::context *ctx) : fiber_properties(ctx) {}
  Actor *actor = nullptr;
};

thread_local Sim *t_current = nullptr;
thread_local Actor *t_pending_actor = nullptr;

}  // namespace

// Ready set = actors (chosen by the Sim's strategy) plus Boost's main and dispatcher
// contexts, which run only when no actor is ready (the run loop lives on main).
class SimAlgorithm final : public boost::fibers::algo::algorithm_with_properties<ActorProps> {
 public:
  using context = boost::fibers::context;
  void awakened(context *ctx, ActorProps &props) noexcept override {
    if (props.actor) {
      ready_.push_back(props.actor);
      races_.added(ready_, props.actor);
    } else if (ctx->is_context(boost::fibers::type::dispatcher_context)) {
      register_dispatcher_stack(ctx);
      dispatcher_ = ctx;
    } else {
      main_ = ctx;
    }
  }
  boost::fibers::fiber_properties *new_properties(context *ctx) override {
    auto *p = new ActorProps(ctx);
    if (t_pending_actor) {
      p->actor = t_pending_actor;
      t_pending_actor->ctx = ctx;
      t_pending_actor = nullptr;
    }
    return p;
  }
  context *pick_next() noexcept override {
    // Let Boost's dispatcher free finished fibers' stacks now and then, even while actors
    // stay ready; it consults no strategy, so the decisions are unchanged.
    if (terminated_ >= 64 && dispatcher_ && !forced_ && !ready_.empty()) {
      terminated_ = 0;  // running_ stays: the dispatcher's own pick_next uses it
      return std::exchange(dispatcher_, nullptr);
    }
    if (!ready_.empty()) {
      std::size_t idx;
      if (forced_) {
        idx = *forced_;
        forced_.reset();
      } else {
        // The actor that just parked or ended still counts for PCT change points.
        idx = sim_ ? sim_->pick_index(ready_, sim_->running_) : 0;
      }
      Actor *a = ready_[idx];
      ready_[idx] = ready_.back();
      ready_.pop_back();
      races_.removed(ready_, a);
      a->state = Actor::State::Running;
      if (sim_) sim_->running_ = a;
      return a->ctx;
    }
    // No actor is ready. An actor that just parked goes straight to the run loop (main):
    // Boost's dispatcher, which makes no choice, is needed only to free finished fibers,
    // and running it first costs a switch and its loop (a clock read among them) at every
    // quiescent point. Main yielding itself, or an actor ending, goes through it as before.
    const bool actor_parked = sim_ && sim_->running_ && terminated_ == 0 && main_;
    if (sim_) sim_->running_ = nullptr;
    if (actor_parked) return std::exchange(main_, nullptr);
    if (dispatcher_) {
      terminated_ = 0;  // it frees them all
      return std::exchange(dispatcher_, nullptr);
    }
    return std::exchange(main_, nullptr);
  }
  bool has_ready_fibers() const noexcept override { return !ready_.empty() || dispatcher_ || main_; }
  // Never waits on real time: virtual time is advanced by the run loop.
  void suspend_until(std::chrono::steady_clock::time_point const &) noexcept override {}
  void notify() noexcept override {}

  std::vector<Actor *> ready_;
  RaceIndex races_;  // over ready_
  std::optional<std::size_t> forced_;
  std::size_t terminated_ = 0;  // actors ended since the dispatcher last ran
  Sim *sim_ = nullptr;

 private:
  context *dispatcher_ = nullptr;
  context *main_ = nullptr;
};

namespace {
thread_local SimAlgorithm *t_algo = nullptr;

SimAlgorithm &algo() {
  if (!t_algo) {
    t_algo = new SimAlgorithm();
    boost::fibers::context::active()->get_scheduler()->set_algo(t_algo);
  }
  return *t_algo;
}

class TimerWait final : public Waitable {
 public:
  explicit TimerWait(std::int64_t t) : t_(t) {}
  std::string describe() const override { return fmt::format("timer until t={:.9f}s", t_ / 1e9); }

 private:
  std::int64_t t_;
};

class JoinWait final : public Waitable {
 public:
  explicit JoinWait(const Actor &a) : a_(a) {}
  std::string describe() const override { return fmt::format("join of a{} '{}'", a_.id, a_.name); }
  std::vector<Actor *> holders() const override { return {const_cast<Actor *>(&a_)}; }

 private:
  const Actor &a_;
};
}  // namespace

Sim *Sim::current() { return t_current; }

std::string actor_label(const Actor *a) {
  return a ? fmt::format("a{} '{}'", a->id, a->name) : std::string("main");
}

Sim &this_sim() {
  Sim *s = Sim::current();
  if (!s) throw std::logic_error("no simulation is running on this thread");
  return *s;
}

Sim::Sim(RunOptions opts)
    : opts_(std::move(opts)),
      prng_(opts_.seed),
      trace_(opts_.trace_tail),
      stacks_(FiberStackPool::for_thread(opts_.stack_bytes)) {
  if (t_current) throw std::logic_error("one Sim at a time per thread");
  strategy_ = make_strategy(opts_.strategy, prng_.stream("sched"));
  if (opts_.coverage) coverage_ = std::make_unique<OrderCoverage>();
  trace_.keep_all(opts_.keep_trace, opts_.max_trace_events);
  t_current = this;
  algo_ = &algo();
  algo_->sim_ = this;
  algo_->terminated_ = 0;
}

Sim::~Sim() {
  if (live_ > 0 && !ran_) {
    // Actors spawned but never run: run them to cancellation so their stacks unwind.
    begin_stop(true);
    run();
  }
  algo_->sim_ = nullptr;
  t_current = nullptr;
}

Actor *Sim::spawn(std::string name, std::function<void()> body, bool daemon, std::size_t stack_bytes) {
  auto a = std::make_unique<Actor>();
  a->id = static_cast<std::uint32_t>(actors_.size() + 1);
  a->name = std::move(name);
  a->daemon = daemon;
  a->body = std::move(body);
  Actor *raw = a.get();
  actors_.push_back(std::move(a));
  strategy_->on_spawn(*raw);
  live_++;
  if (!daemon) live_workers_++;
  if (stopping_) raw->cancel = true;
  t_pending_actor = raw;
  FiberStacks stacks = stack_bytes == 0 ? stacks_ : FiberStacks(FiberStackPool::for_thread(stack_bytes));
  boost::fibers::fiber f(std::allocator_arg, stacks, [this, raw] { actor_main(raw); });
  f.detach();
  return raw;
}

void Sim::actor_main(Actor *a) {
  trace_.add({.time_ns = now_ns_, .actor = a->id, .kind = EventKind::ActorStart, .text = a->name});
  std::uint32_t outcome = 0;
  try {
    if (!a->cancel) a->body();
    if (a->stopped) outcome = 2;
  } catch (FailureError &f) {
    outcome = 1;
    if (!failure_) failure_ = std::move(f.failure);
  } catch (Cancelled &) {
    outcome = 2;
  } catch (const std::exception &e) {
    outcome = 1;
    record_failure("EXCEPTION", fmt::format("uncaught exception in actor '{}': {}", a->name, e.what()));
  } catch (...) {
    outcome = 1;
    record_failure("EXCEPTION", fmt::format("uncaught non-standard exception in actor '{}'", a->name));
  }
  a->body = nullptr;
  if (outcome == 0 && !a->held.empty() && !failure_) {
    std::string what;
    for (const Waitable *w : a->held) what += (what.empty() ? "" : ", ") + w->describe();
    record_failure("S4", fmt::format("actor '{}' ended holding {}", a->name, what));
  }
  a->held.clear();
  trace_.add({.time_ns = now_ns_, .actor = a->id, .kind = EventKind::ActorEnd, .a = outcome});
  a->state = Actor::State::Done;
  algo_->terminated_++;
  live_--;
  if (!a->daemon) live_workers_--;
  for (Actor *j : a->joiners) unpark(j);
  a->joiners.clear();
  if (failure_ && !stopping_) begin_stop(false);
}

std::size_t Sim::pick_index(std::span<Actor *const> ready, Actor *running) {
  steps_++;
  if (steps_ > opts_.step_budget && !failure_) {
    record_failure("LIVELOCK", fmt::format("step budget of {} scheduling steps exhausted", opts_.step_budget));
    begin_stop(false);
  }
  if (ready.size() == 1) {
    if (coverage_) note_step(ready[0], ready);
    return 0;
  }
  std::size_t idx = strategy_->choose(ready, running, steps_);
  if (coverage_) note_step(ready[idx], ready);
  if (strategy_->diverged() && !failure_) {
    record_failure("REPLAY", "the run diverged from the recorded decisions (different binary or scenario?)");
    begin_stop(false);
  }
  if (opts_.keep_decisions) decisions_.push_back(ready[idx]->id);
  const Touch &t = ready[idx]->touch;
  const RaceIndex &index = algo_->races_;
  if (index.active() && ready.data() == algo_->ready_.data()) {
    racing_steps_ += index.races(t, ready.size());
  } else {
    racing_steps_ += std::any_of(ready.begin(), ready.end(), [&](const Actor *c) {
      return c != ready[idx] && (t.may_race(c->touch) || c->touch.may_race(t));
    });
  }
  if (opts_.keep_choices) {
    Choice ch;
    for (Actor *c : ready) ch.ready.push_back(c->id);
    std::sort(ch.ready.begin(), ch.ready.end());
    ch.chosen = ready[idx]->id;
    bool at_point = running && std::find(ready.begin(), ready.end(), running) != ready.end();
    ch.running = at_point ? running->id : 0;
    for (std::size_t i = 0; i < ready.size() && !ch.racing; i++)
      for (std::size_t j = 0; j < ready.size(); j++)
        if (i != j && ready[i]->touch.may_race(ready[j]->touch)) ch.racing = true;
    choices_.push_back(std::move(ch));
  }
  trace_.add({.time_ns = now_ns_, .actor = running ? running->id : 0, .kind = EventKind::Decision,
              .a = ready[idx]->id, .b = static_cast<std::uint32_t>(ready.size())});
  return idx;
}

// The chosen actor now runs the step its touch names; a named step pending in another
// actor that conflicts with it comes after it: an order coverage counts (O(ready)).
void Sim::note_step(const Actor *chosen, std::span<Actor *const> ready) {
  const Touch &t = chosen->touch;
  if (!t.op || !t.obj || stopping_) return;
  coverage_->ran(t.op);
  for (const Actor *c : ready)
    if (c != chosen && c->touch.op && t.conflicts(c->touch)) coverage_->ordered(t.op, c->touch.op);
}

void Sim::check_cancel() {
  if (running_ && running_->cancel && std::uncaught_exceptions() == 0) throw Cancelled{};
}

void Sim::sched_point(Touch next, bool may_cancel) {
  Actor *self = running_;
  if (!self || quiet_) return;
  if (may_cancel) check_cancel();
  self->touch = next;
  auto &ready = algo_->ready_;
  if (ready.empty()) {
    pick_index(std::span<Actor *const>(&self, 1), self);
    return;
  }
  ready.push_back(self);
  algo_->races_.added(ready, self);
  std::size_t idx = pick_index(ready, self);
  ready.pop_back();
  algo_->races_.removed(ready, self);
  if (idx == ready.size()) return;  // the strategy kept the running actor
  algo_->forced_ = idx;
  self->state = Actor::State::Ready;
  self->ctx->yield();  // boost::this_fiber::yield() of the running actor, without its TLS lookup
  if (may_cancel) check_cancel();
}

bool Sim::park(const Waitable &w, std::optional<std::int64_t> deadline_ns, bool may_cancel) {
  Actor *a = running_;
  if (!a) throw std::logic_error("park() outside an actor");
  if (quiet_) throw std::logic_error("a wait in a Sim::Quiet section (an observer's check must not wait)");
  // Every wait-for edge starts at a park, so checking here finds each cycle when it closes,
  // even while timers (probes, traffic) keep the run from ever going quiescent.
  if (!stopping_) {
    std::string cycle = wait_cycle(a, w);
    if (!cycle.empty()) fail("DEADLOCK", fmt::format("{} would wait forever; {}", actor_label(a), cycle));
  }
  a->state = Actor::State::Parked;
  a->waiting_on = &w;
  a->touch = Touch{&w, true};  // woken, it takes or re-checks what it waited for
  a->timed_out = false;
  std::uint64_t gen = ++a->wait_gen;
  if (deadline_ns) timers_.push({*deadline_ns, timer_seq_++, a, gen});
  a->ctx->suspend();  // a runs: its context is the active one
  a->waiting_on = nullptr;
  if (may_cancel) check_cancel();
  return !a->timed_out;
}

void Sim::unpark(Actor *a) {
  if (a->state != Actor::State::Parked) return;
  a->state = Actor::State::Ready;
  a->waiting_on = nullptr;
  // What Boost's schedule(a->ctx) ends in for a parked actor: SimAlgorithm::awakened, which
  // puts it in the ready set (Boost keeps no ready queue of its own here). Done directly,
  // it skips Boost's look at the context (its sleep-queue hook, its properties object):
  // cold lines when a timer wakes 1,000 probe actors.
  algo_->ready_.push_back(a);
  algo_->races_.added(algo_->ready_, a);
}

namespace {
// Parks on w until virtual time t_ns (a scheduling point if that is not in the future).
// w says what the sleeper waits for: a TimerWait, or a lock a try-lock loop polls.
// may_cancel false: a cancellation ends the wait without throwing, and the result is false.
bool park_until(Sim &s, const Waitable &w, std::int64_t t_ns, bool may_cancel = true) {
  const Actor *a = s.running();
  auto stopped = [&] { return !may_cancel && a && a->cancel; };
  if (t_ns <= s.now_ns()) {
    if (stopped()) return false;
    s.sched_point(Touch{}, may_cancel);
    return !stopped();
  }
  while (s.now_ns() < t_ns) {
    s.park(w, t_ns, may_cancel);
    if (stopped()) return false;
  }
  return true;
}
}  // namespace

void Sim::sleep_until(std::int64_t t_ns) { park_until(*this, TimerWait(t_ns), t_ns); }

// Parked on w itself: w's holders are what this loop waits for. Its unlock does not wake
// us (we are not among w's waiters); the deadline does.
void Sim::sleep_polling(const Waitable &w, std::int64_t ns) {
  park_until(*this, w, now_ns_ + std::max<std::int64_t>(ns, 0));
}

void Sim::sleep_for(std::int64_t ns) { sleep_until(now_ns_ + std::max<std::int64_t>(ns, 0)); }

bool Sim::sleep_or_stop(std::int64_t ns) {
  Actor *a = running_;
  if (!a) throw std::logic_error("sleep_or_stop() outside an actor");
  const std::int64_t t_ns = now_ns_ + std::max<std::int64_t>(ns, 0);
  a->stopped = !park_until(*this, TimerWait(t_ns), t_ns, /*may_cancel=*/false);
  return !a->stopped;
}

void Sim::join(Actor *a) {
  JoinWait w(*a);
  while (a->state != Actor::State::Done) {
    a->joiners.push_back(running_);
    park(w);
  }
}

std::string Sim::running_name() const { return running_ ? running_->name : std::string("main"); }

void Sim::record_failure(std::string rule, std::string message) {
  if (failure_) return;
  Failure f;
  f.rule = std::move(rule);
  f.message = std::move(message);
  f.actor = running_name();
  f.time_ns = now_ns_;
  f.seed = opts_.seed;
  f.strategy = opts_.strategy.to_string();
  const std::string what = f.rule + ": " + f.message;
  trace_.add({.time_ns = now_ns_, .actor = running_ ? running_->id : 0, .kind = EventKind::Failure, .text = what});
  for (const Event &e : trace_.tail(opts_.trace_tail)) f.trace_tail.push_back(format_event(e));
  failure_ = std::move(f);
}

void Sim::fail(std::string rule, std::string message) {
  record_failure(std::move(rule), std::move(message));
  if (std::uncaught_exceptions() > 0 || !running_) throw Cancelled{};
  throw FailureError{*failure_};
}

void Sim::event(std::string_view topic, std::string_view text) {
  trace_.add({.time_ns = now_ns_, .actor = running_ ? running_->id : 0, .kind = EventKind::User,
              .topic = topic, .text = text});
}

void Sim::begin_stop(bool) {
  if (stopping_) return;
  stopping_ = true;
  for (auto &a : actors_)
    if (a->state != Actor::State::Done) a->cancel = true;
}

// Depth-first over the wait-for graph, iteratively (this runs on an actor's small stack):
// an edge goes from a parked actor to each holder of what it waits on, so a chain ends at
// an actor that is not parked or waits on something nobody holds (a timer, a condvar).
std::string Sim::wait_cycle(const Actor *self, const Waitable &w) const {
  struct Node {
    const Actor *actor;
    std::size_t parent;  // index in nodes, or npos for a holder of w itself
  };
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<Node> nodes;
  std::vector<std::size_t> todo;
  std::vector<const Actor *> seen;
  for (Actor *h : w.holders()) {
    nodes.push_back({h, npos});
    todo.push_back(nodes.size() - 1);
  }
  while (!todo.empty()) {
    std::size_t i = todo.back();
    todo.pop_back();
    const Actor *cur = nodes[i].actor;
    if (cur == self) {
      std::vector<const Actor *> chain;  // holders from w back to self
      for (std::size_t j = nodes[i].parent; j != npos; j = nodes[j].parent) chain.push_back(nodes[j].actor);
      std::string waits = fmt::format("{} waits on {} held by {};", actor_label(self), w.describe(),
                                      actor_label(chain.empty() ? self : chain.back()));
      std::string text = fmt::format("wait-for cycle: {} -> [{}]", actor_label(self), w.describe());
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        const Actor *next = it + 1 == chain.rend() ? self : *(it + 1);
        waits += fmt::format(" {} waits on {} held by {};", actor_label(*it), (*it)->waiting_on->describe(),
                             actor_label(next));
        text += fmt::format(" -> {} -> [{}]", actor_label(*it), (*it)->waiting_on->describe());
      }
      return waits + " " + text + " -> " + actor_label(self);
    }
    if (cur->state != Actor::State::Parked || !cur->waiting_on) continue;
    if (std::find(seen.begin(), seen.end(), cur) != seen.end()) continue;
    seen.push_back(cur);
    for (Actor *h : cur->waiting_on->holders()) {
      nodes.push_back({h, i});
      todo.push_back(nodes.size() - 1);
    }
  }
  return "";
}

std::string Sim::deadlock_report() const {
  std::string s = "no actor can run and no timer is pending;";
  for (const auto &a : actors_) {
    if (a->state != Actor::State::Parked || a->daemon) continue;
    s += fmt::format(" {} waits on {}", actor_label(a.get()),
                     a->waiting_on ? a->waiting_on->describe() : std::string("?"));
    if (a->waiting_on) {
      for (Actor *h : a->waiting_on->holders()) s += fmt::format(" held by {}", actor_label(h));
    }
    s += ";";
  }
  return s;
}

void Sim::loop_once_quiescent() {
  if (stopping_) {
    for (auto &a : actors_)
      if (a->state == Actor::State::Parked) unpark(a.get());
    return;
  }
  if (live_workers_ == 0 && opts_.end_ns == INT64_MAX) {  // no end time, only daemons left
    begin_stop(true);
    return;
  }
  while (!timers_.empty()) {
    const Timer &t = timers_.top();
    if (t.actor->state == Actor::State::Parked && t.actor->wait_gen == t.gen) break;
    timers_.pop();
  }
  if (!timers_.empty()) {
    std::int64_t at = timers_.top().at_ns;
    if (at > opts_.end_ns) {
      now_ns_ = opts_.end_ns;
      begin_stop(true);
      return;
    }
    now_ns_ = at;
    std::uint32_t woken = 0;
    while (!timers_.empty() && timers_.top().at_ns == at) {
      Timer t = timers_.top();
      timers_.pop();
      if (t.actor->state != Actor::State::Parked || t.actor->wait_gen != t.gen) continue;
      t.actor->timed_out = true;
      unpark(t.actor);
      woken++;
    }
    trace_.add({.time_ns = now_ns_, .kind = EventKind::Timer, .a = woken});
    return;
  }
  bool only_daemons = std::none_of(actors_.begin(), actors_.end(), [](const auto &a) {
    return a->state == Actor::State::Parked && !a->daemon;
  });
  if (!only_daemons) record_failure("DEADLOCK", deadlock_report());
  begin_stop(only_daemons);
}

RunReport Sim::run() {
  if (ran_ && live_ == 0) throw std::logic_error("Sim::run() called twice");
  ran_ = true;
  while (true) {
    if (!algo_->ready_.empty()) {
      boost::this_fiber::yield();
      continue;
    }
    if (live_ == 0) break;
    loop_once_quiescent();
  }
  boost::this_fiber::yield();  // lets Boost's dispatcher reclaim finished fibers' stacks
  RunReport r;
  r.seed = opts_.seed;
  r.strategy = opts_.strategy.to_string();
  r.digest = trace_.digest();
  r.steps = steps_;
  r.events = trace_.size();
  r.end_ns = now_ns_;
  r.actors = static_cast<std::uint32_t>(actors_.size());
  r.failure = failure_;
  r.decisions = std::move(decisions_);
  r.racing_steps = racing_steps_;
  r.choices = std::move(choices_);
  if (coverage_) {
    r.orders = coverage_->orders();
    r.ops = coverage_->ops();
  }
  return r;
}

}  // namespace vdisim::sim
