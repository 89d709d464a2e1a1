// Mutex, RwLock and CondVar for actors: single-threaded, every operation a scheduling
// point, owner and waiters visible to the deadlock report and the trace. A release hands
// the lock to one waiter the strategy picks (a decision like any other), a signal wakes
// one waiter the strategy picks: one wake-up each, not one per waiter. Misuse (unlock by
// a non-owner, relock by the owner, destroy while held) is a Failure, never UB.
// Not for use outside a running Sim.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/sim.hpp"

namespace vdisim::sim {

// Core rule ids for lock misuse (reported like VRT_SPEC rules).
inline constexpr const char *kRuleUnlockNotOwner = "S1";
inline constexpr const char *kRuleRelock = "S2";
inline constexpr const char *kRuleDestroyHeld = "S3";
inline constexpr const char *kRuleEndHeld = "S4";  // an actor ended holding a lock

class Mutex final : public Waitable {
 public:
  explicit Mutex(std::string name);
  ~Mutex() override;
  Mutex(const Mutex &) = delete;
  Mutex &operator=(const Mutex &) = delete;
  void lock();
  bool try_lock();
  void unlock();
  bool held_by_me() const;
  Actor *owner() const { return owner_; }
  const std::string &name() const { return name_; }
  std::string describe() const override;
  std::vector<Actor *> holders() const override;

 private:
  friend class CondVar;
  void release_no_point();
  void hand_over();
  std::string name_;
  Actor *owner_ = nullptr;
  std::vector<Actor *> waiters_;
};

class RwLock final : public Waitable {
 public:
  explicit RwLock(std::string name);
  ~RwLock() override;
  RwLock(const RwLock &) = delete;
  RwLock &operator=(const RwLock &) = delete;
  void rdlock();
  void wrlock();
  bool try_rdlock();
  bool try_wrlock();
  void unlock();
  std::string describe() const override;
  std::vector<Actor *> holders() const override;

 private:
  struct Waiter {
    Actor *actor;
    bool write;
  };
  void wait_for_grant(bool write);
  void hand_over();
  bool release(Actor *a);
  std::string name_;
  Actor *writer_ = nullptr;
  std::vector<Actor *> readers_;
  std::vector<Waiter> waiters_;
};

class CondVar final : public Waitable {
 public:
  explicit CondVar(std::string name);
  ~CondVar() override;
  // Atomically releases m and parks; re-acquires m before returning. With a deadline,
  // returns false iff it timed out.
  bool wait(Mutex &m, std::optional<std::int64_t> deadline_ns = std::nullopt);
  void signal();
  void broadcast();
  std::string describe() const override;

 private:
  std::string name_;
  std::vector<Actor *> waiters_;
};

}  // namespace vdisim::sim
