// The executor of lifecycle cases (see executor.hpp): maps each op onto the fake VRT and the
// real (or mutant) director code, and checks the model at every quiescent point.
#include "property_tests/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "property_tests/child_cases.hpp"
#include "property_tests/executor_support.hpp"
#include "property_tests/model.hpp"
#include "property_tests/model_check.hpp"
#include "property_tests/types.hpp"
#include "sim/fake_vrt/backend.hpp"
#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/runner/runtime_objects.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/sync.hpp"
#include "vcl.h"

namespace prop {

namespace vs = vdisim::sim;
namespace vv = vdisim::vrt;
namespace vr = vdisim::runner;

namespace {

class Exec {
 public:
  Exec(const Case &c, const ExecOptions &o) : case_(c), opts_(o), w_(run_options(c, o), o.regressions) {
    Model m(c.tmpl);
    phases_.emplace_back();
    for (const Op &op : c.ops) {
      std::string why;
      if (!m.valid(op, &why)) throw std::invalid_argument("invalid case at op '" + to_string(op) + "': " + why);
      m.apply(op);
      if (op.kind == OpKind::Barrier) {
        snapshots_.push_back(m);
        phases_.emplace_back();
      } else {
        phases_.back().push_back(&op);
      }
    }
    snapshots_.push_back(m);
  }

  Outcome run() {
    setup_endpoints();
    w_.sim.trace().set_hook([this](const vs::Event &e) { observe(e); });
    w_.sim.spawn("coordinator", [this] { coordinate(); }, false, vv::kThreadStackBytes);  // loads the boot VCL
    vs::RunReport r = w_.run();
    if (!r.failure && !finished_) {
      std::string doing;
      for (const auto &[a, what] : doing_) doing += " " + what + ";";
      r.failure = vs::Failure{"STUCK", "the case did not finish by t=" + std::to_string(r.end_ns / kPhaseNs) +
                                           "s (a wait with probes still polling); unfinished ops:" + doing,
                              "coordinator", r.end_ns, case_.seed, case_.strategy.text(), {}};
      for (const auto &e : w_.sim.trace().tail(opts_.trace_tail)) r.failure->trace_tail.push_back(vs::format_event(e));
    }
    Outcome o;
    o.digest = r.digest;
    o.steps = r.steps;
    o.decisions = r.decisions;
    if (r.failure) {
      o.ok = false;
      o.rule = r.failure->rule;
      o.message = r.failure->message;
      o.actor = r.failure->actor;
      o.time_ns = r.failure->time_ns;
      o.trace_tail = r.failure->trace_tail;
    }
    o.seen = seen_;
    return o;
  }

 private:
  struct XObj {
    ObjKind kind = ObjKind::Static;
    int inst = 0;
    std::string name;
    VCL_BACKEND be = nullptr;                  // Static/Native: the owner's pointer
    VCL_BACKEND dir = nullptr;                 // the director (for members and health)
    std::shared_ptr<vr::DirectorObject> obj;  // Vmod
    bool fini_done = false;
    vcldir *vd = nullptr;  // stays readable after destroy (quarantined)
  };
  struct XVcl {
    struct vcl *v = nullptr;
    std::string name;
    std::vector<std::unique_ptr<struct vmod_priv>> vmod_privs;  // one per imported vmod
  };

  static vs::RunOptions run_options(const Case &c, const ExecOptions &o) {
    vs::RunOptions r;
    r.seed = c.seed;
    r.strategy = vs::StrategySpec::parse(c.strategy.text());
    r.strategy.pct_steps = o.pct_steps;
    r.step_budget = o.step_budget;
    r.trace_tail = o.trace_tail;
    r.end_ns = (c.phases() + 10) * kPhaseNs;  // a stuck phase ends the run (see run())
    return r;
  }

  [[noreturn]] void model_fail(const std::string &msg) { w_.sim.fail("MODEL", msg); }

