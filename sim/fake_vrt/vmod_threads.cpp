// Vmod threads on the simulator: pthread_create spawns a daemon actor of the current run
// (the strategy schedules it like any other; the run's end cancels it), join parks until
// it ends and reports a wait-for cycle as DEADLOCK at once, keys are per actor, once is
// safe across scheduling points, and sleeps and clocks are virtual time.
#include <fmt/format.h>
#include <pthread.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "sim/fake_vrt/vmod_os.hpp"
#include "vdisim_os.h"
#include "vdisim_pthread.h"

namespace vdisim::vrt {

// pthread_exit unwinds the thread's C frames (built with -fexceptions) up to thread_main.
struct ThreadExit {
  void *result;
};

namespace {

thread_local VmodOs *t_os = nullptr;

// Keys are process-wide, as in libc: a vmod keeps its pthread_key_t in a static made by
// pthread_once, so the key outlives the run that made it. Values are per run and actor.
struct KeySlot {
  bool used = false;
  void (*destructor)(void *) = nullptr;
};
constexpr std::size_t kMaxKeys = 1024;   // PTHREAD_KEYS_MAX
constexpr int kDestructorRounds = 4;     // PTHREAD_DESTRUCTOR_ITERATIONS
std::mutex g_keys_mtx;                   // held for table lookups only, never across a park
std::vector<KeySlot> g_keys;

KeySlot key_slot(unsigned key) {
  std::lock_guard<std::mutex> g(g_keys_mtx);
  return key < g_keys.size() ? g_keys[key] : KeySlot{};
}

// What parks a joiner: the end of the joined thread. Names what that thread waits on,
// so a join on a thread stuck forever reads as such in the deadlock report.
class JoinWait final : public sim::Waitable {
 public:
  explicit JoinWait(const sim::Actor &t) : t_(t) {}
  std::string describe() const override {
    std::string s = fmt::format("join of vmod thread {}", sim::actor_label(&t_));
    const sim::Waitable *w = t_.state == sim::Actor::State::Parked ? t_.waiting_on : nullptr;
    if (w && !dynamic_cast<const JoinWait *>(w)) s += fmt::format(" (which waits on {})", w->describe());
    return s;
  }
  std::vector<sim::Actor *> holders() const override { return {const_cast<sim::Actor *>(&t_)}; }

