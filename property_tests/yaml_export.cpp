// Case -> simrun scenario YAML (see yaml_export.hpp).
#include "property_tests/yaml_export.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "property_tests/model.hpp"
#include "property_tests/types.hpp"
#include "sim/runner/keys.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace prop {

namespace {

const char *kProbe = "{interval: 200ms, timeout: 20ms, window: 1, threshold: 1, initial: 1}";

// The resolver a dynamic director of VCL name `vcl` follows: "r_v0_t1", "r_v1_o7".
std::string resolver_of(int vcl, const std::string &object) { return fmt::format("r_{}_{}", vcl_name(vcl), object); }

std::string member_name(int m) { return m < kStatic ? fmt::format("s{}", m) : fmt::format("t{}", m - kStatic); }

void vcl_block(std::ostream &os, const Template &t, int name) {
  os << "  - name: " << vcl_name(name) << "\n    backends:\n";
  for (int s = 0; s < kStatic; s++)
    os << fmt::format("      - {{name: s{}, host: \"{}\"{}}}\n", s, host_name(s),
                      t.probe[s] ? std::string(", probe: ") + kProbe : "");
  if (t.dirs.empty()) return;
  os << "    directors:\n";
  for (std::size_t j = 0; j < t.dirs.size(); j++) {
    const TemplateDir &d = t.dirs[j];
    DirectorEntry e{fmt::format("t{}", j), d.type, {}, d.weights};
    for (int m : d.members) e.members.push_back(member_name(m));
    if (traits(d.type).dynamic) {
      // no ttl: each answer reaches the director when it is due, as resolver.answer does
      e.resolver = resolver_of(name, e.name);
      if (d.flag) e.probe = kProbe;
    }
    e.sticky = d.flag;
    os << "      - " << director_yaml(e) << "\n";
  }
}

struct Timeline {
  std::ostringstream ops;
  std::set<std::string> resolvers;  // of directors the timeline makes or answers
  std::vector<std::string> dropped;
  std::set<std::string> cold;  // VCLs set cold: varnishadm uses one only once set auto (L3)
  std::set<int> made;          // objects made at run time that the scenario makes too
};

// The name the scenario gives an object ("s1", "t0", "o7", "n9") where it can address it:
// in the current load of its VCL's name (the one `vcl: NAME` finds), and for an object made
// at run time only if its `new:`/`backend_new:` was written. "" otherwise.
std::string object_name(const Timeline &tl, const Model &m, int id) {
  const MObj &o = m.objs().at(id);
  const MVcl *cur = m.current(m.vcl(o.inst).name);
  if (!cur || cur->inst != o.inst) return "";
  bool template_object = o.kind == ObjKind::Static || o.name[0] == 't';
  return template_object || tl.made.count(id) ? o.name : "";
}

// The ops on objects (on the op's actor `at`): false when the op cannot be written
// (an object the scenario cannot name, see object_name).
bool export_object_op(Timeline &tl, const Model &m, const Op &op, const std::string &at, unsigned &hosts_used) {
  switch (op.kind) {
    case OpKind::Resolver: {  // on its actor, in turn with the actor's other ops
      const MObj &o = m.objs().at(op.id);
      if (o.name[0] != 't' && !tl.made.count(op.id)) return false;
      std::string r = resolver_of(m.vcl(o.inst).name, o.name);
      tl.resolvers.insert(r);
      for (int mask : flaps(op)) {
        hosts_used |= static_cast<unsigned>(mask);
        std::string hosts = answer_list(mask);
        hosts.erase(std::remove(hosts.begin(), hosts.end(), '"'), hosts.end());  // the op's text form
        tl.ops << fmt::format("  - {{at: {}, op: \"resolver.answer {} {}\"}}\n", at, r, hosts);
      }
      return true;
    }
    case OpKind::AddBackend:
    case OpKind::RemoveBackend: {  // VCL's own call, racing the phase as the op does
      const MObj &p = m.objs().at(op.id);
      std::string parent = object_name(tl, m, op.id), member = object_name(tl, m, op.id2);
      if (parent.empty() || member.empty() || m.objs().at(op.id2).inst != p.inst) return false;
      std::string args = op.kind == OpKind::AddBackend ? add_backend_args(p.type, member, op.arg) : member;
      if (args.empty()) return false;
      tl.ops << fmt::format("  - {{at: {}, vcl: {}, call: \"{}.{}({})\"}}\n", at, vcl_name(m.vcl(p.inst).name), parent,
                            to_string(op.kind), args);
      return true;
    }
    case OpKind::Request: {
      std::string target = object_name(tl, m, op.id);
      if (target.empty()) return false;
      // On its actor, after the actor's ops before it.
      tl.ops << fmt::format("  - {{at: {}, vcl: {}, request: {{director: {}, key: {}, count: {}{}}}}}\n", at,
                            vcl_name(m.vcl(m.objs().at(op.id).inst).name), target, op.arg, std::max(1, op.id2),
                            op.flag ? ", hint_again: 200us" : "");
      return true;
    }
    case OpKind::DirNew:  // its constructor in a task of the VCL (a dynamic one follows a resolver of its own)
    case OpKind::BeNew: {
      const MVcl *cur = m.current(m.vcl(op.inst).name);
      if (!cur || cur->inst != op.inst) return false;
      std::string name = fmt::format("{}{}", op.kind == OpKind::DirNew ? 'o' : 'n', op.id);
      DirectorEntry e{name, op.type, {}, {}, op.flag};
      if (op.kind == OpKind::DirNew && traits(op.type).dynamic) {
        e.resolver = resolver_of(m.vcl(op.inst).name, name);
        if (op.flag) e.probe = kProbe;
        tl.resolvers.insert(e.resolver);  // declared with no backends until its first answer
      }
      std::string entry = op.kind == OpKind::DirNew
                              ? "new: " + director_yaml(e)
                              : fmt::format("backend_new: {{name: {}, host: \"{}\"{}}}", name, host_name(op.arg),
                                            op.flag ? std::string(", probe: ") + kProbe : "");
      if (op.kind == OpKind::BeNew) hosts_used |= 1u << op.arg;
      tl.made.insert(op.id);
      tl.ops << fmt::format("  - {{at: {}, vcl: {}, {}}}\n", at, vcl_name(m.vcl(op.inst).name), entry);
      return true;
    }
    case OpKind::DirFini:
    case OpKind::BeDelete: {
      std::string name = object_name(tl, m, op.id);
      if (name.empty()) return false;
      tl.ops << fmt::format("  - {{at: {}, vcl: {}, {}: {}}}\n", at, vcl_name(m.vcl(m.objs().at(op.id).inst).name),
                            op.kind == OpKind::DirFini ? "fini" : "backend_delete", name);
      return true;
    }
    default: return false;
  }
}

void export_op(Timeline &tl, const Model &m, const Op &op, int phase, unsigned &hosts_used) {
  // The op's actor runs its ops of the phase in order, the three actors at once (`actor:`).
  std::string when = fmt::format("{}s", phase), at = fmt::format("{}, actor: a{}", when, op.actor);
  auto cli = [&](const std::string &text) { tl.ops << fmt::format("  - {{at: {}, op: \"{}\"}}\n", at, text); };
  std::string vcl = vcl_name(op.vcl);
  switch (op.kind) {
    case OpKind::VclLoad:
      if (op.arg == 1) tl.cold.insert(vcl);
      else tl.cold.erase(vcl);
      cli("vcl.load " + vcl + (op.arg ? std::string(" ") + load_state(op) : ""));
      return;
    case OpKind::VclUse:
      if (tl.cold.erase(vcl) > 0) cli("vcl.state " + vcl + " auto");
      cli("vcl.use " + (op.id >= 0 ? label_name(op.id) : vcl));
      return;
    case OpKind::VclLabel: cli("vcl.label " + label_name(op.id) + " " + vcl); return;
    case OpKind::LabelDiscard: cli("vcl.discard " + label_name(op.id)); return;
    case OpKind::BackendList: cli(backend_list_command(op)); return;
    case OpKind::VclList: cli(vcl_list_command(op)); return;
    case OpKind::VclCold: tl.cold.insert(vcl); cli("vcl.state " + vcl + " cold"); return;
    case OpKind::VclWarm: tl.cold.erase(vcl); cli("vcl.state " + vcl + " warm"); return;
    case OpKind::VclDiscard: cli("vcl.discard " + vcl + (op.id2 >= 0 ? " " + vcl_name(op.id2) : "")); return;
    case OpKind::SetHealth: {
      std::string target = op.id < 0 ? "s*" : object_name(tl, m, op.id);
      if (target.empty()) break;  // not addressable (see object_name)
      cli(fmt::format("backend.set_health {}.{} {}", vcl_name(m.vcl(op.inst).name), target,
                      op.arg < 0 ? "auto" : op.arg ? "healthy" : "sick"));
      return;
    }
    default:
      if (export_object_op(tl, m, op, at, hosts_used)) return;
      break;
  }
  tl.dropped.push_back(fmt::format("phase {}: {}", phase, to_string(op)));
}

}  // namespace