  void setup_endpoints() {
    for (int h = 0; h < kHosts; h++) {
      vv::EndpointSpec s;
      s.latency.a_ns = 1'000'000;
      s.base = vv::EndpointState::Up;
      int phase = 0;
      for (const Op &op : case_.ops) {
        if (op.kind == OpKind::Barrier) phase++;
        if (op.kind == OpKind::Endpoint && op.arg == h)
          s.script.emplace_back(phase * kPhaseNs, op.flag ? vv::EndpointState::Up : vv::EndpointState::Refuse);
      }
      w_.endpoint(host_name(h), s);
    }
  }

  // Counts the interleavings of kSeen* (runtime bugs fixed) that this case reaches.
  void notice(const vs::Event &e) {
    if (e.topic == "probe" && e.text.ends_with(" freed by its probe task")) seen_.insert(kSeenProbeTaskFrees);
    if (e.topic == "vcl" && e.text.ends_with(" busy -> warm")) seen_.insert(kSeenUseOfBusyVcl);
    if (e.topic == "vcl" && e.text.ends_with(" -> busy")) seen_.insert(kSeenBusyAtCold);
    if (e.topic == "dir" && e.text.find(" added (") != std::string::npos && in_set_health_ &&
        w_.sim.running() != in_set_health_)
      seen_.insert(kSeenAddDuringSetHealth);
    if (e.topic == "dir" && e.text.ends_with(" resigning (transaction open)")) {
      std::string vcl = e.text.substr(0, e.text.find('.'));
      for (auto &[i, x] : vcls_)
        if (x.v && !x.v->gone && x.name == vcl && !vv::is_warm(x.v->temp) && !vmod_cold_.count(vcl))
          seen_.insert(kSeenResignDuringCold);
    }
  }

  // C3 event order: after a VCL's VMODs heard COLD, none of its directors may hear COLD.
  void observe(const vs::Event &e) {
    notice(e);
    // The transition's own COLD events only: a director unlinked just before it is
    // retired by its last holder with the temperature it read then (A6), possibly after.
    if (e.topic == "vmod" && e.text.ends_with(" directors COLD")) vmod_cold_[e.text.substr(0, e.text.find(' '))] = e.actor;
    if (e.topic == "vmod" && e.text.ends_with(" directors WARM")) vmod_cold_.erase(e.text.substr(0, e.text.find(' ')));
    if (e.topic == "event" && e.text.ends_with(" COLD") && violation_.empty()) {
      std::string vcl = e.text.substr(0, e.text.find('.'));
      auto it = vmod_cold_.find(vcl);
      if (it != vmod_cold_.end() && it->second == e.actor)
        violation_ = fmt::format("director '{}' got COLD after the VMODs of VCL '{}' (directors go cold first)",
                                 e.text.substr(0, e.text.size() - 5), vcl);
    }
  }
  void check_violation() {
    if (!violation_.empty()) w_.sim.fail("C3", violation_);
  }

  // The VCL imports the vmod of every director type the case uses (template first, then
  // director.new), and the runtime sends each vmod's $Event its events, as scenarios do.
  std::vector<vv::VmodHook> hooks(int inst) {
    std::vector<std::string> types;
    for (const auto &d : case_.tmpl->dirs) types.push_back(d.type);
    for (const Op &op : case_.ops)
      if (!op.type.empty()) types.push_back(op.type);
    return vr::vmod_imports(types, vcls_[inst].vmod_privs);
  }

  vdisim::scenario::Director spec_of(const std::string &type, bool flag) {
    vdisim::scenario::Director d;
    d.type_text = type;
    if (type.rfind("mutant:", 0) == 0) {
      d.type = vdisim::scenario::DirectorType::mutant;
      d.mutant_name = type.substr(7);
    }
    if (traits(type).base == "fallback") d.options.sticky = flag;
    if (traits(type).dynamic && flag) d.options.probe = probe_spec();
    return d;
  }

