// RaceIndex: whether the chosen step of a large ready set may race with another one
// (RunReport::racing_steps), without a scan of the set at every step.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
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
    count(a->touch, -1);
    if (set.size() >= kUntil) return;
    active_ = false;
    for (const Actor *m : set) count(m->touch, -1);  // leaves the table empty, no sweep of it
    if (unsaid_ != 0 || !by_obj_.empty()) {            // unreachable: every member was counted once
      unsaid_ = 0;
      by_obj_.clear();
    }
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

  // Counts by object: open addressing with linear probing, deletion by backward shift (no
  // tombstones), so a step costs no allocation (a node-based map allocated and freed one
  // per member coming and going: 5% of 1,000 probes' polls). Looked up, never iterated.
  class Table {
   public:
    bool empty() const { return used_ == 0; }
    Counts &operator[](const void *key) {
      if ((used_ + 1) * 2 > slots_.size()) grow();
      std::size_t i = home(key);
      while (slots_[i].key && slots_[i].key != key) i = (i + 1) & mask_;
      if (!slots_[i].key) {
        slots_[i] = Slot{key, {}};
        used_++;
      }
      return slots_[i].counts;
    }
    const Counts &at(const void *key) const {
      std::size_t i = home(key);
      for (std::size_t n = 0; n < slots_.size() && slots_[i].key; n++, i = (i + 1) & mask_)
        if (slots_[i].key == key) return slots_[i].counts;
      throw std::logic_error("RaceIndex: a member's object is not counted");
    }
    void erase(const void *key) {
      std::size_t i = home(key);
      while (slots_[i].key != key) i = (i + 1) & mask_;
      // Pull later entries of the probe run back over the hole while that keeps each one
      // reachable from its home slot.
      for (std::size_t j = (i + 1) & mask_; slots_[j].key; j = (j + 1) & mask_) {
        const std::size_t h = home(slots_[j].key);
        const bool between = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (!between) {
          slots_[i] = slots_[j];
          i = j;
        }
      }
      slots_[i].key = nullptr;
      used_--;
    }
    void clear() {
      for (Slot &s : slots_) s.key = nullptr;
      used_ = 0;
    }

   private:
    struct Slot {
      const void *key = nullptr;
      Counts counts;
    };
    std::size_t home(const void *key) const {
      return static_cast<std::size_t>((std::bit_cast<std::uintptr_t>(key) * 0x9e3779b97f4a7c15ULL) >> shift_);
    }
    void grow() {
      std::vector<Slot> old = std::move(slots_);
      const std::size_t n = old.empty() ? 512 : old.size() * 2;
      slots_.assign(n, Slot{});
      mask_ = n - 1;
      shift_ = 64 - static_cast<unsigned>(std::countr_zero(n));
      used_ = 0;
      for (const Slot &s : old)
        if (s.key) (*this)[s.key] = s.counts;
    }
    std::vector<Slot> slots_;
    std::size_t used_ = 0, mask_ = 0;
    unsigned shift_ = 64;
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
  Table by_obj_;
};

}  // namespace vdisim::sim
