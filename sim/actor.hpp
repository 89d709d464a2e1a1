// Actor: one fiber of a run as the scheduler and the strategies see it (its state, what
// its next step touches, what it waits on and holds), with Touch and Waitable. Apart from
// sim.hpp so that the strategies (scheduler.cpp) need not know the Sim.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace boost::fibers {
class context;
}

namespace vdisim::sim {

struct Actor;

// Something an actor can park on; tells the deadlock report what it is and who holds it.
class Waitable {
 public:
  virtual ~Waitable() = default;
  virtual std::string describe() const = 0;
  virtual std::vector<Actor *> holders() const { return {}; }
};

// What an actor's next step touches (a lock, a director, a VCL ...), said at the scheduling
// point before it: two pending steps conflict when they touch the same object and one of
// them writes. obj == nullptr: not said (conflicts with nothing). Compared for identity
// only, never ordered or printed. `op` names the operation the step begins ("assign",
// "resolve", a method name; a string that outlives the run): interleaving coverage
// counts the orders in which conflicting named steps, pending together, were run.
struct Touch {
  const void *obj = nullptr;
  bool write = false;
  const char *op = nullptr;
  bool conflicts(const Touch &o) const { return obj && obj == o.obj && (write || o.write); }
  // This step says what it touches and may race with o: they conflict, or o is unsaid
  // (an actor not yet started, or at a point that says nothing). PCT's change points
  // and RunReport::racing_steps count such steps.
  bool may_race(const Touch &o) const { return obj && (!o.obj || conflicts(o)); }
};

struct Actor {
  enum class State { Ready, Running, Parked, Done };
  std::uint32_t id = 0;
  std::string name;
  State state = State::Ready;
  bool daemon = false;  // parked daemons at quiescence end the run instead of deadlocking
  bool cancel = false;
  bool stopped = false;  // Sim::sleep_or_stop said the run stops: it ends as cancelled
  const Waitable *waiting_on = nullptr;
  // Locks held now (S4: none may be left when the actor ends). A lock destroyed while
  // held takes itself out (S3), so each entry can still describe() itself.
  std::vector<const Waitable *> held;
  std::uint64_t wait_gen = 0;  // bumps on every park; stale timer entries are ignored
  bool timed_out = false;
  Touch touch;  // of its next step (set at its last scheduling point or park)
  boost::fibers::context *ctx = nullptr;
  std::function<void()> body;
  std::vector<Actor *> joiners;
  // Free for the layer above (fake_vrt: the index + 1 of the stack of directors the actor
  // is calling into), so it keeps nothing in a map keyed by actor. The core never reads it.
  std::uint32_t layer_slot = 0;
  // Free for the layer above too: the code under test it is in (a vmod call's text), which
  // a crash note names. The core never reads it.
  const char *in_code = nullptr;
};

}  // namespace vdisim::sim