  // A vmod object; its fini runs from the VCL's fini list unless __fini ran already.
  void make_obj(VRT_CTX, int id, int inst, const std::string &name, const std::string &type, bool flag) {
    auto it = vr::director_types().find(type);
    if (it == vr::director_types().end()) model_fail("no director type " + type);
    std::shared_ptr<vr::DirectorObject> obj = it->second(ctx, name, spec_of(type, flag));
    XObj x;
    x.kind = ObjKind::Vmod;
    x.inst = inst;
    x.name = name;
    x.obj = obj;
    std::string cli = vcls_[inst].name + "." + name;
    for (auto &vd : w_.rt.quarantine())
      if (vd->vcl == ctx->vcl && vd->cli_name == cli && !vd->destroyed) x.vd = vd.get();
    if (!x.vd) model_fail("director " + cli + " was not added (VRT_AddDirector returned NULL?)");
    x.dir = x.vd->dir;
    {
      std::lock_guard<vs::Mutex> lk(slots_);
      objs_[id] = std::move(x);
    }
    ctx->vcl->fini.push_back([this, id](VRT_CTX) {
      (void)ctx;
      fini_obj(id);
    });
  }

  void fini_obj(int id) {
    std::shared_ptr<vr::DirectorObject> obj;
    {
      std::lock_guard<vs::Mutex> lk(slots_);
      XObj &x = objs_.at(id);
      if (x.fini_done) return;
      x.fini_done = true;
      obj = x.obj;
    }
    obj->fini();
  }

  void vcl_init(VRT_CTX, int inst, int first) {
    for (int s = 0; s < kStatic; s++) {
      XObj x;
      x.inst = inst;
      x.name = "s" + std::to_string(s);
      x.be = x.dir = vv::vcl_backend(ctx, x.name, host_name(s), case_.tmpl->probe[s] ? &probe_ : nullptr);
      x.vd = x.be->vdir;
      std::lock_guard<vs::Mutex> lk(slots_);
      objs_[first + s] = std::move(x);
    }
    const auto &dirs = case_.tmpl->dirs;
    for (std::size_t j = 0; j < dirs.size(); j++) {
      int id = first + kStatic + static_cast<int>(j);
      make_obj(ctx, id, inst, "t" + std::to_string(j), dirs[j].type, dirs[j].flag);
      XObj &x = objs_.at(id);
      for (std::size_t m = 0; m < dirs[j].members.size(); m++)
        x.obj->add_backend(ctx, objs_.at(first + dirs[j].members[m]).dir, dirs[j].weights[m]);
      if (traits(dirs[j].type).dynamic) x.obj->update(ctx, answers(dirs[j].answer));
      x.obj->init_done(ctx);
    }
  }

  void load(int name, int inst, int first, const std::string &state = "auto") {
    XVcl &xv = vcls_[inst];
    xv.name = vcl_name(name);
    xv.v = w_.rt.vcl_load(xv.name, hooks(inst), [this, inst, first](VRT_CTX) { vcl_init(ctx, inst, first); }, state);
    xv.v->source = vcl_source(xv.name, inst);  // vcl.show (as the runner gives a file's text)
  }

  // vcl.list and vcl.show read the VCL list: -j is checked against what holds of any list,
  // vcl.show against the text the VCL (or the label's VCL) was given.
  void list_vcls(const Op &op) {
    if (op.arg == 0) {
      w_.rt.vcl_list(false);
      return;
    }
    if (op.arg == 1) {
      std::vector<std::string> loaded;
      for (const auto &[inst, x] : vcls_)
        if (x.v && !discarded_.count(inst)) loaded.push_back(x.name);
      if (std::string p = vcl_list_problem(w_.rt.vcl_list(true), loaded); !p.empty()) model_fail("vcl.list -j: " + p);
      return;
    }
    std::string want = vcl_source(vcls_.at(op.inst).name, op.inst);
    std::string got = w_.rt.vcl_show(op.arg == 3 ? label_name(op.id) : vcl_name(op.vcl), op.flag);
    if (op.flag ? got.find(want) == std::string::npos : got != want)
      model_fail(fmt::format("{} printed '{}', expected the text of instance {}", vcl_list_command(op), got, op.inst));
  }

