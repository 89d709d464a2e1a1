// Actor stacks: each has a guard page below it, so that an overflow (a director recursing
// round a loop of directors, D1, in the soak) faults instead of writing over the stack
// mapped below it.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/sim.hpp"

using namespace vdisim::sim;

namespace {

// The permissions ("rw-p", "---p") of the mapping that ends at `end`, from /proc/self/maps;
// "" if none does.
std::string perms_of_mapping_ending_at(std::uintptr_t end) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::string perms;
    in >> std::hex >> lo >> dash >> hi >> perms;
    if (hi == end) return perms;
  }
  return "";
}

// The mapping an address is in: [lo, hi).
std::pair<std::uintptr_t, std::uintptr_t> mapping_of(std::uintptr_t a) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    std::uintptr_t lo = 0, hi = 0;
    char dash = 0;
    in >> std::hex >> lo >> dash >> hi;
    if (lo <= a && a < hi) return {lo, hi};
  }
  return {0, 0};
}

}  // namespace

TEST(FiberStacks, each_stack_has_an_inaccessible_page_just_below_it) {
  RunOptions o;
  o.stack_bytes = 48 * 1024;
  Sim s(o);
  for (int i = 0; i < 3; i++)
    s.spawn("a" + std::to_string(i), [] {
      volatile char here = 0;
      auto [lo, hi] = mapping_of(reinterpret_cast<std::uintptr_t>(&here));
      ASSERT_NE(hi, 0u) << "the actor's stack is not in /proc/self/maps";
      EXPECT_GE(hi - lo, 48u * 1024) << "the stack's own mapping";
      EXPECT_EQ(perms_of_mapping_ending_at(lo), "---p") << "no guard page below the stack at " << std::hex << lo;
    });
  ASSERT_TRUE(s.run().ok());
}

// Director code that needs most of a varnishd worker's 80k stack (thread_pool_stack) runs
// here too: 72 KiB of one frame, every page touched, below the actor's own frames.
TEST(FiberStacks, an_actor_has_a_varnishd_workers_stack) {
  RunOptions o;
  EXPECT_EQ(o.stack_bytes, 80u * 1024);
  Sim s(o);
  int sum = -1;
  s.spawn("deep", [&sum] {
    volatile char frame[72 * 1024];
    for (std::size_t i = 0; i < sizeof frame; i += 512) frame[i] = static_cast<char>(i / 512);
    sum = 0;
    for (std::size_t i = 0; i < sizeof frame; i += 512) sum += frame[i];
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_GT(sum, 0);
}

// An actor can have a stack of its own size (the runner's CLI actor has varnishd's main
// thread's 8 MB): 512 KiB of one frame fits in a 1 MiB one.
TEST(FiberStacks, an_actor_can_have_a_larger_stack) {
  RunOptions o;
  Sim s(o);
  int sum = -1;
  s.spawn("cli", [&sum] {
    volatile char frame[512 * 1024];
    for (std::size_t i = 0; i < sizeof frame; i += 4096) frame[i] = 1;
    sum = 0;
    for (std::size_t i = 0; i < sizeof frame; i += 4096) sum += frame[i];
  }, false, 1 << 20);
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(sum, 128);
}
