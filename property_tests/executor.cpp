// Lifecycle cases (see executor.hpp): a case is written as a scenario (yaml_export.hpp)
// and run by the scenario runner, as simrun runs it, with the model checked at every
// phase's quiescent point and the event order and CLI output checked beside it.
#include "property_tests/executor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "property_tests/child_cases.hpp"
#include "property_tests/executor_support.hpp"
#include "property_tests/model.hpp"
#include "property_tests/model_check.hpp"
#include "property_tests/types.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/scenario/loader.hpp"
#include "vcl.h"

namespace prop {

namespace vs = vdisim::sim;
namespace vv = vdisim::vrt;
namespace vr = vdisim::runner;

namespace {

// What the run's events tell beside the model, as they happen: the event order of C3 and
// the interleavings of kSeen* (runtime bugs fixed) that the case reaches.
class Watch {
 public:
  void on(const vs::EventView &e) {
    // backend.set_health runs until its actor lets the CLI thread go
    if (e.kind == vs::EventKind::Lock && e.a == 1 && e.actor == set_health_by_ && e.text == "cli") set_health_by_ = 0;
    if (e.kind != vs::EventKind::User) return;
    notice(e);
    // The transition's own COLD events only: a director unlinked just before it is
    // retired by its last holder with the temperature it read then (A6), possibly after.
    if (e.topic == "vmod" && e.text.ends_with(" directors COLD")) vmod_cold_[std::string(e.text.substr(0, e.text.find(' ')))] = e.actor;
    if (e.topic == "vmod" && e.text.ends_with(" directors WARM")) vmod_cold_.erase(std::string(e.text.substr(0, e.text.find(' '))));
    if (e.topic == "event" && e.text.ends_with(" COLD") && violation.empty()) {
      std::string vcl(e.text.substr(0, e.text.find('.')));
      auto it = vmod_cold_.find(vcl);
      if (it != vmod_cold_.end() && it->second == e.actor)
        violation = fmt::format("director '{}' got COLD after the VMODs of VCL '{}' (directors go cold first)",
                                e.text.substr(0, e.text.size() - 5), vcl);
    }
  }
  std::string violation;  // C3: after a VCL's VMODs heard COLD, none of its directors may
  std::set<std::string> seen;