  // Runs f in a task of the object's VCL; `enter`: hold it busy (the op needs it warm).
  template <typename F>
  void in_task(int inst, bool enter, unsigned method, F &&f) {
    struct vcl *v = vcls_.at(inst).v;
    if (enter && !w_.rt.vcl_enter(v)) model_fail(fmt::format("VCL {} is {}, the model says warm", v->name, vv::to_string(v->temp)));
    {
      vv::Task t(w_.rt, v, method);
      f(t.ctx());
      t.finish();
    }
    if (enter) w_.rt.vcl_leave(v);
  }

  void cli(const Op &op) {
    std::lock_guard<vs::Mutex> lk(cli_);
    std::string name = vcl_name(op.vcl);
    try {
      switch (op.kind) {
        case OpKind::VclLoad: load(op.vcl, op.inst, op.id, load_state(op)); break;
        case OpKind::VclUse: w_.rt.vcl_use(op.id >= 0 ? label_name(op.id) : name); break;
        case OpKind::VclLabel: w_.rt.vcl_label(label_name(op.id), name); break;
        case OpKind::LabelDiscard: w_.rt.vcl_discard(label_name(op.id)); break;
        // Calls every matching director's list (or healthy) callback, under vcl_mtx for
        // "*.*": what it prints depends on the schedule, what it may not do is fail.
        case OpKind::BackendList: w_.rt.backend_list(vv::cli_words(backend_list_command(op))); break;
        case OpKind::VclCold: w_.rt.vcl_state(name, "cold"); break;
        case OpKind::VclWarm: w_.rt.vcl_state(name, "warm"); break;
        case OpKind::VclDiscard:  // one command; varnishd discards the names in turn
          w_.rt.vcl_discard(name);
          discarded_.insert(op.inst);
          if (op.id2 >= 0) w_.rt.vcl_discard(vcl_name(op.id2));
          if (op.id2 >= 0) discarded_.insert(op.arg);
          break;
        case OpKind::VclList: list_vcls(op); break;
        case OpKind::SetHealth: {
          std::string pat = op.id >= 0 ? vcls_[op.inst].name + "." + objs_.at(op.id).name : name + ".s*";
          in_set_health_ = w_.sim.running();
          int n = w_.rt.set_health(pat, op.arg < 0 ? "auto" : op.arg ? "healthy" : "sick");
          in_set_health_ = nullptr;
          // A single target may be destroyed meanwhile by another actor (its parent's
          // release); static backends live as long as their VCL.
          if (op.id >= 0 ? n > 1 : n != kStatic) model_fail(fmt::format("backend.set_health {} matched {}", pat, n));
          break;
        }
        default: break;
      }
    } catch (const std::exception &e) {
      model_fail(fmt::format("the runtime refused '{}': {}", to_string(op), e.what()));
    }
  }

