// VmodOs: the per-run state behind include/vdisim_os.h -- vmod threads (actors), their
// thread-specific values, pthread_once in progress, and the DNS table. Whoever builds a
// run (runner, test harness) creates one next to the Runtime; it is reached through
// current(). Never touches real threads, clocks or the network.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/fake_vrt/dns.hpp"
#include "sim/sim.hpp"

namespace vdisim::vrt {

class VmodOs {
 public:
  explicit VmodOs(sim::Sim &sim);
  ~VmodOs();
  VmodOs(const VmodOs &) = delete;
  VmodOs &operator=(const VmodOs &) = delete;
  static VmodOs *current();

  sim::Sim &sim() { return sim_; }
  Dns &dns() { return dns_; }

  // A thread made by pthread_create; its pthread_t is its actor's id (never 0).
  struct Thread {
    sim::Actor *actor = nullptr;
    void *(*start)(void *) = nullptr;
    void *arg = nullptr;
    bool detached = false;
    bool done = false;
    void *result = nullptr;
    std::string name;  // pthread_setname_np
  };
  Thread *thread(std::uint64_t handle);
  std::uint64_t create_thread(void *(*start)(void *), void *arg, bool detached);
  int join(std::uint64_t handle, void **result);
  int detach(std::uint64_t handle);
  // Threads still running now, in creation order (for reports and tests).
  std::vector<std::string> live_threads() const;

  // Thread-specific values: per actor (vmod threads and every other actor alike).
  const void *specific(unsigned key) const;
  void set_specific(unsigned key, const void *value);
  void forget_key(unsigned key);

  // pthread_once: who runs the init routine of a once control now, and who waits for it.
  struct Once;
  Once *once_running(const void *control);
  void once_begin(const void *control);
  void once_end(const void *control);
  void once_wait(const void *control);

 private:
  void thread_main(std::uint64_t handle);
  void run_key_destructors(std::uint32_t actor);

  sim::Sim &sim_;
  Dns dns_;
  std::map<std::uint64_t, Thread> threads_;  // by handle: creation order
  std::uint32_t created_ = 0;
  std::map<std::pair<std::uint32_t, unsigned>, const void *> specific_;  // (actor, key)
  std::unordered_map<const void *, std::unique_ptr<Once>> once_;         // lookups only
  VmodOs *prev_ = nullptr;
};

// The Sim's clock seen as CLOCK_REALTIME: VTIM_real() at virtual time 0 (2026-01-01 UTC).
inline constexpr std::int64_t kRealtimeEpochS = 1767225600;

}  // namespace vdisim::vrt
