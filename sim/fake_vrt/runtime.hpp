// Runtime: Varnish's director runtime (VCLs, temperatures, the vcldir registry with its
// reference counting, events, vclrefs) on the simulator, plus the checkers that turn every
// violated VRT_SPEC rule into a Failure. Internal to fake_vrt and the layers above it;
// director C code sees only include/*.h. One Runtime per run, reached via current().
#pragma once
#include <fmt/format.h>
#include <fmt/compile.h>

#include <cassert>
#include <cstdarg>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sim/sim.hpp"
#include "sim/sync.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "sim/fake_vrt/workspace_pool.hpp"
#include "cache/cache.h"
#include "vrt.h"

namespace vdisim::vrt {

// The stack of a thread started with default attributes on Linux (8 MB, the default stack
// limit): varnishd's main thread, which runs the CLI (vcl.load's vcl_init, VCL events,
// vcl_fini), and a vmod's own threads. Actors that stand for them get it; the others a
// worker thread's (sim::RunOptions::stack_bytes, thread_pool_stack's 80k).
inline constexpr std::size_t kThreadStackBytes = std::size_t{8} << 20;

// Pre-fix behaviours of bugs Varnish shipped (../shared/BUG_ZOO.md). All off by default.
struct Regressions {
  bool assign_deref_first = false;              // Z1 (b825f55f3)
  bool delete_asserts_sole_ref = false;         // Z2 (#3895)
  bool vmod_cold_before_directors = false;      // Z3 (c44bd67f2)
  // Z4 (f3575e382, #4048): the pre-fix lock structure, directors' COLD sent with vcl_mtx
  // held and VRT_AddDirector waiting for vcl_mtx instead of polling it.
  bool add_director_blocks_when_cooling = false;
  // Sets the switch called `name`; false if there is no such switch.
  bool set(const std::string &name);
  std::vector<std::string> enabled() const;
  static const std::vector<std::string> &names();
};

enum class Temp { Init, Cold, Warm, Busy, Cooling };
const char *to_string(Temp t);
// printf-style formatting of a va_list into a string (VSLb, VRT_fail, VRT_AddDirector).
std::string vformat(const char *fmt, va_list ap);
// A VTE_format_f that appends to the std::string at priv (CLI tables: backend.list, vcl.list).
int append_to_string(void *priv, const char *fmt, ...);
// A CLI command's words, split at blanks (the read-only commands have no quoted words).
std::vector<std::string> cli_words(std::string_view command);
// A CLI answer being written (cli_backend.cpp): a vsb as varnishd's `cli->sb`, with
// VCLI_JSON_begin/end's envelope for `-j` answers: `[ VERSION, [COMMAND ARGS], TIME`, one
// level of indentation, then `\n]\n` (TIME is VTIM_real(): virtual time from the epoch).
struct CliText {
  struct vsb *vsb;
  CliText();
  ~CliText();
  CliText(const CliText &) = delete;
  CliText &operator=(const CliText &) = delete;
  void json_str(const std::string &s);  // a JSON string, quoted
  void json_begin(unsigned version, const std::vector<std::string> &av);
  void json_end();
  std::string take();  // the text so far; the vsb is empty after
};
inline bool is_warm(Temp t) { return t == Temp::Warm || t == Temp::Busy; }

// A vmod's event function as the runtime calls it (LOAD, WARM, COLD, DISCARD).
struct VmodHook {
  std::string name;
  std::function<int(VRT_CTX, enum vcl_event_e)> event;
};

// Something counted while a run goes on; read by reports and expectations.
struct Counters {
  std::uint64_t refs = 0, unrefs = 0, directors_added = 0, directors_destroyed = 0;
};

class Runtime;
class BackendRegistry;
}  // namespace vdisim::vrt

// Varnish's private structs, opaque to director code (C sees only the forward decls).
struct vcldir {
  unsigned magic = 0;
#define VCLDIR_MAGIC 0xbf726c7d
  int refcnt = 0;
  unsigned flags = 0;
#define VDIR_FLG_NOREFCNT 1
  struct lock dlck {};
  struct director *dir = nullptr;
  struct vcl *vcl = nullptr;
  const struct vdi_methods *methods = nullptr;
  int admin_health = -1;  // 1 healthy, 0 sick, -1 auto
  bool deleted = false;
  double health_changed = 0;
  std::string cli_name;
  // checker state
  std::uint32_t id = 0;
  bool linked = false, resigning = false, released = false, release_running = false, destroyed = false;
  bool got_warm = false;  // C4: WARM and COLD alternate
};