  VCL_BACKEND choose(VRT_CTX, const Op &op) {
    vr::TaskHold *h = nullptr;
    VCL_BACKEND d = nullptr;
    {
      std::lock_guard<vs::Mutex> lk(slots_);
      auto it = objs_.find(op.id);
      if (it != objs_.end() && !it->second.fini_done) {
        XObj &x = it->second;
        d = x.kind == ObjKind::Vmod ? x.obj->backend(ctx, static_cast<std::uint64_t>(op.arg)) : x.be;
      }
      if (d) h = vr::hold_in_task(ctx, d);
    }
    if (h && op.flag) {  // later (a retry): `set req.backend_hint = req.backend_hint` (A5)
      w_.sim.sleep_for(200'000);
      VRT_Assign_Backend(&h->be, h->be);
    }
    return d;
  }

  void request(const Op &op) {
    int inst = op.inst;  // the target may not exist yet: made this phase by another actor
    for (int i = 0; i < std::max(1, op.id2); i++) {
      auto it = vcls_.find(inst);
      if (it == vcls_.end() || it->second.v == nullptr) return;
      struct vcl *v = it->second.v;
      vv::RequestResult r = vv::run_request(w_.rt, v, [&](VRT_CTX) { return choose(ctx, op); });
      if (!r.backend.empty() && r.backend.rfind(vcls_[inst].name + ".", 0) != 0)
        w_.sim.fail("P-VCL", fmt::format("a request on VCL {} was served by '{}' of another VCL", v->name, r.backend));
    }
  }

  void object_op(const Op &op) {
    switch (op.kind) {
      case OpKind::DirNew:
        in_task(op.inst, true, 0, [&](VRT_CTX) { make_obj(ctx, op.id, op.inst, "o" + std::to_string(op.id), op.type, op.flag); });
        break;
      case OpKind::DirFini: fini_obj(op.id); break;
      case OpKind::AddBackend: {
        XObj &p = objs_.at(op.id);
        VCL_BACKEND m = objs_.at(op.id2).dir;
        in_task(p.inst, true, VCL_MET_RECV, [&](VRT_CTX) { p.obj->add_backend(ctx, m, op.arg); });
        break;
      }
      case OpKind::RemoveBackend: {
        XObj &p = objs_.at(op.id);
        VCL_BACKEND m = objs_.at(op.id2).dir;
        in_task(p.inst, true, VCL_MET_RECV, [&](VRT_CTX) { p.obj->remove_backend(ctx, m); });
        break;
      }
      case OpKind::BeNew: be_new(op); break;
      case OpKind::BeDelete: {
        VCL_BACKEND d;
        {
          std::lock_guard<vs::Mutex> lk(slots_);
          XObj &x = objs_.at(op.id);
          d = x.be;
          x.be = nullptr;
          x.fini_done = true;
        }
        in_task(objs_.at(op.id).inst, false, 0, [&](VRT_CTX) { VRT_delete_backend(ctx, &d); });
        break;
      }
      case OpKind::Resolver:
        for (int mask : flaps(op))
          in_task(objs_.at(op.id).inst, false, 0, [&](VRT_CTX) { objs_.at(op.id).obj->update(ctx, answers(mask)); });
        break;
      case OpKind::Request: request(op); break;
      default: cli(op); break;
    }
  }

  void be_new(const Op &op) {
    in_task(op.inst, true, 0, [&](VRT_CTX) {
      std::string name = "n" + std::to_string(op.id), host = host_name(op.arg);
      struct vrt_backend be;
      VRT_BACKEND_INIT(&be);
      be.vcl_name = name.c_str();
      be.hosthdr = host.c_str();
      be.probe = op.flag ? &probe_ : nullptr;
      VCL_BACKEND d = VRT_new_backend(ctx, &be, nullptr);
      if (!d) model_fail("VRT_new_backend returned NULL on a warm VCL");
      XObj x;
      x.kind = ObjKind::Native;
      x.inst = op.inst;
      x.name = name;
      x.be = x.dir = d;
      x.vd = d->vdir;
      {
        std::lock_guard<vs::Mutex> lk(slots_);
        objs_[op.id] = std::move(x);
      }
      int id = op.id;  // at discard B4 reaps it; our pointer goes stale then
      ctx->vcl->fini.push_back([this, id](VRT_CTX) {
        (void)ctx;
        std::lock_guard<vs::Mutex> lk(slots_);
        objs_.at(id).be = nullptr;
        objs_.at(id).fini_done = true;
      });
    });
  }

  void coordinate() {
    {
      std::lock_guard<vs::Mutex> lk(cli_);
      load(0, 0, 0);
      w_.rt.vcl_use(vcl_name(0));
    }
    for (std::size_t k = 0; k < phases_.size(); k++) {
      std::int64_t t0 = static_cast<std::int64_t>(k) * kPhaseNs;
      doing_[-1] = fmt::format("coordinator in phase {}", k);
      bool late = w_.sim.now_ns() > t0;
      w_.sim.sleep_until(t0);
      std::vector<vs::Actor *> actors;
      for (int a = 0; a < kActors; a++) {
        std::vector<const Op *> mine;
        for (const Op *op : phases_[k])
          if (op->kind != OpKind::Endpoint && op->actor == a) mine.push_back(op);
        if (mine.empty()) continue;
        // An actor that runs CLI commands stands for varnishd's main thread (its stack).
        bool cli = std::any_of(mine.begin(), mine.end(), [](const Op *op) { return op->is_cli(); });
        actors.push_back(w_.sim.spawn(fmt::format("a{}", a), [this, mine] {
          for (const Op *op : mine) {
            w_.rt.trace("op", to_string(*op));
            doing_[op->actor] = to_string(*op);  // "aN: op"
            object_op(*op);
            doing_.erase(op->actor);
            check_violation();
          }
        }, false, cli ? vv::kThreadStackBytes : 0));
      }
      for (vs::Actor *a : actors) w_.sim.join(a);
      late = late || w_.sim.now_ns() > t0 + kPhaseNs / 2;
      w_.sim.sleep_until(std::max(w_.sim.now_ns(), t0 + kSettleNs));
      std::lock_guard<vs::Mutex> lk(cli_);
      w_.rt.poll();
      check_violation();
      late = late || w_.sim.now_ns() >= t0 + kPhaseNs;  // the next phase's endpoint flips are due
      compare(snapshots_[k], late, static_cast<int>(k));
    }
    doing_[-1] = "coordinator in teardown";
    teardown();
    finished_ = true;
  }

  void compare(const Model &m, bool late, int phase);
  void teardown();

  const Case &case_;
  ExecOptions opts_;
  vv::harness::World w_;
  vs::Mutex cli_{"cli"};      // varnishd's single CLI thread
  vs::Mutex slots_{"slots"};  // the test's object table (a vmod's own lock)
  std::vector<std::vector<const Op *>> phases_;
  std::vector<Model> snapshots_;
  std::map<int, XObj> objs_;
  std::map<int, XVcl> vcls_;
  std::set<int> discarded_;  // VCL instances a vcl.discard op named
  std::map<std::string, std::uint32_t> vmod_cold_;  // VCL -> actor that told its VMODs COLD
  bool finished_ = false;
  vs::Actor *in_set_health_ = nullptr;
  std::set<std::string> seen_;
  std::map<int, std::string> doing_;  // actor -> op in progress
  std::string violation_;
  struct vrt_backend_probe probe_ = vv::harness::make_probe(0.2, 1, 1, 1, 0.02);
};

void Exec::compare(const Model &m, bool late, int phase) {
  RuntimeFacts f{w_.rt, [this](int inst) { return vcls_.at(inst).v; }, [this](int id) { return objs_.at(id).vd; }};
  if (std::string why = check_model(m, f, late, phase); !why.empty()) model_fail(why);
}

// Everything goes away: a fresh VCL becomes active, every other one is discarded, and
// every director ever made must be destroyed exactly once (A8, C5).
void Exec::teardown() {
  std::lock_guard<vs::Mutex> lk(cli_);
  int inst = static_cast<int>(vcls_.size()) + 100;
  XVcl &xv = vcls_[inst];
  xv.name = "vend";
  xv.v = w_.rt.vcl_load("vend", hooks(inst), nullptr);
  w_.rt.vcl_use("vend");
  for (const std::string &l : w_.rt.labels()) w_.rt.vcl_discard(l);  // L4: labels go first
  for (auto &[i, x] : vcls_)
    if (i != inst && !x.v->gone) w_.rt.vcl_discard(x.name);
  w_.rt.poll();
  check_violation();
  for (auto &[i, x] : vcls_)
    if (i != inst && !x.v->gone) model_fail(fmt::format("VCL {} was not reaped at the end (C5)", x.name));
  for (auto &[id, x] : objs_)
    if (!x.vd->destroyed) model_fail(fmt::format("'{}' outlived its VCL (A8/C5)", x.vd->cli_name));
  const auto &c = w_.rt.counters();
  if (c.directors_added != c.directors_destroyed)
    model_fail(fmt::format("{} directors added, {} destroyed", c.directors_added, c.directors_destroyed));
}

}  // namespace

Outcome run_case(const Case &c, const ExecOptions &opts) {
  vr::register_builtin_directors();
  for (const TemplateDir &d : c.tmpl->dirs) traits(d.type);  // learns each type: a mutant loads its module
  Exec e(c, opts);
  return e.run();
}

namespace {

// A case and its options as JSON, for the worker child (child_cases.hpp).
nlohmann::json case_json(const Case &c, const ExecOptions &opts) {
  nlohmann::json dirs = nlohmann::json::array();
  for (const TemplateDir &d : c.tmpl->dirs)
    dirs.push_back({{"type", d.type}, {"members", d.members}, {"weights", d.weights}, {"flag", d.flag},
                    {"answer", d.answer}});
  nlohmann::json ops = nlohmann::json::array();
  for (const Op &op : c.ops)
    ops.push_back({static_cast<int>(op.kind), op.actor, op.vcl, op.inst, op.id, op.id2, op.arg, op.flag, op.type});
  return {{"probe", c.tmpl->probe}, {"dirs", dirs}, {"ops", ops}, {"seed", c.seed}, {"depth", c.strategy.depth},
          {"options", options_json(opts)}};
}

nlohmann::json run_case_json(const nlohmann::json &in) {
  auto tmpl = std::make_shared<Template>();
  for (int s = 0; s < kStatic; s++) tmpl->probe[s] = in.at("probe").at(s);
  for (const auto &d : in.at("dirs"))
    tmpl->dirs.push_back({d.at("type"), d.at("members"), d.at("weights"), d.at("flag"), d.at("answer")});
  Case c;
  c.tmpl = tmpl;
  for (const auto &o : in.at("ops"))
    c.ops.push_back({static_cast<OpKind>(o.at(0).get<int>()), o.at(1), o.at(2), o.at(3), o.at(4), o.at(5), o.at(6),
                     o.at(7), o.at(8)});
  c.seed = in.at("seed");
  c.strategy.depth = in.at("depth");
  Outcome o = run_case(c, options_from(in.at("options")));
  return nlohmann::json{{"clean", o.ok},          {"ok", o.ok},       {"rule", o.rule},
                        {"message", o.message}, {"actor", o.actor}, {"time_ns", o.time_ns},
                        {"digest", o.digest},   {"steps", o.steps}, {"decisions", o.decisions},
                        {"trace_tail", o.trace_tail}, {"seen", o.seen}};
}

const bool lifecycle_kind = child::add_kind("lifecycle", run_case_json);

}  // namespace

Outcome run_case_isolated(const Case &c, const ExecOptions &opts) {
  if (!opts.isolate) return run_case(c, opts);
  nlohmann::json j = child::run("lifecycle", case_json(c, opts));
  Outcome o;
  if (j.contains("crash")) {
    o.ok = false;
    o.rule = "CRASH";
    o.message = j["crash"].get<std::string>();
    o.trace_tail = j.value("trace_tail", std::vector<std::string>{});
    return o;
  }
  o.ok = j["ok"];
  o.rule = j["rule"];
  o.message = j["message"];
  o.actor = j["actor"];
  o.time_ns = j["time_ns"];
  o.digest = j["digest"];
  o.steps = j["steps"];
  o.decisions = j["decisions"].get<std::vector<std::uint32_t>>();
  o.trace_tail = j["trace_tail"].get<std::vector<std::string>>();
  o.seen = j["seen"].get<std::set<std::string>>();
  return o;
}

}  // namespace prop
