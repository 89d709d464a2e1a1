// FiberStackPool: the stacks actor fibers run on, owned by the simulator. Each is an mmap'd
// region (the first 16,384 with a guard page below: an overflow faults), reused per thread
// and size across runs, and registered with Valgrind for its lifetime so
// memcheck sees a fiber switch as a stack switch (a no-op outside Valgrind). Used only by
// Sim::spawn; must never hand out a stack that is still in use.
#pragma once
#include <boost/context/stack_context.hpp>
#include <cstddef>
#include <vector>

namespace vdisim::sim {

class FiberStackPool {
 public:
  explicit FiberStackPool(std::size_t bytes);
  ~FiberStackPool();
  FiberStackPool(const FiberStackPool &) = delete;
  FiberStackPool &operator=(const FiberStackPool &) = delete;

  boost::context::stack_context allocate();
  void deallocate(boost::context::stack_context &sctx) noexcept;

  // The pool of this size for the calling thread, shared by every Sim on it.
  static FiberStackPool &for_thread(std::size_t bytes);

 private:
  static constexpr std::size_t kGuardedStacks = 16384;  // stacks with a guard page below
  struct Mapping {
    char *base;               // lowest address of the stack (its guard page is just below)
    unsigned valgrind_id;     // VALGRIND_STACK_REGISTER's id, 0 outside Valgrind
    bool guarded;
  };
  std::size_t bytes_;         // usable stack bytes (a whole number of pages)
  std::vector<Mapping> mappings_;
  std::vector<char *> free_;  // bases of mappings not in use
};

}  // namespace vdisim::sim

namespace vdisim::sim {
// The Boost.Context stack-allocator interface over a pool: Boost.Fiber copies its
// allocator into each fiber, so this is a handle; the pool outlives every fiber on it.
class FiberStacks {
 public:
  explicit FiberStacks(FiberStackPool &pool) : pool_(&pool) {}
  boost::context::stack_context allocate() { return pool_->allocate(); }
  void deallocate(boost::context::stack_context &sctx) noexcept { pool_->deallocate(sctx); }

 private:
  FiberStackPool *pool_;
};
}  // namespace vdisim::sim
