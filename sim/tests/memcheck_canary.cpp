// A deliberate heap overflow inside an actor, built only as a test target: ctest
// `memcheck_catches_heap_overflow` runs it under scripts/memcheck and passes only if
// memcheck reports the write (the checker is awake on fiber stacks). Never run natively.
#include <cstdio>
#include <memory>

#include "sim/sim.hpp"

namespace {
// noinline: the report must name this frame.
[[gnu::noinline]] void plant_heap_overflow(std::size_t n) {
  auto block = std::make_unique<char[]>(n);
  volatile char *p = block.get();
  p[n] = 'x';  // one byte past the end
}
}  // namespace

int main() {
  vdisim::sim::Sim s(vdisim::sim::RunOptions{});
  s.spawn("canary", [] { plant_heap_overflow(16); });
  s.run();
  std::puts("memcheck canary ran");
  return 0;
}