struct vclref {
  unsigned magic = 0;
#define VCLREF_MAGIC 0x47fb6848
  struct vcl *vcl = nullptr;
  std::string desc;
  bool discard = false;  // Prevent_Discard (else Prevent_Cold)
};

struct vcl {
  unsigned magic = 0;
#define VCL_MAGIC 0x214188f2
  std::string name;
  vdisim::vrt::Temp temp = vdisim::vrt::Temp::Init;
  int busy = 0;
  bool discarded = false;  // vcl.discard asked; reaped when cold, idle, unreferenced
  bool gone = false;       // reaped
  std::vector<vcldir *> dirs;  // in creation order
  std::vector<vcldir *> resigning;
  int transactions = 0;  // A7: open iterations/events; resigning directors queue meanwhile
  std::vector<vclref *> refs;
  int nlabels = 0;  // labels pointing here: each holds the VCL warm and undiscardable (L4)
  std::string state = "auto";  // what vcl.load / vcl.state set: auto, cold or warm (vcl.list)
  std::uint64_t seq = 0;       // place in varnishd's VCL list (labels are in it too)
  std::string source;          // vcl.show: the VCL text ("" for a VCL described in YAML)
  std::string source_name;     // vcl.show -v: where it came from (a file, <vcl.inline>)
  std::vector<vdisim::vrt::VmodHook> vmods;              // in init order
  std::vector<std::function<void(VRT_CTX)>> fini;        // run in reverse at discard
};

namespace vdisim::vrt {

// One VCL task (request, backend fetch or CLI): the ctx a director sees, its workspace,
// log and priv_task slots. Lives on the stack of the actor running the task; reached
// from a ctx through ctx->vpi (struct wrk_vpi is the runtime's own, opaque to C).
class Task {
 public:
  // own_workspace false: the task's ctx->ws is set by who made it (a request's req->ws, a
  // fetch's bo->ws, as in varnishd) before any code runs in it; no workspace of its own.
  Task(Runtime &rt, struct vcl *vcl, unsigned method, bool own_workspace = true);
  ~Task();
  Task(const Task &) = delete;
  static Task *from(VRT_CTX);
  const struct vrt_ctx *ctx() const { return &ctx_; }
  struct vrt_ctx *mutable_ctx() { return &ctx_; }
  bool failed() const { return failed_; }
  const std::string &fail_message() const { return fail_msg_; }
  void fail(std::string msg);
  struct vmod_priv *priv_task(const void *id, bool create);
  void finish();  // task end: priv_task fini callbacks, in creation order
  std::uint32_t id() const { return id_; }
  // When set, a native backend answers this task's fetch after exactly this long
  // (a scenario's traffic.request_duration) instead of its server's latency.
  std::optional<std::int64_t> fetch_latency_ns;
  // `return (vcl(LABEL))` in vcl_recv (request.hpp select_vcl): the label, else "".
  std::string vcl_switch;
  // `return (synth(N))` (request.hpp select_synth): N, else 0.
  int synth_status = 0;

 private:
  Runtime &rt_;
  struct vrt_ctx ctx_ {};
  struct wrk_vpi vpi_ {};  // ctx_ points at these: a Task does not move
  struct vsl_log vsl_ {};
  std::unique_ptr<struct ws> ws_;
  std::optional<WorkspaceBuffer> ws_space_;
  std::vector<std::pair<const void *, std::unique_ptr<struct vmod_priv>>> privs_;
  bool failed_ = false, finished_ = false;
  std::string fail_msg_;
  std::uint32_t id_ = 0;
};

class Runtime {
 public:
  explicit Runtime(sim::Sim &sim, Regressions reg = {});
  ~Runtime();
  Runtime(const Runtime &) = delete;
  static Runtime *current();
  // Distinct for every Runtime the process makes: state kept beside the runtime (keyed by
  // a struct vcl *, whose address a later run may reuse) knows when it is stale.
  std::uint64_t run_id() const { return run_id_; }
  static Runtime &get();  // current() or a Failure

  sim::Sim &sim() { return sim_; }
  const Regressions &regressions() const { return reg_; }
  Counters &counters() { return counters_; }
  sim::Prng &vrnd() { return vrnd_; }  // behind VRND_*
  BackendRegistry &backends() { return *backends_; }