ScenarioExport to_scenario(const Case &c, const std::string &name, const ExecOptions &opts,
                           const std::string &expect_rule, bool described) {
  Timeline tl;
  Model m(c.tmpl);
  unsigned hosts_used = (1u << kStatic) - 1;  // servers the scenario names (scripts only for those)
  for (const TemplateDir &d : c.tmpl->dirs)
    if (traits(d.type).dynamic) hosts_used |= static_cast<unsigned>(d.answer);
  std::set<int> names = {0};
  std::map<int, std::vector<std::pair<int, bool>>> scripts;  // host -> (phase, up)
  int phase = 0;
  for (const Op &op : c.ops) {
    if (op.kind == OpKind::VclLoad) names.insert(op.vcl);
    if (op.kind == OpKind::Barrier) phase++;
    else if (op.kind == OpKind::Endpoint) {  // flips at one phase start: the last one holds
      auto &steps = scripts[op.arg];
      if (!steps.empty() && steps.back().first == phase) steps.back().second = op.flag;
      else steps.emplace_back(phase, op.flag);
    }
    else export_op(tl, m, op, phase, hosts_used);
    m.apply(op);
  }
  // The case's teardown: a fresh VCL becomes active, every other one is discarded.
  std::string end_at = fmt::format("{}s", phase + 1);
  tl.ops << fmt::format("  - {{at: {}, op: \"vcl.load vend\"}}\n  - {{at: {}, op: \"vcl.use vend\"}}\n", end_at, end_at);
  for (int l = 0; l < kLabels; l++)
    if (m.label(l) >= 0) tl.ops << fmt::format("  - {{at: {}, op: \"vcl.discard {}\"}}\n", end_at, label_name(l));
  for (int n = 0; n < kVclNames; n++)
    if (m.current(n)) tl.ops << fmt::format("  - {{at: {}, op: \"vcl.discard {}\"}}\n", end_at, vcl_name(n));
  std::ostringstream os, shown;
  if (described) show(c, shown);
  for (const auto &d : tl.dropped) shown << "not expressible in a scenario, left out: " << d << "\n";
  std::string quiescent = "  quiescent: [";  // each phase's end, where run_case checks the model (kSettleNs)
  for (int k = 0; k <= phase; k++) quiescent += fmt::format("{}{}ms", k ? ", " : "", (k * kPhaseNs + kSettleNs) / 1'000'000);
  case_head(os, described ? "vdisim property-test case " + name + ", written by property_tests (docs/property-tests.md)" : "", shown.str(),
            name, (phase + 3) * kPhaseNs, c.seed, c.strategy, opts, quiescent + "]\n");
  std::vector<std::string> types;
  for (const auto &d : c.tmpl->dirs) types.push_back(d.type);
  os << vmods_yaml(types);
  os << "vcls:\n";
  for (int n : names) vcl_block(os, *c.tmpl, n);
  os << "  - name: vend\n    backends:\n      - {name: s0, host: \"" << host_name(0) << "\"}\n";
  std::ostringstream res;
  std::map<std::string, int> first;  // resolver -> its answer at 0s (a template director's initial one)
  for (int n : names)
    for (std::size_t j = 0; j < c.tmpl->dirs.size(); j++)
      if (traits(c.tmpl->dirs[j].type).dynamic) first[resolver_of(n, fmt::format("t{}", j))] = c.tmpl->dirs[j].answer;
  for (const std::string &r : tl.resolvers)
    if (!first.count(r)) first[r] = 0;
  for (const auto &[r, mask] : first) res << fmt::format("  {}:\n    - {{at: 0s, answer: {}}}\n", r, answer_list(mask));
  if (!res.str().empty()) os << "resolvers:\n" << res.str();
  if (std::any_of(scripts.begin(), scripts.end(), [&](const auto &s) { return (hosts_used >> s.first) & 1u; })) {
    os << "backends:\n";
    for (const auto &[h, steps] : scripts) {
      if (!((hosts_used >> h) & 1u)) continue;
      os << fmt::format("  \"{}\":\n    mode: script\n    script:\n", host_name(h));
      for (auto [p, up] : steps) os << fmt::format("      - {{at: {}s, state: {}}}\n", p, up ? "up" : "refuse");
    }
  }
  if (!tl.ops.str().empty()) os << "timeline:\n" << tl.ops.str();
  if (!expect_rule.empty()) os << "expect:\n  failure: " << expect_rule << "\n";
  return {os.str(), tl.dropped};
}

