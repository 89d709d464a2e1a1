// The C support API director code calls besides the director functions: VAS_Fail,
// VTIM_*, VRND_*, VSL*, Lck_*, the pthread redirection, VRT_fail, VRT_priv_task,
// strands hashing and the allocation quarantine. All time and chance come from the Sim.
#include <fmt/format.h>

#include <cmath>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vsha256.h"

using vdisim::sim::Sim;
using vdisim::vrt::Runtime;
using vdisim::vrt::Task;

namespace {

constexpr double kEpoch = 1767225600.0;  // VTIM_real() at virtual time 0: 2026-01-01 UTC

Sim &sim_or_fail(const char *what) {
  Sim *s = Sim::current();
  if (!s) throw std::logic_error(fmt::format("{} called outside a vdisim run", what));
  return *s;
}

vdisim::sim::Prng &vrnd() { return Runtime::get().vrnd(); }

// Simulator lock objects stored inside a pthread object's own storage (zero = not yet made).
template <typename T>
struct Slot {
  std::uint64_t magic;
  T *obj;
};
constexpr std::uint64_t kSlotMagic = 0x76646973696d4c4bULL;  // "vdisimLK"

std::uint32_t next_lock_id() {
  Runtime *rt = Runtime::current();
  return rt ? rt->next_lock_id() : 0;
}

template <typename T, typename P>
T *slot(P *p, const char *kind) {
  static_assert(sizeof(P) >= sizeof(Slot<T>));
  auto *s = reinterpret_cast<Slot<T> *>(p);
  if (s->magic != kSlotMagic) {
    s->magic = kSlotMagic;
    s->obj = new T(fmt::format("{}#{}", kind, next_lock_id()));
  }
  return s->obj;
}

template <typename T, typename P>
void slot_destroy(P *p) {
  auto *s = reinterpret_cast<Slot<T> *>(p);
  if (s->magic == kSlotMagic) delete s->obj;
  std::memset(static_cast<void *>(p), 0, sizeof(P));
}

}  // namespace

extern "C" {

// Varnish's lock classes; NULL is fine, Lck__New takes the name from the macro.
#define LOCK(nam) struct VSC_lck *lck_##nam;
#include "tbl/locks.h"

void VAS_Fail(const char *func, const char *file, int line, const char *cond, enum vas_e kind) {
  std::string msg = fmt::format("{} failed in {}() at {}:{}", *cond ? cond : "WRONG", func, file, line);
  (void)kind;
  Sim *s = Sim::current();
  if (!s) {
    std::fprintf(stderr, "vdisim: assert outside a run: %s\n", msg.c_str());
    std::abort();
  }
  s->fail("ASSERT", msg);
}

vas_f *VAS_Fail_Func = nullptr;

const char *VAS_errtxt(int e) {
  int saved = errno;
  const char *txt = std::strerror(e);
  if (txt != nullptr) return txt;
  errno = saved;
  return "strerror(3) returned NULL";
}

vtim_real VTIM_real(void) { return kEpoch + sim_or_fail("VTIM_real").now_s(); }
vtim_mono VTIM_mono(void) { return sim_or_fail("VTIM_mono").now_s(); }
void VTIM_sleep(vtim_dur t) {
  sim_or_fail("VTIM_sleep").sleep_for(static_cast<std::int64_t>(std::llround(t * 1e9)));
}

long VRND_RandomTestable(void) { return static_cast<long>(vrnd().next() >> 33); }
double VRND_RandomTestableDouble(void) { return vrnd().unit(); }
void VRND_SeedTestable(unsigned int seed) { vrnd().reseed(seed); }
void VRND_SeedAll(void) {}
int VRND_RandomCrypto(void *ptr, size_t len) {
  auto *b = static_cast<unsigned char *>(ptr);
  for (size_t i = 0; i < len; i++) b[i] = static_cast<unsigned char>(vrnd().next());
  return 0;
}

void VSLbv(struct vsl_log *vsl, enum VSL_tag_e tag, const char *fmt, va_list va) {
  (void)vsl;
  Sim *s = Sim::current();
  if (!s) return;
  // "<Tag> <text>", written on the stack when it fits (nearly always): no heap strings.
  const char *name = vdisim::vrt::vsl_tag_name(tag);
  char line[512];
  const std::size_t n = std::strlen(name);
  if (n + 1 < sizeof line) {
    std::memcpy(line, name, n);
    line[n] = ' ';
    va_list copy;
    va_copy(copy, va);
    const int m = std::vsnprintf(line + n + 1, sizeof line - n - 1, fmt, copy);
    va_end(copy);
    if (m >= 0 && static_cast<std::size_t>(m) < sizeof line - n - 1) {
      s->event("vsl", std::string_view(line, n + 1 + static_cast<std::size_t>(m)));
      return;
    }
  }
  s->event("vsl", std::string(name) + " " + vdisim::vrt::vformat(fmt, va));
}

void VSLb(struct vsl_log *vsl, enum VSL_tag_e tag, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  VSLbv(vsl, tag, fmt, ap);
  va_end(ap);
}

void VSLv(enum VSL_tag_e tag, vxid_t, const char *fmt, va_list va) { VSLbv(nullptr, tag, fmt, va); }

void VSL(enum VSL_tag_e tag, vxid_t vxid, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  VSLv(tag, vxid, fmt, ap);
  va_end(ap);
}

void VSLbs(struct vsl_log *vsl, enum VSL_tag_e tag, const struct strands *s) {
  std::string out;
  for (int i = 0; s && i < s->n; i++)
    if (s->p[i]) out += s->p[i];
  VSLb(vsl, tag, "%s", out.c_str());
}

void Lck__New(struct lock *lck, struct VSC_lck *, const char *name) {
  AN(lck);
  lck->priv = new vdisim::sim::Mutex(fmt::format("{}#{}", name, next_lock_id()));
}

void Lck__Lock(struct lock *lck, const char *, int) {
  AN(lck->priv);
  static_cast<vdisim::sim::Mutex *>(lck->priv)->lock();
}

void Lck__Unlock(struct lock *lck, const char *, int) {
  AN(lck->priv);
  static_cast<vdisim::sim::Mutex *>(lck->priv)->unlock();
}

int Lck__Trylock(struct lock *lck, const char *, int) {
  AN(lck->priv);
  return static_cast<vdisim::sim::Mutex *>(lck->priv)->try_lock() ? 0 : 1;
}

int Lck__Held(const struct lock *lck) {
  return static_cast<vdisim::sim::Mutex *>(lck->priv)->owner() != nullptr;
}

int Lck__Owned(const struct lock *lck) {
  return static_cast<vdisim::sim::Mutex *>(lck->priv)->held_by_me();
}

void Lck_Delete(struct lock *lck) {
  delete static_cast<vdisim::sim::Mutex *>(lck->priv);
  lck->priv = nullptr;
}

int vdisim_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *) {
  std::memset(static_cast<void *>(m), 0, sizeof *m);
  slot<vdisim::sim::Mutex>(m, "mutex");
  return 0;
}
int vdisim_mutex_destroy(pthread_mutex_t *m) {
  slot_destroy<vdisim::sim::Mutex>(m);
  return 0;
}
int vdisim_mutex_lock(pthread_mutex_t *m) {
  slot<vdisim::sim::Mutex>(m, "mutex")->lock();
  return 0;
}
int vdisim_mutex_trylock(pthread_mutex_t *m) {
  return slot<vdisim::sim::Mutex>(m, "mutex")->try_lock() ? 0 : EBUSY;
}
int vdisim_mutex_unlock(pthread_mutex_t *m) {
  slot<vdisim::sim::Mutex>(m, "mutex")->unlock();
  return 0;
}

