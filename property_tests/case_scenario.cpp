// run_case_scenario (see case_scenario.hpp).
#include "property_tests/case_scenario.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "property_tests/model.hpp"
#include "property_tests/model_check.hpp"
#include "property_tests/types.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/scenario/loader.hpp"

namespace prop {

namespace vr = vdisim::runner;

Outcome run_case_scenario(const Case &c, const ExecOptions &opts) {
  vr::register_builtin_directors();
  for (const TemplateDir &d : c.tmpl->dirs) traits(d.type);  // a mutant loads its module
  ScenarioExport s = to_scenario(c, "case", opts.regressions.enabled(), "", 1);
  if (!s.dropped.empty()) throw std::invalid_argument("the case's export leaves out: " + s.dropped.front());
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(s.yaml, "case.yaml");
  // The model after each phase, as the executor compares it.
  Model m(c.tmpl);
  std::vector<Model> after;
  for (const Op &op : c.ops) {
    m.apply(op);
    if (op.kind == OpKind::Barrier) after.push_back(m);
  }
  after.push_back(m);
  vr::RunRequest req;
  req.seed = c.seed;
  req.strategy = vdisim::sim::StrategySpec::parse(c.strategy.text());
  req.strategy.pct_steps = opts.pct_steps;
  for (std::size_t k = 0; k < after.size(); k++) req.quiescent_at.push_back(static_cast<std::int64_t>(k) * kPhaseNs + kSettleNs);
  req.on_quiescent = [&](std::size_t k, const vr::QuiescentView &view) {
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
    if (std::string why = check_model(after[k], f, false, static_cast<int>(k)); !why.empty())
      vdisim::sim::Sim::current()->fail("MODEL", why);
  };
  vr::RunResult r = vr::run_scenario(sc, req);
  Outcome o;
  o.digest = r.report.digest;
  o.steps = r.report.steps;
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

}  // namespace prop
