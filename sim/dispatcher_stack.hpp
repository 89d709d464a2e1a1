// Valgrind registration of the stack Boost.Fiber's dispatcher fiber runs on, which Boost
// allocates itself (malloc, its default stack size, the dispatcher's context object at the
// top). Used by the scheduling algorithm (sim.cpp) when it first sees the dispatcher; the
// actor stacks are registered by FiberStackPool. A no-op outside Valgrind.
#pragma once

namespace vdisim::sim {

// Registers the dispatcher's stack once per thread, so memcheck takes a switch to or from
// the dispatcher for a stack switch. Unregistered, a switch between the dispatcher and an
// actor stack less than 2 MB away (--max-stackframe) looked like a stack frame to memcheck,
// which marked the memory in between undefined: false reports in Boost.Fiber and vdisim.
void register_dispatcher_stack(const void *dispatcher_ctx) noexcept;

}  // namespace vdisim::sim