vdisim::runner::RunRequest own_run(const vdisim::scenario::Scenario &sc) {
  vdisim::runner::RunRequest req;
  req.seed = sc.run.seed_first;
  req.strategy = vdisim::sim::StrategySpec::parse(sc.run.strategy_text);
  return req;
}

void case_head(std::ostream &os, const std::string &about, const std::string &shown, const std::string &name,
               std::int64_t duration_ns, std::uint64_t seed, const StrategyChoice &strategy, const ExecOptions &opts,
               const std::string &extra_run) {
  if (!about.empty()) {
    os << "# " << about << ".\n# The case (its seed and strategy are the run's):\n";
    std::istringstream lines(shown);
    for (std::string line; std::getline(lines, line);) os << "#   " << line << "\n";
  }
  os << "version: 1\nname: " << name << "\n";
  os << fmt::format("run:\n  duration: {}ms\n  seeds: \"{}..{}\"\n  strategy: \"{}\"\n", duration_ns / 1'000'000, seed,
                    seed, strategy.text());
  if (strategy.depth > 0) os << fmt::format("  pct_steps: {}\n", opts.pct_steps);
  os << fmt::format("  step_budget: {}\n", opts.step_budget) << extra_run;
  const std::vector<std::string> regressions = opts.regressions.enabled();
  if (!regressions.empty()) os << fmt::format("runtime:\n  regressions: [{}]\n", fmt::join(regressions, ", "));
}

