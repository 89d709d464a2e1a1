// Sync primitives on the Sim: waiters park; a release hands the lock to one waiter, the
// one the strategy picks (Sim::pick_index, a decision replay and dfs see like any other),
// so all grant orders are explorable with one wake-up per grant. While the run stops, a
// release wakes every waiter instead: each is cancelled, or takes the free lock itself.
#include "sim/sync.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <span>

namespace vdisim::sim {

namespace {

void lock_event(std::string_view name, std::uint32_t what) {
  Sim &s = this_sim();
  s.trace().add({.time_ns = s.now_ns(), .actor = s.running() ? s.running()->id : 0,
                 .kind = EventKind::Lock, .a = what, .text = name});
}

void wake_all(std::vector<Actor *> &waiters) {
  std::vector<Actor *> w;
  w.swap(waiters);
  for (Actor *a : w) this_sim().unpark(a);
}

// Which of the waiters gets what was released: the strategy's pick when two or more wait.
std::size_t pick_waiter(Sim &s, std::span<Actor *const> waiters) {
  return waiters.size() < 2 ? 0 : s.pick_index(waiters, nullptr);
}

// Parks until granted() says the lock was handed over, or takes it when it is found free
// (woken while the run stops). A grant the actor cannot use (cancelled on waking) is given
// up with give_back before the exception leaves.
template <class Granted, class Free, class Take, class GiveBack>
void park_for_grant(Sim &s, const Waitable &w, Granted granted, Free is_free, Take take, GiveBack give_back) {
  while (!granted()) {
    if (is_free()) {
      take();
      return;
    }
    try {
      s.park(w);
    } catch (...) {
      if (granted()) give_back();
      throw;
    }
  }
}

void forget(std::vector<Actor *> &waiters, Actor *a) {
  waiters.erase(std::remove(waiters.begin(), waiters.end(), a), waiters.end());
}

void hold(Actor *a, const Waitable *w) {
  if (a) a->held.push_back(w);
}

void drop(Actor *a, const Waitable *w) {
  if (!a) return;
  auto it = std::find(a->held.begin(), a->held.end(), w);
  if (it != a->held.end()) a->held.erase(it);
}

// Removes the running actor from a wait list when its wait ends, also when unwinding.
struct WaitEntry {
  std::vector<Actor *> &list;
  Actor *self;
  WaitEntry(std::vector<Actor *> &l, Actor *a) : list(l), self(a) { list.push_back(a); }
  ~WaitEntry() { forget(list, self); }
};
}  // namespace

Mutex::Mutex(std::string name) : name_(std::move(name)) {}

Mutex::~Mutex() {
  Sim *s = Sim::current();
  if (owner_ && s && !s->stopping())
    s->record_failure(kRuleDestroyHeld, fmt::format("mutex '{}' destroyed while held by {}", name_, actor_label(owner_)));
  if (s) drop(owner_, this);  // its owner is an actor of the running Sim
}

bool Mutex::held_by_me() const { return owner_ && owner_ == this_sim().running(); }

void Mutex::lock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, true});
  Actor *self = s.running();
  if (owner_ && owner_ == self) s.fail(kRuleRelock, fmt::format("mutex '{}' locked again by its owner {}", name_, actor_label(self)));
  auto take = [&] {
    owner_ = self;
    hold(self, this);
  };
  if (owner_) {
    lock_event(name_, 2);
    WaitEntry e(waiters_, self);
    park_for_grant(
        s, *this, [&] { return owner_ == self; }, [&] { return !owner_; }, take, [&] { release_no_point(); });
  } else {
    take();
  }
  lock_event(name_, 0);
}

bool Mutex::try_lock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, true});
  if (owner_) return false;
  owner_ = s.running();
  hold(owner_, this);
  lock_event(name_, 0);
  return true;
}

void Mutex::release_no_point() {
  Sim &s = this_sim();
  if (owner_ != s.running())
    s.fail(kRuleUnlockNotOwner, fmt::format("mutex '{}' unlocked by {} but held by {}", name_,
                                            actor_label(s.running()), owner_ ? actor_label(owner_) : "nobody"));
  drop(owner_, this);
  owner_ = nullptr;
  lock_event(name_, 1);
  hand_over();
}

void Mutex::hand_over() {
  if (waiters_.empty()) return;
  Sim &s = this_sim();
  if (s.stopping()) return wake_all(waiters_);
  std::size_t i = pick_waiter(s, waiters_);
  Actor *a = waiters_[i];
  waiters_.erase(waiters_.begin() + static_cast<std::ptrdiff_t>(i));
  owner_ = a;
  hold(a, this);
  s.unpark(a);
}

void Mutex::unlock() {
  release_no_point();
  this_sim().sched_point(/*may_cancel=*/false);
}

std::string Mutex::describe() const { return fmt::format("mutex '{}'", name_); }
std::vector<Actor *> Mutex::holders() const {
  if (owner_) return {owner_};
  return {};
}

RwLock::RwLock(std::string name) : name_(std::move(name)) {}

RwLock::~RwLock() {
  Sim *s = Sim::current();
  if ((writer_ || !readers_.empty()) && s && !s->stopping())
    s->record_failure(kRuleDestroyHeld, fmt::format("rwlock '{}' destroyed while held", name_));
  if (!s) return;  // its holders are actors of the running Sim
  drop(writer_, this);
  for (Actor *r : readers_) drop(r, this);
}

