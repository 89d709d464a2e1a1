// Runtime basics: the per-run singleton, tasks (ctx, workspace, priv_task), scheduling
// and trace helpers, rule violations, and the quarantine for memory freed by directors.
#include "sim/fake_vrt/runtime.hpp"

#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/vpi.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <unordered_map>

namespace vdisim::vrt {

namespace {
thread_local Runtime *t_runtime = nullptr;
}

std::string vformat(const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string s(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(s.data(), s.size() + 1, fmt, ap);
  return s;
}

bool Regressions::set(const std::string &name) {
  if (name == "assign_deref_first") assign_deref_first = true;
  else if (name == "delete_asserts_sole_ref") delete_asserts_sole_ref = true;
  else if (name == "vmod_cold_before_directors") vmod_cold_before_directors = true;
  else if (name == "add_director_blocks_when_cooling") add_director_blocks_when_cooling = true;
  else return false;
  return true;
}

const std::vector<std::string> &Regressions::names() {
  static const std::vector<std::string> n{"assign_deref_first", "delete_asserts_sole_ref",
                                          "vmod_cold_before_directors", "add_director_blocks_when_cooling"};
  return n;
}

std::vector<std::string> Regressions::enabled() const {
  std::vector<std::string> out;
  if (assign_deref_first) out.push_back("assign_deref_first");
  if (delete_asserts_sole_ref) out.push_back("delete_asserts_sole_ref");
  if (vmod_cold_before_directors) out.push_back("vmod_cold_before_directors");
  if (add_director_blocks_when_cooling) out.push_back("add_director_blocks_when_cooling");
  return out;
}

// Blocks handed to director code; freed ones are poisoned and kept until the run ends so
// a use after free reads poison (and fails its magic check) every time.
struct Runtime::Mem {
  struct Freed {
    std::size_t size;
    std::string by;  // actor that freed it
    std::int64_t at_ns;
  };
  std::unordered_map<void *, std::size_t> live;  // lookups only, never iterated
  std::map<std::uintptr_t, Freed> quarantined;   // by address: which block holds a pointer
  ~Mem() {
    for (auto &[a, f] : quarantined) std::free(reinterpret_cast<void *>(a));  // only frees
    for (auto &[p, n] : live) std::free(p);  // order irrelevant: only frees
  }
};

Runtime::Runtime(sim::Sim &sim, Regressions reg)
    : sim_(sim), reg_(reg), vrnd_(sim.prng().stream("vrnd")), mem_(std::make_unique<Mem>()),
      backends_(std::make_unique<BackendRegistry>()) {
  prev_ = t_runtime;
  t_runtime = this;
  for (const auto &n : reg_.enabled()) trace("regression", "runtime regression switch ON: " + n);
}

Runtime::~Runtime() {
  for (auto &vd : all_dirs_) {
    if (vd->dir) {
      vd->dir->magic = 0;
      std::free(vd->dir);
    }
    if (vd->dlck.priv) Lck_Delete(&vd->dlck);
  }
  t_runtime = prev_;
}

Runtime *Runtime::current() { return t_runtime; }

Runtime &Runtime::get() {
  if (!t_runtime) throw std::logic_error("fake VRT called with no runtime (outside a vdisim run)");
  return *t_runtime;
}

void Runtime::sched(sim::Touch next) { sim_.sched_point(next); }

void Runtime::trace(std::string_view topic, std::string_view text) { sim_.event(topic, text); }

void Runtime::violation(const std::string &rule, const std::string &msg) { sim_.fail(rule, msg); }

}  // namespace vdisim::vrt

// A magic check failed (miniobj.h): on freed memory that is a use after free (A8), named
// with who freed it; otherwise the plain assertion it is.
extern "C" void vdisim_obj_fail(const void *p, const char *func, const char *file, int line, const char *cond) {
  vdisim::vrt::Runtime *rt = vdisim::vrt::Runtime::current();
  std::string freed = rt ? rt->freed_by(p) : "";
  if (!freed.empty())
    rt->violation("A8", fmt::format("use after free: {} failed in {}() at {}:{}: {}", cond, func, file, line, freed));
  VAS_Fail(func, file, line, cond, VAS_ASSERT);
}

namespace vdisim::vrt {

void *Runtime::alloc(std::size_t n, bool zero) {
  void *p = zero ? std::calloc(1, n ? n : 1) : std::malloc(n ? n : 1);
  if (p && !zero) std::memset(p, kJunkByte, n);
  if (p) mem_->live[p] = n;
  return p;
}

bool Runtime::junk_pointer(const void *p) {
  std::uintptr_t junk;
  std::memset(&junk, kJunkByte, sizeof junk);
  return reinterpret_cast<std::uintptr_t>(p) == junk;
}

void Runtime::release_mem(void *p) {
  if (!p) return;
  auto it = mem_->live.find(p);
  if (it == mem_->live.end()) {
    std::free(p);  // allocated before this run (or by libc): not ours to quarantine
    return;
  }
  std::memset(p, 0x5b, it->second);
  mem_->quarantined[reinterpret_cast<std::uintptr_t>(p)] =
      Mem::Freed{it->second ? it->second : 1, sim_.running() ? sim_.running_name() : "setup", sim_.now_ns()};
  mem_->live.erase(it);
}

std::string Runtime::freed_by(const void *p) const {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  auto it = mem_->quarantined.upper_bound(a);
  if (it != mem_->quarantined.begin()) {
    --it;
    if (a < it->first + it->second.size)
      return fmt::format("its memory was freed by {} at t={:.6f}s", it->second.by, it->second.at_ns * 1e-9);
  }
  for (const auto &vd : all_dirs_)
    if (vd->destroyed && static_cast<const void *>(vd->dir) == p)
      return fmt::format("director '{}' was destroyed (refcount reached 0)", vd->cli_name);
  return "";
}

void *Runtime::realloc_mem(void *p, std::size_t n) {
  if (!p) return alloc(n, false);
  auto it = mem_->live.find(p);
  if (it == mem_->live.end()) return std::realloc(p, n);
  void *q = alloc(n, false);
  if (q) std::memcpy(q, p, std::min(n, it->second));
  release_mem(p);
  return q;
}

Task::Task(Runtime &rt, struct vcl *vcl, unsigned method, bool own_workspace)
    : rt_(rt) {
  id_ = ++rt.task_ids_;
  vpi_ = {WRK_VPI_MAGIC, 0, 0, 0, this};
  vsl_.wid.vxid = id_;  // the task id stands in for the vxid
  if (own_workspace) {
    ws_ = std::make_unique<struct ws>();
    ws_space_.emplace();
    WS_Init(ws_.get(), "tsk", ws_space_->get(), kWorkspaceBytes);
  }
  ctx_.magic = VRT_CTX_MAGIC;
  ctx_.syntax = 41;
  ctx_.method = method;
  ctx_.vpi = &vpi_;
  ctx_.vsl = &vsl_;
  ctx_.vcl = vcl;
  ctx_.ws = ws_.get();
  ctx_.now = VTIM_real();
}

Task::~Task() {
  if (finished_ || std::uncaught_exceptions() > 0) return;
  try {
    finish();
  } catch (...) {
    // Cancelled or a failure already recorded in the Sim: a destructor must not throw.
  }
}

Task *Task::from(VRT_CTX) {
  if (!ctx || ctx->magic != VRT_CTX_MAGIC || !ctx->vpi || ctx->vpi->magic != WRK_VPI_MAGIC) return nullptr;
  return ctx->vpi->task;
}

void Task::fail(std::string msg) {
  if (failed_) return;
  failed_ = true;
  fail_msg_ = std::move(msg);
  vpi_.handling = kRet_fail;
  rt_.tracef("fail", FMT_COMPILE("task {}: {}"), id_, fail_msg_);
}

struct vmod_priv *Task::priv_task(const void *id, bool create) {
  for (auto &[k, p] : privs_)
    if (k == id) return p.get();
  if (!create) return nullptr;
  privs_.emplace_back(id, std::make_unique<struct vmod_priv>());
  return privs_.back().second.get();
}

void Task::finish() {
  if (finished_) return;
  finished_ = true;
  for (auto &[k, p] : privs_) {
    if (p->methods && p->methods->fini) {
      rt_.sched();
      p->methods->fini(&ctx_, p->priv);
    }
  }
  privs_.clear();
}

}  // namespace vdisim::vrt