  // --- CLI operations (C1..C6); call from an actor ---
  // state: "auto" or "warm" warm the new VCL; "cold" leaves it INIT -> COLD with no
  // event after LOAD (what vcl_init started keeps running), as varnishd's vcl.load ... cold.
  struct vcl *vcl_load(const std::string &name, std::vector<VmodHook> vmods,
                       const std::function<void(VRT_CTX)> &vcl_init, const std::string &state = "auto");
  void vcl_use(const std::string &name);
  void vcl_state(const std::string &name, const std::string &state);  // cold|warm|auto
  void vcl_discard(const std::string &name);  // a VCL or a label
  // vcl.label LABEL VCL (vcl_label.cpp, docs/cli-rules.md L1..L4): creates or repoints a
  // label, which warms its VCL and holds a reference on it; vcl.use LABEL makes new
  // requests take the VCL the label points at whenever they start.
  void vcl_label(const std::string &label, const std::string &vcl);
  struct vcl *label_target(const std::string &name) const;  // nullptr: not a label
  std::vector<std::string> labels() const;                  // in creation order
  // vcl.list [-j] (cli_vcl.cpp): VCLs and labels in creation order, as varnishd prints them.
  std::string vcl_list(bool jflag) const;
  // vcl.show [-v] NAME: the VCL's source (a label shows its VCL's); throws if there is none.
  std::string vcl_show(const std::string &name, bool verbose) const;
  void poll();  // C5 VCL_Poll
  struct vcl *find_vcl(const std::string &name) const;
  struct vcl *active_vcl() const { return active_; }  // an active label's VCL (L6)
  std::vector<struct vcl *> vcls() const;
  // The VCL events sent to the vmods of VCLs of that name, in order (LOAD, WARM, ...).
  std::vector<enum vcl_event_e> vmod_events_of(const std::string &name) const;
  // backend.set_health (D5): the number of directors the pattern matched; a glob on
  // "vcl.name", or on the name in the active VCL (cli_backend.cpp).
  int set_health(const std::string &pattern, const std::string &state);
  // backend.list [-p] [-j] [PATTERN]: what varnishadm prints, calling each director's
  // list (else healthy) callback as varnishd does, in a CLI ctx. av: the command's words
  // as varnishd's CLI hands them over ("backend.list", flag words, the pattern); -j
  // echoes them in its JSON envelope.
  std::string backend_list(const std::vector<std::string> &av);
  // VCL_IterDirector: fn on every director the pattern matches; the count.
  int iter_directors(const std::string &pattern, const std::function<void(vcldir *)> &fn);
  // Holds a VCL busy while a task runs on it (requests; C6 Prevent_Cold uses the same count).
  bool vcl_enter(struct vcl *v);  // under vcl_mtx (A10); false if not warm
  // vcl_enter of the VCL a label points at, looked up under the same vcl_mtx hold (L6).
  struct vcl *vcl_enter_label(const std::string &label);
  void vcl_leave(struct vcl *v);

  // --- director registry internals used by the VRT_* functions ---
  vcldir *checked(VCL_BACKEND d, const char *where);  // validates magic / quarantine
  void ref(vcldir *vd);
  void deref(vcldir *vd);
  void send_event(vcldir *vd, enum vcl_event_e ev);
  void retire(vcldir *vd, Temp temp);
  // A scheduling point when inside an actor; `next` says what the step after it touches.
  void sched(sim::Touch next = {});
  void trace(std::string_view topic, std::string_view text);
  // trace() of a formatted text, formatted on the stack by a format compiled where it is
  // written (FMT_COMPILE("...")): the same bytes (and digest) as fmt::format, without a
  // heap string or a parse of the format string per event.
  template <typename CompiledFormat, typename... Args>
  void tracef(std::string_view topic, const CompiledFormat &f, Args &&...args) {
    static_assert(fmt::detail::is_compiled_string<CompiledFormat>::value, "tracef takes FMT_COMPILE(\"...\")");
    fmt::memory_buffer text;
    fmt::format_to(std::back_inserter(text), f, std::forward<Args>(args)...);
    trace(topic, std::string_view(text.data(), text.size()));
  }
  void trace_ref(std::string_view name, std::string_view change, int now);  // "ref" events
  [[noreturn]] void violation(const std::string &rule, const std::string &msg);
  std::uint32_t next_dir_id() { return ++dir_ids_; }
  std::uint32_t next_lock_id() { return ++lock_ids_; }  // names locks in creation order
  sim::Mutex &vcl_mtx() { return vcl_mtx_; }
  std::vector<std::unique_ptr<vcldir>> &quarantine() { return all_dirs_; }
  std::unordered_set<const struct director *> &known_directors() { return known_; }

