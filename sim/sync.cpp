// Sync primitives on the Sim: waiters park; a release wakes every waiter to compete again
// (the strategy decides who wins), so all grant orders are explorable.
#include "sim/sync.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

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
  while (owner_) {
    lock_event(name_, 2);
    WaitEntry e(waiters_, self);
    s.park(*this);
  }
  owner_ = self;
  hold(self, this);
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
  wake_all(waiters_);
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
  while (writer_) {
    lock_event(name_, 2);
    WaitEntry e(waiters_, self);
    s.park(*this);
  }
  readers_.push_back(self);
  hold(self, this);
  lock_event(name_, 0);
}

void RwLock::wrlock() {
  Sim &s = this_sim();
  s.sched_point(Touch{this, true});
  Actor *self = s.running();
  if (writer_ == self || std::find(readers_.begin(), readers_.end(), self) != readers_.end())
    s.fail(kRuleRelock, fmt::format("rwlock '{}' write-locked by {} which already holds it", name_, actor_label(self)));
  while (writer_ || !readers_.empty()) {
    lock_event(name_, 2);
    WaitEntry e(waiters_, self);
    s.park(*this);
  }
  writer_ = self;
  hold(self, this);
  lock_event(name_, 0);
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

void RwLock::unlock() {
  Sim &s = this_sim();
  Actor *self = s.running();
  if (writer_ == self) {
    writer_ = nullptr;
    drop(self, this);
  } else if (auto it = std::find(readers_.begin(), readers_.end(), self); it != readers_.end()) {
    readers_.erase(it);
    drop(self, this);
  } else {
    s.fail(kRuleUnlockNotOwner, fmt::format("rwlock '{}' unlocked by {} which does not hold it", name_, actor_label(self)));
  }
  lock_event(name_, 1);
  wake_all(waiters_);
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
    Actor *a = waiters_.front();
    waiters_.erase(waiters_.begin());
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