 private:
  void notice(const vs::EventView &e) {
    const vv::Runtime &rt = *vv::Runtime::current();
    if (e.topic == "cli" && e.text.starts_with("backend.set_health ")) set_health_by_ = e.actor;
    if (e.topic == "probe" && e.text.ends_with(" freed by its probe task")) seen.insert(kSeenProbeTaskFrees);
    if (e.topic == "vcl" && e.text.ends_with(" busy -> warm")) seen.insert(kSeenUseOfBusyVcl);
    if (e.topic == "vcl" && e.text.ends_with(" -> busy")) seen.insert(kSeenBusyAtCold);
    if (e.topic == "dir" && e.text.find(" added (") != std::string::npos && set_health_by_ != 0 &&
        e.actor != set_health_by_)
      seen.insert(kSeenAddDuringSetHealth);
    if (e.topic == "dir" && e.text.ends_with(" resigning (transaction open)")) {
      std::string vcl(e.text.substr(0, e.text.find('.')));
      const struct vcl *v = rt.find_vcl(vcl);
      if (v && !v->gone && !vv::is_warm(v->temp) && !vmod_cold_.count(vcl)) seen.insert(kSeenResignDuringCold);
    }
  }
  std::map<std::string, std::uint32_t> vmod_cold_;  // VCL -> actor that told its VMODs COLD
  std::uint32_t set_health_by_ = 0;                 // actor whose backend.set_health runs
};

// The model after each phase (the last: at the end of the ops).
std::vector<Model> phase_models(const Case &c) {
  Model m(c.tmpl);
  std::vector<Model> after;
  for (const Op &op : c.ops) {
    std::string why;
    if (!m.valid(op, &why)) throw std::invalid_argument("invalid case at op '" + to_string(op) + "': " + why);
    m.apply(op);
    if (op.kind == OpKind::Barrier) after.push_back(m);
  }
  after.push_back(m);
  return after;
}

// What the CLI printed, checked after the run: each vcl.list -j is a whole list naming
// every VCL loaded before its phase and not discarded in it; each vcl.show of a name or
// label reaches the VCL the model says (a YAML VCL has no text: its refusal names it).
std::string check_cli(const Case &c, const std::vector<Model> &after, const vr::RunResult &r) {
  const Model start(c.tmpl);
  for (const auto &out : r.cli_output) {
    if (out.command != "vcl.list -j") continue;
    auto k = static_cast<std::size_t>(out.at_ns / kPhaseNs);
    const Model &before = k == 0 ? start : after.at(k - 1);
    std::vector<std::string> loaded;
    for (const MVcl &mv : before.vcls())
      if (mv.state != VclState::Gone && after.at(k).vcl(mv.inst).state != VclState::Gone) loaded.push_back(vcl_name(mv.name));
    if (std::string p = vcl_list_problem(out.output, loaded); !p.empty()) return "vcl.list -j: " + p;
  }
  int phase = 0;
  for (const Op &op : c.ops) {
    if (op.kind == OpKind::Barrier) phase++;
    if (op.kind != OpKind::VclList || op.arg < 2) continue;
    const std::string cmd = vcl_list_command(op), want = fmt::format("VCL '{}' is described in YAML", vcl_name(op.vcl));
    bool found = false;
    for (const auto &e : r.cli_errors) {
      if (e.at_ns / kPhaseNs != phase || e.command != cmd) continue;
      if (e.output.find(want) == std::string::npos) return fmt::format("{} printed '{}', expected {}", cmd, e.output, want);
      found = true;
    }
    if (!found) return cmd + " printed nothing";
  }
  for (const auto &e : r.cli_errors)
    if (e.output.find("is described in YAML") == std::string::npos) return "the runtime refused: " + e.line();
  return "";
}

}  // namespace

Outcome run_case(const Case &c, const ExecOptions &opts) {
  vr::register_builtin_directors();
  for (const TemplateDir &d : c.tmpl->dirs) traits(d.type);  // a mutant loads its module
  const std::vector<Model> after = phase_models(c);
  ScenarioExport s = to_scenario(c, "case", opts, "", false);  // loaded, not read: no comments
  if (!s.dropped.empty()) throw std::invalid_argument("the case's export leaves out: " + s.dropped.front());
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(s.yaml, "case.yaml");
  Watch watch;
  vr::RunRequest req = own_run(sc);
  req.keep_decisions = true;
  req.on_event = [&watch](const vs::EventView &e) { watch.on(e); };
  req.on_request = [](const vr::RequestRecord &r) {
    if (r.backend != "(none)" && r.backend.rfind(r.vcl + ".", 0) != 0)
      vs::Sim::current()->fail("P-VCL", fmt::format("a request on VCL {} was served by '{}' of another VCL", r.vcl, r.backend));
  };
  req.on_quiescent = [&](std::size_t k, const vr::QuiescentView &view) {
    if (!watch.violation.empty()) vs::Sim::current()->fail("C3", watch.violation);
    std::optional<vs::Sim::Quiet> quiet(std::in_place, *vs::Sim::current());  // simrun replays the run without it
    const Model &m = after[k];
    // Instance i is the n-th load of its name (a name is loaded again only after its discard).
    auto vcl_of = [&](int inst) -> struct vcl * {
      const std::string name = vcl_name(m.vcl(inst).name);
      int nth = 0;
      for (int i = 0; i < inst; i++) nth += m.vcl(i).name == m.vcl(inst).name;
      for (struct vcl *v : view.loads)
        if (v->name == name && nth-- == 0) return v;
      return nullptr;
    };
    auto dir_of = [&](int id) -> vcldir * {
      const MObj &o = m.objs().at(id);
      struct vcl *v = vcl_of(o.inst);
      vcldir *found = nullptr;
      for (const auto &vd : view.rt.quarantine())
        if (v && vd->vcl == v && vd->cli_name == std::string(v->name) + "." + o.name) found = vd.get();
      return found;
    };
    RuntimeFacts f{view.rt, vcl_of, dir_of};
    std::string why = check_model(m, f, static_cast<int>(k));
    quiet.reset();
    if (!why.empty()) vs::Sim::current()->fail("MODEL", why);
  };
  vr::RunResult r = vr::run_scenario(sc, req);
  Outcome o;
  o.digest = r.report.digest;
  o.steps = r.report.steps;
  o.decisions = r.report.decisions;
  o.seen = watch.seen;
  if (!r.report.failure && !watch.violation.empty()) r.report.failure = vs::Failure{"C3", watch.violation};
  if (!r.report.failure)
    if (std::string why = check_cli(c, after, r); !why.empty()) r.report.failure = vs::Failure{"MODEL", why};
  if (r.report.failure) {
    o.ok = false;
    o.rule = r.report.failure->rule;
    o.message = r.report.failure->message;
    o.actor = r.report.failure->actor;
    o.time_ns = r.report.failure->time_ns;
    o.trace_tail = r.report.failure->trace_tail;
  }
  return o;
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
