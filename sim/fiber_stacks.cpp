// FiberStackPool implementation: mmap + Valgrind stack registration.
#include "sim/fiber_stacks.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <boost/context/stack_traits.hpp>
#include <boost/fiber/context.hpp>
#include <cassert>
#include <map>
#include <new>

#include "sim/dispatcher_stack.hpp"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else  // scripts/deps installs valgrind; without its header nothing can run under it
#define VALGRIND_STACK_REGISTER(hi, lo) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#endif

namespace vdisim::sim {

namespace {
std::size_t page_bytes() { return static_cast<std::size_t>(::sysconf(_SC_PAGESIZE)); }
}  // namespace

FiberStackPool::FiberStackPool(std::size_t bytes) {
  assert(bytes > 0);
  std::size_t page = page_bytes();
  bytes_ = (bytes + page - 1) / page * page;
}

FiberStackPool::~FiberStackPool() {
  // A fiber that never finished still runs on its stack: leave every mapping then.
  if (free_.size() != mappings_.size()) return;
  std::size_t page = page_bytes();
  for (const Mapping &m : mappings_) {
    VALGRIND_STACK_DEREGISTER(m.valgrind_id);
    ::munmap(m.guarded ? m.base - page : m.base, m.guarded ? bytes_ + page : bytes_);
  }
}

boost::context::stack_context FiberStackPool::allocate() {
  if (free_.empty()) {
    // A guard page below each of the first kGuardedStacks stacks: code under test that
    // overflows its stack (a director recursing round a loop, D1) faults there instead of
    // writing over the stack below. Each guard splits the kernel's mapping in two; beyond
    // that many stacks unguarded ones merge again, so a run with 100,000 clients stays far
    // below vm.max_map_count (65,530 by default).
    bool guarded = mappings_.size() < kGuardedStacks;
    std::size_t page = guarded ? page_bytes() : 0;
    void *p = ::mmap(nullptr, bytes_ + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    if (guarded && ::mprotect(p, page, PROT_NONE) != 0) {
      ::munmap(p, bytes_ + page);
      throw std::bad_alloc();
    }
    char *base = static_cast<char *>(p) + page;
    unsigned id = VALGRIND_STACK_REGISTER(base + bytes_, base);
    mappings_.push_back({base, id, guarded});
    free_.push_back(base);
  }
  char *base = free_.back();
  free_.pop_back();
  boost::context::stack_context sctx;
  sctx.size = bytes_;
  sctx.sp = base + bytes_;  // stacks grow down: sp starts at the top
  return sctx;
}

void FiberStackPool::deallocate(boost::context::stack_context &sctx) noexcept {
  assert(sctx.size == bytes_);
  free_.push_back(static_cast<char *>(sctx.sp) - bytes_);
}

void register_dispatcher_stack(const void *dispatcher_ctx) noexcept {
  thread_local bool registered = false;
  if (registered || !dispatcher_ctx) return;
  registered = true;
  // Boost places the context at most sizeof(context) + 255 bytes below the top of a block
  // of default_size() bytes; the range below it, less a page of slack, is inside the block.
  constexpr std::size_t kSlack = 4096;
  static_assert(sizeof(boost::fibers::context) + 255 < kSlack);
  const char *top = static_cast<const char *>(dispatcher_ctx);
  std::size_t bytes = boost::context::stack_traits::default_size() - kSlack;
  (void)VALGRIND_STACK_REGISTER(top, top - bytes);
}

FiberStackPool &FiberStackPool::for_thread(std::size_t bytes) {
  // One pool per thread and size: a sweep reuses the stacks of earlier seeds instead of
  // faulting in fresh ones. std::map keyed by size (never by pointer).
  thread_local std::map<std::size_t, FiberStackPool> pools;
  return pools.try_emplace(bytes, bytes).first->second;
}

}  // namespace vdisim::sim