int vdisim_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *) {
  std::memset(static_cast<void *>(l), 0, sizeof *l);
  slot<vdisim::sim::RwLock>(l, "rwlock");
  return 0;
}
int vdisim_rwlock_destroy(pthread_rwlock_t *l) {
  slot_destroy<vdisim::sim::RwLock>(l);
  return 0;
}
int vdisim_rwlock_rdlock(pthread_rwlock_t *l) {
  slot<vdisim::sim::RwLock>(l, "rwlock")->rdlock();
  return 0;
}
int vdisim_rwlock_wrlock(pthread_rwlock_t *l) {
  slot<vdisim::sim::RwLock>(l, "rwlock")->wrlock();
  return 0;
}
int vdisim_rwlock_tryrdlock(pthread_rwlock_t *l) {
  return slot<vdisim::sim::RwLock>(l, "rwlock")->try_rdlock() ? 0 : EBUSY;
}
int vdisim_rwlock_trywrlock(pthread_rwlock_t *l) {
  return slot<vdisim::sim::RwLock>(l, "rwlock")->try_wrlock() ? 0 : EBUSY;
}
int vdisim_rwlock_unlock(pthread_rwlock_t *l) {
  slot<vdisim::sim::RwLock>(l, "rwlock")->unlock();
  return 0;
}

int vdisim_cond_init(pthread_cond_t *c, const pthread_condattr_t *) {
  std::memset(static_cast<void *>(c), 0, sizeof *c);
  slot<vdisim::sim::CondVar>(c, "cond");
  return 0;
}
int vdisim_cond_destroy(pthread_cond_t *c) {
  slot_destroy<vdisim::sim::CondVar>(c);
  return 0;
}
int vdisim_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  slot<vdisim::sim::CondVar>(c, "cond")->wait(*slot<vdisim::sim::Mutex>(m, "mutex"));
  return 0;
}
// A timed wait that times out returns with the clock past its deadline: on a real clock
// time has moved on by the time the waiter runs, and vmod loops rely on it (libvmod-dynamic
// waits until a domain's `expires`, then tests `now > expires`; at now == expires the
// virtual clock would spin forever). So the virtual deadline is 1 us after the given one:
// VTIM_real() is a double, whose step near 2026 is 0.24 us (1 ns would not show), and a
// real wakeup is microseconds late anyway.
static std::int64_t timed_wait_deadline_ns(double at_s) {
  return static_cast<std::int64_t>(std::llround(at_s * 1e9)) + 1000;
}