 private:
  const sim::Actor &t_;
};

}  // namespace

struct VmodOs::Once final : sim::Waitable {
  sim::Actor *runner = nullptr;
  std::vector<sim::Actor *> waiters;
  std::string describe() const override {
    return fmt::format("pthread_once init run by {}", sim::actor_label(runner));
  }
  std::vector<sim::Actor *> holders() const override {
    if (runner) return {runner};
    return {};
  }
};

VmodOs::VmodOs(sim::Sim &sim) : sim_(sim), prev_(t_os) { t_os = this; }

VmodOs::~VmodOs() { t_os = prev_; }

VmodOs *VmodOs::current() { return t_os; }

VmodOs::Thread *VmodOs::thread(std::uint64_t handle) {
  auto it = threads_.find(handle);
  return it == threads_.end() ? nullptr : &it->second;
}

std::uint64_t VmodOs::create_thread(void *(*start)(void *), void *arg, bool detached) {
  std::uint32_t n = ++created_;
  sim::Actor *a = sim_.spawn(fmt::format("vmod thread {}", n), [this] { thread_main(sim_.running()->id); },
                             /*daemon=*/true, kThreadStackBytes);
  Thread &t = threads_[a->id];
  t.actor = a;
  t.start = start;
  t.arg = arg;
  t.detached = detached;
  sim_.event("thread", fmt::format("{} creates {}{}", sim_.running_name(), sim::actor_label(a), detached ? " detached" : ""));
  return a->id;
}

void VmodOs::thread_main(std::uint64_t handle) {
  Thread *t = thread(handle);
  void *result = nullptr;
  try {
    result = t->start(t->arg);
  } catch (const ThreadExit &e) {
    result = e.result;
  }
  run_key_destructors(static_cast<std::uint32_t>(handle));
  t = thread(handle);
  t->done = true;
  t->result = result;
  sim_.event("thread", fmt::format("{} returns", sim::actor_label(t->actor)));
  if (t->detached) threads_.erase(handle);
}

int VmodOs::join(std::uint64_t handle, void **result) {
  sim::Actor *self = sim_.running();
  Thread *t = thread(handle);
  if (!t) return ESRCH;
  if (t->detached) return EINVAL;
  if (t->actor == self) return EDEADLK;
  sim_.sched_point();
  t = thread(handle);
  if (!t || t->detached) return t ? EINVAL : ESRCH;  // detached or joined meanwhile
  sim::Actor *target = t->actor;
  if (target->state != sim::Actor::State::Done) {
    JoinWait w(*target);
    struct Unlist {  // a cancelled joiner must not be woken later by the thread's end
      sim::Actor *target, *self;
      ~Unlist() { std::erase(target->joiners, self); }
    } unlist{target, self};
    while (target->state != sim::Actor::State::Done) {
      target->joiners.push_back(self);
      sim_.park(w);
    }
  }
  t = thread(handle);
  if (!t) return ESRCH;  // joined by another actor meanwhile (undefined in POSIX)
  if (result) *result = t->result;
  sim_.event("thread", fmt::format("{} joined {}", sim_.running_name(), sim::actor_label(target)));
  threads_.erase(handle);
  return 0;
}

int VmodOs::detach(std::uint64_t handle) {
  Thread *t = thread(handle);
  if (!t) return ESRCH;
  if (t->detached) return EINVAL;
  t->detached = true;
  if (t->done) threads_.erase(handle);
  return 0;
}

std::vector<std::string> VmodOs::live_threads() const {
  std::vector<std::string> out;
  for (const auto &[h, t] : threads_)
    if (t.actor->state != sim::Actor::State::Done) out.push_back(t.actor->name);
  return out;
}

const void *VmodOs::specific(unsigned key) const {
  sim::Actor *a = sim_.running();
  auto it = specific_.find({a ? a->id : 0, key});
  return it == specific_.end() ? nullptr : it->second;
}

void VmodOs::set_specific(unsigned key, const void *value) {
  sim::Actor *a = sim_.running();
  specific_[{a ? a->id : 0, key}] = value;
}

void VmodOs::forget_key(unsigned key) {
  std::erase_if(specific_, [key](const auto &kv) { return kv.first.second == key; });
}

void VmodOs::run_key_destructors(std::uint32_t actor) {
  for (int round = 0; round < kDestructorRounds; round++) {
    bool called = false;
    auto it = specific_.lower_bound({actor, 0});
    while (it != specific_.end() && it->first.first == actor) {
      unsigned key = it->first.second;
      void *value = const_cast<void *>(it->second);
      ++it;
      KeySlot slot = key_slot(key);
      if (!value || !slot.used || !slot.destructor) continue;
      specific_[{actor, key}] = nullptr;  // POSIX: cleared before the call
      slot.destructor(value);
      called = true;
      it = specific_.upper_bound({actor, key});  // the destructor may have set values
    }
    if (!called) break;
  }
  std::erase_if(specific_, [actor](const auto &kv) { return kv.first.first == actor; });
}

VmodOs::Once *VmodOs::once_running(const void *control) {
  auto it = once_.find(control);
  return it == once_.end() ? nullptr : it->second.get();
}

void VmodOs::once_begin(const void *control) {
  auto &o = once_[control];
  o = std::make_unique<Once>();
  o->runner = sim_.running();
}

void VmodOs::once_end(const void *control) {
  auto it = once_.find(control);
  if (it == once_.end()) return;
  for (sim::Actor *a : it->second->waiters) sim_.unpark(a);
  once_.erase(it);
}

void VmodOs::once_wait(const void *control) {
  Once *o = once_running(control);
  if (!o) return;
  o->waiters.push_back(sim_.running());
  sim_.park(*o);
  if ((o = once_running(control))) std::erase(o->waiters, sim_.running());
}

}  // namespace vdisim::vrt