std::string answer_list(int mask) {
  std::string s = "[";
  for (int h = 0; h < kHosts; h++)
    if ((mask >> h) & 1) s += fmt::format("{}\"{}\"", s.size() > 1 ? ", " : "", host_name(h));
  return s + "]";
}

std::string director_yaml(const DirectorEntry &d) {
  const TypeTraits &tr = traits(d.type);
  std::string y = fmt::format("{{name: {}, type: \"{}\"", d.name, d.type);
  if (tr.dynamic)
    y += fmt::format(", options: {{resolver: {}{}}}", d.resolver, d.probe.empty() ? "" : ", probe: " + d.probe);
  else if (tr.base == "fallback" && d.sticky)
    y += ", options: {sticky: true}";
  if (!d.members.empty()) {
    y += ", members: [";
    for (std::size_t m = 0; m < d.members.size(); m++) {
      std::string n = d.members[m];
      if (tr.weighted && d.weights[m] != 1) n = fmt::format("{{name: {}, weight: {}}}", n, d.weights[m]);
      y += (m ? ", " : "") + n;
    }
    y += "]";
  }
  return y + "}";
}

std::string add_backend_args(const std::string &type, const std::string &member, double weight) {
  const TypeTraits &t = traits(type);
  if (!t.weighted) return member;
  if (t.weight_arg.empty()) return "";
  return member + fmt::format(fmt::runtime(t.weight_arg), fmt::format("{:.1f}", weight));
}

std::string vmods_yaml(const std::vector<std::string> &types) {
  std::vector<std::string> files;
  for (const auto &t : types) {
    // "vmod.object" or "vmod"; a short type (round_robin) names no module
    const vdisim::runner::vmod::Module *m = vdisim::runner::vmod::find_module(t.substr(0, t.find('.')));
    if (m == nullptr || m->file.empty()) continue;
    std::string f = std::filesystem::absolute(m->file).lexically_normal().string();
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  }
  if (files.empty()) return "";
  std::string y = "vmods: [";
  for (std::size_t i = 0; i < files.size(); i++) y += (i ? ", \"" : "\"") + files[i] + "\"";
  return y + "]\n";
}

std::string write_scenario(const ScenarioExport &s, const std::string &dir, const std::string &name) {
  std::filesystem::create_directories(dir);
  std::string path = (std::filesystem::path(dir) / (name + ".yaml")).string();
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp);
    f << s.yaml;
  }
  std::filesystem::rename(tmp, path);
  return path;
}

}  // namespace prop
