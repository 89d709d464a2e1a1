// RaceIndex: whether the chosen step of a large ready set may race with another one
// (RunReport::racing_steps), without a scan of the set at every step.
#pragma once
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "sim/actor.hpp"

namespace vdisim::sim {

// Over a set of actors (the ready set: `added` after a push, `removed` after a removal):
// the count of unsaid steps and, per object, of the steps touching it and of those
// writing it. Kept only while the set is large (100,000 actors woken at one time made
// every step O(n)); for a few actors the scan costs less than keeping counts. An actor's
// touch does not change while it is in the set.
class RaceIndex {
 public:
  bool active() const { return active_; }
  // Counts are kept from kFrom members on, and dropped below kUntil.
  static constexpr std::size_t kFrom = 256, kUntil = 128;

  void added(const std::vector<Actor *> &set, const Actor *a) {
    if (active_) {
      count(a->touch, 1);
    } else if (set.size() >= kFrom) {
      active_ = true;
      for (const Actor *m : set) count(m->touch, 1);
    }
  }

  void removed(const std::vector<Actor *> &set, const Actor *a) {
    if (!active_) return;
    if (set.size() >= kUntil) {
      count(a->touch, -1);
      return;
    }
    active_ = false;
    unsaid_ = 0;
    by_obj_.clear();
  }

  // Touch::may_race either way between `t`, the touch of a member, and another member.
  bool races(const Touch &t, std::size_t size) const {
    if (!t.obj) return unsaid_ < static_cast<std::int64_t>(size);  // another member says what it touches
    if (unsaid_ > 0) return true;       // another member says nothing
    const Counts &c = by_obj_.at(t.obj);  // counts t itself
    return t.write ? c.steps > 1 : c.writers > 0;
  }

 private:
  struct Counts {
    std::int64_t steps = 0, writers = 0;
  };

  void count(const Touch &t, std::int64_t d) {
    if (!t.obj) {
      unsaid_ += d;
      return;
    }
    Counts &c = by_obj_[t.obj];
    c.steps += d;
    if (t.write) c.writers += d;
    if (c.steps == 0) by_obj_.erase(t.obj);
  }

  bool active_ = false;
  std::int64_t unsaid_ = 0;
  std::unordered_map<const void *, Counts> by_obj_;  // looked up, never iterated
};

}  // namespace vdisim::sim