using vdisim::sim::Sim;
using vdisim::vrt::VmodOs;

namespace {

// The run's VmodOs, or a failure that says who must make one.
VmodOs &os_or_fail(const char *what) {
  if (VmodOs *os = VmodOs::current()) return *os;
  Sim *s = Sim::current();
  std::string msg = fmt::format("{}: this run has no vrt::VmodOs (whoever builds the run creates one "
                                "next to its Runtime)", what);
  if (s && s->running()) s->fail("API", msg);
  throw std::logic_error(msg);
}

[[noreturn]] void fail_api(const std::string &msg) {
  Sim *s = Sim::current();
  if (s && s->running()) s->fail("API", msg);
  throw std::logic_error(msg);
}

std::int64_t now_ns() {
  Sim *s = Sim::current();
  return s ? s->now_ns() : 0;  // outside a run: virtual time 0, never a real clock
}

bool is_realtime(clockid_t c) {
  return c == CLOCK_REALTIME || c == CLOCK_REALTIME_COARSE || c == CLOCK_TAI || c == CLOCK_REALTIME_ALARM;
}

constexpr std::int64_t kNsPerS = 1'000'000'000;

// A point on `clock` as the Sim's virtual time.
std::int64_t to_sim_ns(clockid_t clock, const struct timespec &t) {
  std::int64_t s = t.tv_sec - (is_realtime(clock) ? vdisim::vrt::kRealtimeEpochS : 0);
  return s * kNsPerS + t.tv_nsec;
}

void sleep_until_ns(std::int64_t t_ns) {
  Sim *s = Sim::current();
  if (s && s->running()) s->sleep_until(t_ns);  // outside an actor there is nothing to wait for
}

bool valid(const struct timespec *t) { return t && t->tv_sec >= 0 && t->tv_nsec >= 0 && t->tv_nsec < kNsPerS; }

// vdisim_pthread_cond_init marks a CLOCK_MONOTONIC condvar here, past the lock shim's slot.
constexpr std::size_t kClockTagAt = 16;
constexpr std::uint32_t kMonoTag = 0x4f4e4f4d;  // "MONO"
static_assert(sizeof(pthread_cond_t) >= kClockTagAt + sizeof(std::uint32_t));

bool cond_is_mono(const pthread_cond_t *c) {
  std::uint32_t tag;
  std::memcpy(&tag, reinterpret_cast<const char *>(c) + kClockTagAt, sizeof tag);
  return tag == kMonoTag;
}

int cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock, const struct timespec *abstime) {
  if (!valid(abstime)) return EINVAL;
  std::int64_t at = to_sim_ns(clock, *abstime) + vdisim::vrt::kRealtimeEpochS * kNsPerS;
  struct timespec real {};
  real.tv_sec = at / kNsPerS;
  real.tv_nsec = at % kNsPerS;
  return vdisim_cond_timedwait(c, m, &real);  // the lock shim takes VTIM_real deadlines
}

}  // namespace

extern "C" {

int vdisim_pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *), void *arg) {
  VmodOs &os = os_or_fail("pthread_create");
  int state = PTHREAD_CREATE_JOINABLE;
  if (attr) pthread_attr_getdetachstate(attr, &state);
  *thread = static_cast<pthread_t>(os.create_thread(start, arg, state == PTHREAD_CREATE_DETACHED));
  os.sim().sched_point();  // the new thread may run before pthread_create returns
  return 0;
}

int vdisim_pthread_join(pthread_t thread, void **result) {
  return os_or_fail("pthread_join").join(thread, result);
}