  // Who the runtime is calling into right now (for B2: no reference gained after release).
  // Kept per actor: another actor runs whenever this one reaches a scheduling point. An
  // actor inside director code holds one of a few reused stacks (Actor::layer_slot names
  // it) until its outermost call returns: no allocation or map per call, and the stacks
  // are those of the actors inside director code now, not of every actor the run had.
  struct Acting {
    Runtime &rt;
    std::uint32_t slot;  // index in rt.acting_ (stacks move when it grows)
    explicit Acting(Runtime &r, vcldir *vd) : rt(r), slot(r.acting_slot()) { rt.acting_[slot].push_back(vd); }
    ~Acting() {
      rt.acting_[slot].pop_back();
      if (rt.acting_[slot].empty()) rt.release_acting_slot(slot);
    }
  };
  vcldir *acting() const {
    const std::uint32_t s = sim_.running() ? sim_.running()->layer_slot : main_acting_slot_;
    return s == 0 || acting_[s - 1].empty() ? nullptr : acting_[s - 1].back();
  }

  // Memory handed to director code (ALLOC_OBJ/malloc), quarantined when freed. A block
  // not asked zeroed (malloc, realloc's growth) is filled with kJunkByte, as jemalloc's
  // junk option fills it: code that reads memory it never wrote reads the same bytes in
  // every run, and a pointer read from there is named as such (junk_pointer()).
  static constexpr unsigned char kJunkByte = 0xa5;
  void *alloc(std::size_t n, bool zero);
  void release_mem(void *p);
  void *realloc_mem(void *p, std::size_t n);
  // "" unless p points into memory director code freed, or at a destroyed director: then
  // who freed it and when (a stale pointer's magic check is an A8, not just an assert).
  std::string freed_by(const void *p) const;
  // p is kJunkByte repeated: a pointer read from a block malloc/realloc gave out and
  // nothing wrote.
  static bool junk_pointer(const void *p);

  // End-of-run checks (nothing leaked, every discarded VCL reaped). Records, never throws.
  void check_end();

 private:
  void set_warm(struct vcl *v);
  void set_cold(struct vcl *v);
  void do_discard(struct vcl *v);
  void transaction_begin(struct vcl *v);
  void transaction_end(struct vcl *v);
  void vmod_events(struct vcl *v, enum vcl_event_e ev, bool reverse);
  void use_label(const std::string &name);
  void discard_label(const std::string &name);
  std::string backend_list_json(VRT_CTX, const std::vector<std::string> &av, const std::string &pattern,
                                bool pflag);

  sim::Sim &sim_;
  Regressions reg_;
  Counters counters_;
  sim::Prng vrnd_;
  sim::Mutex vcl_mtx_{"vcl_mtx"};
  std::vector<std::unique_ptr<struct vcl>> vcls_;
  std::map<std::string, std::vector<enum vcl_event_e>> vmod_events_sent_;  // by VCL name
  struct vcl *active_ = nullptr;
  struct Label {
    std::string name;
    struct vcl *to;
    std::uint64_t seq;
  };
  std::uint64_t vcl_seq_ = 0;  // VCLs and labels in creation order (vcl.list)
  std::vector<Label> labels_;  // in creation order
  std::string active_label_;   // "" unless vcl.use named a label; active_ is its VCL then
  std::vector<std::unique_ptr<vcldir>> all_dirs_;  // never freed before the run ends
  std::unordered_set<const struct director *> known_;
  // Acting's stacks; an actor's (or the run loop's) slot is its index + 1 while in use.
  std::vector<std::vector<vcldir *>> acting_;
  std::vector<std::uint32_t> free_acting_;  // indexes of empty stacks
  std::uint32_t main_acting_slot_ = 0;      // the run loop's, outside every actor
  std::uint32_t &acting_slot_of_running() {
    return sim_.running() ? sim_.running()->layer_slot : main_acting_slot_;
  }
  std::uint32_t acting_slot() {
    std::uint32_t &s = acting_slot_of_running();
    if (s == 0) {
      if (free_acting_.empty()) {
        acting_.emplace_back();
        free_acting_.push_back(static_cast<std::uint32_t>(acting_.size() - 1));
      }
      s = free_acting_.back() + 1;
      free_acting_.pop_back();
    }
    return s - 1;
  }
  void release_acting_slot(std::uint32_t index) {
    std::uint32_t &s = acting_slot_of_running();
    assert(s == index + 1);  // an Acting ends in the actor it began in (it is on its stack)
    s = 0;
    free_acting_.push_back(index);
  }
  std::uint32_t dir_ids_ = 0;
  std::uint32_t task_ids_ = 0;
  std::uint32_t lock_ids_ = 0;
  friend class Task;
  struct Mem;
  std::unique_ptr<Mem> mem_;
  std::unique_ptr<BackendRegistry> backends_;
  Runtime *prev_ = nullptr;
  static std::uint64_t next_run_id() {
    static std::uint64_t n = 0;
    return ++n;
  }
  std::uint64_t run_id_ = next_run_id();
};

}  // namespace vdisim::vrt