int vdisim_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime) {
  // abstime is on VTIM_real's clock (CLOCK_REALTIME in Varnish).
  double at = static_cast<double>(abstime->tv_sec) + abstime->tv_nsec * 1e-9 - kEpoch;
  std::int64_t deadline = timed_wait_deadline_ns(at);
  bool woken = slot<vdisim::sim::CondVar>(c, "cond")->wait(*slot<vdisim::sim::Mutex>(m, "mutex"), deadline);
  return woken ? 0 : ETIMEDOUT;
}
int vdisim_cond_signal(pthread_cond_t *c) {
  slot<vdisim::sim::CondVar>(c, "cond")->signal();
  return 0;
}
int vdisim_cond_broadcast(pthread_cond_t *c) {
  slot<vdisim::sim::CondVar>(c, "cond")->broadcast();
  return 0;
}

int Lck_CondWait(pthread_cond_t *c, struct lock *lck) {
  slot<vdisim::sim::CondVar>(c, "cond")->wait(*static_cast<vdisim::sim::Mutex *>(lck->priv));
  return 0;
}

int Lck_CondWaitUntil(pthread_cond_t *c, struct lock *lck, vtim_real when) {
  if (std::isinf(when)) return Lck_CondWait(c, lck);  // as 8.0.0: an infinite deadline waits untimed
  assert(when > 1e9);                                 // 8.0.0 asserts an absolute time
  std::int64_t deadline = timed_wait_deadline_ns(when - kEpoch);
  bool woken = slot<vdisim::sim::CondVar>(c, "cond")->wait(*static_cast<vdisim::sim::Mutex *>(lck->priv), deadline);
  return woken ? 0 : ETIMEDOUT;
}

int Lck_CondWaitTimeout(pthread_cond_t *c, struct lock *lck, vtim_dur timeout) {
  return Lck_CondWaitUntil(c, lck, VTIM_real() + timeout);
}

VCL_VOID VRT_fail(VRT_CTX, const char *fmt, ...) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  Task *t = Task::from(ctx);
  AN(t);
  if (t->failed()) return;
  va_list ap;
  va_start(ap, fmt);
  std::string msg = vdisim::vrt::vformat(fmt, ap);
  va_end(ap);
  if (msg.find('\n') != std::string::npos) Runtime::get().violation("API", "VRT_fail message contains a newline");
  if (ctx->msg) VSB_printf(ctx->msg, "%s", msg.c_str());
  VSLb(ctx->vsl, SLT_VCL_Error, "%s", msg.c_str());
  t->fail(msg);
}

struct vmod_priv *VRT_priv_task(VRT_CTX, const void *id) {
  Task *t = Task::from(ctx);
  AN(t);
  return t->priv_task(id, true);
}

struct vmod_priv *VRT_priv_task_get(VRT_CTX, const void *id) {
  Task *t = Task::from(ctx);
  AN(t);
  return t->priv_task(id, false);
}

uint32_t VRT_HashStrands32(VCL_STRANDS s) {
  unsigned char md[VSHA256_LEN];
  VSHA256_CTX c;
  VSHA256_Init(&c);
  for (int i = 0; s && i < s->n; i++)
    if (s->p[i] && *s->p[i]) VSHA256_Update(&c, s->p[i], std::strlen(s->p[i]));
  VSHA256_Final(md, &c);
  return static_cast<uint32_t>(md[28]) | static_cast<uint32_t>(md[29]) << 8 |
         static_cast<uint32_t>(md[30]) << 16 | static_cast<uint32_t>(md[31]) << 24;
}

void *vdisim_malloc(size_t n) {
  Runtime *rt = Runtime::current();
  return rt ? rt->alloc(n, false) : std::malloc(n);
}
void *vdisim_calloc(size_t n, size_t m) {
  Runtime *rt = Runtime::current();
  return rt ? rt->alloc(n * m, true) : std::calloc(n, m);
}
void *vdisim_realloc(void *p, size_t n) {
  Runtime *rt = Runtime::current();
  return rt ? rt->realloc_mem(p, n) : std::realloc(p, n);
}
void vdisim_free(void *p) {
  Runtime *rt = Runtime::current();
  if (rt) rt->release_mem(p);
  else std::free(p);
}
char *vdisim_strdup(const char *s) {
  size_t n = std::strlen(s) + 1;
  auto *p = static_cast<char *>(vdisim_malloc(n));
  if (p) std::memcpy(p, s, n);
  return p;
}

}  // extern "C"