int vdisim_pthread_detach(pthread_t thread) { return os_or_fail("pthread_detach").detach(thread); }

pthread_t vdisim_pthread_self(void) {
  Sim *s = Sim::current();
  return s && s->running() ? static_cast<pthread_t>(s->running()->id) : ~static_cast<pthread_t>(0);
}

int vdisim_pthread_equal(pthread_t a, pthread_t b) { return a == b; }

void vdisim_pthread_exit(void *result) {
  VmodOs &os = os_or_fail("pthread_exit");
  Sim *s = Sim::current();
  if (!s->running() || !os.thread(s->running()->id))
    fail_api(fmt::format("pthread_exit called by '{}', which is not a vmod thread", s->running_name()));
  throw vdisim::vrt::ThreadExit{result};
}

int vdisim_pthread_cancel(pthread_t) {
  fail_api("pthread_cancel is not simulated: a vmod thread must be asked to end and joined");
}

int vdisim_pthread_kill(pthread_t thread, int sig) {
  VmodOs &os = os_or_fail("pthread_kill");
  if (sig != 0) fail_api(fmt::format("pthread_kill with signal {} is not simulated", sig));
  return os.thread(thread) ? 0 : ESRCH;
}

int vdisim_pthread_setname_np(pthread_t thread, const char *name) {
  VmodOs &os = os_or_fail("pthread_setname_np");
  VmodOs::Thread *t = os.thread(thread);
  if (!t) return ESRCH;
  if (std::strlen(name) > 15) return ERANGE;
  t->name = name;
  return 0;
}

int vdisim_pthread_getname_np(pthread_t thread, char *name, size_t len) {
  VmodOs &os = os_or_fail("pthread_getname_np");
  VmodOs::Thread *t = os.thread(thread);
  if (!t) return ESRCH;
  std::string n = t->name.empty() ? t->actor->name.substr(0, 15) : t->name;
  if (len < n.size() + 1) return ERANGE;
  std::memcpy(name, n.c_str(), n.size() + 1);
  return 0;
}

int vdisim_pthread_once(pthread_once_t *once, void (*init)(void)) {
  static_assert(sizeof(pthread_once_t) == sizeof(int));
  constexpr int kRunning = 1, kDone = 2;  // PTHREAD_ONCE_INIT is 0
  int *state = reinterpret_cast<int *>(once);
  if (*state == kDone) return 0;
  VmodOs *os = VmodOs::current();
  Sim *s = Sim::current();
  if (!os || !s || !s->running()) {  // nothing can interleave: just run it
    *state = kRunning;
    init();
    *state = kDone;
    return 0;
  }
  // kRunning with no record in this run: an earlier run stopped inside init; start over.
  while (*state == kRunning && os->once_running(once)) os->once_wait(once);
  if (*state == kDone) return 0;
  *state = kRunning;
  os->once_begin(once);
  try {
    init();
  } catch (...) {
    *state = 0;
    os->once_end(once);
    throw;
  }
  *state = kDone;
  os->once_end(once);
  return 0;
}

int vdisim_pthread_key_create(pthread_key_t *key, void (*destructor)(void *)) {
  std::lock_guard<std::mutex> g(vdisim::vrt::g_keys_mtx);
  auto &keys = vdisim::vrt::g_keys;
  std::size_t i = 0;
  while (i < keys.size() && keys[i].used) i++;
  if (i == vdisim::vrt::kMaxKeys) return EAGAIN;
  if (i == keys.size()) keys.emplace_back();
  keys[i] = {true, destructor};
  *key = static_cast<pthread_key_t>(i);
  return 0;
}

int vdisim_pthread_key_delete(pthread_key_t key) {
  {
    std::lock_guard<std::mutex> g(vdisim::vrt::g_keys_mtx);
    auto &keys = vdisim::vrt::g_keys;
    if (key >= keys.size() || !keys[key].used) return EINVAL;
    keys[key] = {};
  }
  if (VmodOs *os = VmodOs::current()) os->forget_key(key);
  return 0;
}