void RwLock::rdlock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, false});
  Actor *self = s.running();
  if (writer_ == self) s.fail(kRuleRelock, fmt::format("rwlock '{}' read-locked by its writer {}", name_, actor_label(self)));
  if (writer_) {
    wait_for_grant(false);
  } else {
    readers_.push_back(self);
    hold(self, this);
  }
  lock_event(name_, 0);
}

void RwLock::wrlock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, true});
  Actor *self = s.running();
  if (writer_ == self || std::find(readers_.begin(), readers_.end(), self) != readers_.end())
    s.fail(kRuleRelock, fmt::format("rwlock '{}' write-locked by {} which already holds it", name_, actor_label(self)));
  if (writer_ || !readers_.empty()) {
    wait_for_grant(true);
  } else {
    writer_ = self;
    hold(self, this);
  }
  lock_event(name_, 0);
}

// Readers wait only for a writer (a reader comes in while others read, as before).
void RwLock::wait_for_grant(bool write) {
  Sim &s = this_sim();
  Actor *self = s.running();
  lock_event(name_, 2);
  waiters_.push_back({self, write});
  struct Leave {  // out of the list when the wait ends, also when unwinding
    std::vector<Waiter> &list;
    Actor *self;
    ~Leave() {
      auto it = std::find_if(list.begin(), list.end(), [&](const Waiter &w) { return w.actor == self; });
      if (it != list.end()) list.erase(it);
    }
  } leave{waiters_, self};
  auto reading = [&] { return std::find(readers_.begin(), readers_.end(), self) != readers_.end(); };
  park_for_grant(
      s, *this, [&] { return write ? writer_ == self : reading(); },
      [&] { return !writer_ && (!write || readers_.empty()); },
      [&] {
        if (write) writer_ = self;
        else readers_.push_back(self);
        hold(self, this);
      },
      [&] { release(self); });
}

// The lock is free: the strategy picks a waiter; a writer gets it alone, a reader with
// every reader waiting.
void RwLock::hand_over() {
  if (waiters_.empty() || writer_ || !readers_.empty()) return;
  Sim &s = this_sim();
  if (s.stopping()) {
    std::vector<Waiter> w;
    w.swap(waiters_);
    for (const Waiter &x : w) s.unpark(x.actor);
    return;
  }
  std::size_t i = 0;
  if (waiters_.size() > 1) {
    std::vector<Actor *> c;
    c.reserve(waiters_.size());
    for (const Waiter &w : waiters_) c.push_back(w.actor);
    i = pick_waiter(s, c);
  }
  if (waiters_[i].write) {
    writer_ = waiters_[i].actor;
    waiters_.erase(waiters_.begin() + static_cast<std::ptrdiff_t>(i));
    hold(writer_, this);
    s.unpark(writer_);
    return;
  }
  std::vector<Waiter> writers;
  for (const Waiter &w : waiters_) {
    if (w.write) {
      writers.push_back(w);
      continue;
    }
    readers_.push_back(w.actor);
    hold(w.actor, this);
    s.unpark(w.actor);
  }
  waiters_.swap(writers);
}

bool RwLock::try_rdlock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, false});
  if (writer_) return false;
  readers_.push_back(s.running());
  hold(s.running(), this);
  lock_event(name_, 0);
  return true;
}

bool RwLock::try_wrlock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, true});
  if (writer_ || !readers_.empty()) return false;
  writer_ = s.running();
  hold(writer_, this);
  lock_event(name_, 0);
  return true;
}

bool RwLock::release(Actor *a) {
  if (writer_ == a) {
    writer_ = nullptr;
  } else if (auto it = std::find(readers_.begin(), readers_.end(), a); it != readers_.end()) {
    readers_.erase(it);
  } else {
    return false;
  }
  drop(a, this);
  lock_event(name_, 1);
  hand_over();
  return true;
}

void RwLock::unlock() {
  Sim &s = this_sim();
  Actor *self = s.running();
  if (!release(self))
    s.fail(kRuleUnlockNotOwner, fmt::format("rwlock '{}' unlocked by {} which does not hold it", name_, actor_label(self)));
  s.sched_point(/*may_cancel=*/false);
}

std::string RwLock::describe() const { return fmt::format("rwlock '{}'", name_); }
std::vector<Actor *> RwLock::holders() const {
  if (writer_) return {writer_};
  return readers_;
}

CondVar::CondVar(std::string name) : name_(std::move(name)) {}
CondVar::~CondVar() = default;

bool CondVar::wait(Mutex &m, std::optional<std::int64_t> deadline_ns) {
  Sim &s = this_sim();
  Actor *self = s.running();
  if (m.owner() != self)
    s.fail(kRuleUnlockNotOwner, fmt::format("condvar '{}' waited on with mutex '{}' not held by {}", name_, m.name(), actor_label(self)));
  bool woken;
  {
    WaitEntry e(waiters_, self);
    m.release_no_point();
    woken = s.park(*this, deadline_ns);
  }
  m.lock();
  return woken;
}

void CondVar::signal() {
  Sim &s = this_sim();
  if (!waiters_.empty()) {
    std::size_t i = s.stopping() ? 0 : pick_waiter(s, waiters_);
    Actor *a = waiters_[i];
    waiters_.erase(waiters_.begin() + static_cast<std::ptrdiff_t>(i));
    s.unpark(a);
  }
  s.sched_point();
}

void CondVar::broadcast() {
  wake_all(waiters_);
  this_sim().sched_point();
}

std::string CondVar::describe() const { return fmt::format("condvar '{}' (no signal pending)", name_); }

}  // namespace vdisim::sim