void *vdisim_pthread_getspecific(pthread_key_t key) {
  if (!vdisim::vrt::key_slot(key).used) return nullptr;
  return const_cast<void *>(os_or_fail("pthread_getspecific").specific(key));
}

int vdisim_pthread_setspecific(pthread_key_t key, const void *value) {
  if (!vdisim::vrt::key_slot(key).used) return EINVAL;
  os_or_fail("pthread_setspecific").set_specific(key, value);
  return 0;
}

int vdisim_pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr) {
  int r = vdisim_cond_init(c, attr);
  clockid_t clock = CLOCK_REALTIME;
  if (attr) pthread_condattr_getclock(attr, &clock);
  if (r == 0 && clock == CLOCK_MONOTONIC)
    std::memcpy(reinterpret_cast<char *>(c) + kClockTagAt, &kMonoTag, sizeof kMonoTag);
  return r;
}

int vdisim_pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime) {
  return cond_wait_until(c, m, cond_is_mono(c) ? CLOCK_MONOTONIC : CLOCK_REALTIME, abstime);
}

int vdisim_pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clock,
                                  const struct timespec *abstime) {
  return cond_wait_until(c, m, clock, abstime);
}

unsigned int vdisim_sleep(unsigned int seconds) {
  sleep_until_ns(now_ns() + static_cast<std::int64_t>(seconds) * kNsPerS);
  return 0;
}

int vdisim_usleep(unsigned int usec) {
  sleep_until_ns(now_ns() + static_cast<std::int64_t>(usec) * 1000);
  return 0;
}

int vdisim_nanosleep(const struct timespec *req, struct timespec *rem) {
  if (!valid(req)) {
    errno = EINVAL;
    return -1;
  }
  sleep_until_ns(now_ns() + req->tv_sec * kNsPerS + req->tv_nsec);
  if (rem) *rem = {};
  return 0;
}

int vdisim_clock_nanosleep(clockid_t clock, int flags, const struct timespec *req, struct timespec *rem) {
  if (!valid(req)) return EINVAL;
  if (flags & TIMER_ABSTIME) {
    sleep_until_ns(to_sim_ns(clock, *req));
  } else {
    sleep_until_ns(now_ns() + req->tv_sec * kNsPerS + req->tv_nsec);
    if (rem) *rem = {};
  }
  return 0;
}

int vdisim_clock_gettime(clockid_t clock, struct timespec *ts) {
  if (!ts) {
    errno = EFAULT;
    return -1;
  }
  std::int64_t ns = now_ns();
  ts->tv_sec = ns / kNsPerS + (is_realtime(clock) ? vdisim::vrt::kRealtimeEpochS : 0);
  ts->tv_nsec = ns % kNsPerS;
  return 0;
}

time_t vdisim_time(time_t *t) {
  time_t now = static_cast<time_t>(vdisim::vrt::kRealtimeEpochS + now_ns() / kNsPerS);
  if (t) *t = now;
  return now;
}

void vdisim_syslog(int priority, const char *format, ...) {
  char text[1024];  // syslog lines beyond this are cut, as a log daemon cuts them
  va_list ap;
  va_start(ap, format);
  int n = std::vsnprintf(text, sizeof text, format, ap);
  va_end(ap);
  if (n < 0) text[0] = '\0';
  if (Sim *s = Sim::current()) s->event("syslog", fmt::format("<{}> {}", priority, text));
}

int vdisim_gettimeofday(struct timeval *tv, void *) {
  if (!tv) return 0;
  std::int64_t ns = now_ns();
  tv->tv_sec = static_cast<time_t>(vdisim::vrt::kRealtimeEpochS + ns / kNsPerS);
  tv->tv_usec = static_cast<suseconds_t>((ns % kNsPerS) / 1000);
  return 0;
}

}  // extern "C"
