// Director properties (see director_props.hpp): generation, the case as a scenario, its
// run by the scenario runner; the checks are in director_checks.cpp.
#include "property_tests/director_props.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "property_tests/director_checks.hpp"
#include "property_tests/types.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/scenario/loader.hpp"

namespace prop {

namespace vr = vdisim::runner;

namespace {
int choose(int n) { return *rc::gen::resize(100, rc::gen::inRange(0, n)); }
}  // namespace

void show(const DirCase &c, std::ostream &os) {
  os << fmt::format("seed {}, strategy {}, {} backends\n", c.seed, c.strategy.text(), c.backends);
  for (std::size_t i = 0; i < c.nodes.size(); i++) {
    const TreeNode &n = c.nodes[i];
    os << fmt::format("  t{} = {}{}(", i, n.type, n.sticky ? "[sticky]" : "");
    for (std::size_t k = 0; k < n.kids.size(); k++) os << (k ? ", " : "") << kid_name(n.kids[k]) << "*" << n.weights[k];
    if (traits(n.type).dynamic) os << fmt::format("answer {:#x}", n.answer);
    os << ")" << (i + 1 == c.nodes.size() ? "  <- root" : "") << "\n";
  }
  for (std::size_t r = 0; r < c.rounds.size(); r++) {
    const Round &x = c.rounds[r];
    os << fmt::format("  round {}: sick {:#x}{}{} sequential keys [", r, x.sick,
                      x.change >= 0 ? fmt::format(", change root member {}", x.change) : "",
                      x.flip ? ", health flips under load" : "");
    for (std::size_t k = 0; k < x.keys.size(); k++) os << (k ? "," : "") << x.keys[k];
    os << fmt::format("], {} concurrent x{}\n", x.concurrent, kActors);
  }
  if (c.reload) os << "  then: vcl.load v1, vcl.use v1, vcl.discard v0 under traffic\n";
}

rc::Gen<DirCase> gen_dir_case(const DirGenConfig &cfg) {
  return rc::gen::exec([cfg] {
    DirCase c;
    c.backends = 2 + choose(3);
    c.seed = static_cast<std::uint64_t>(choose(1 << 30));
    c.strategy.depth = cfg.strategy >= 0 ? cfg.strategy : choose(4);
    auto make = [&](const std::string &type, int depth, auto &self) -> int {
      TreeNode n;
      n.type = type;
      const TypeTraits &tr = traits(type);
      if (tr.dynamic) n.answer = 1 + choose((1 << c.backends) - 1);
      n.sticky = tr.base == "fallback" && choose(3) == 0;
      int kids = tr.members ? 1 + choose(4) : 0;
      for (int k = 0; k < kids; k++) {
        int kid = -1 - choose(c.backends);
        if (depth > 0 && !cfg.inner_types.empty() && choose(3) == 0)
          kid = self(cfg.inner_types[static_cast<std::size_t>(choose(static_cast<int>(cfg.inner_types.size())))],
                     depth - 1, self);
        n.kids.push_back(kid);
        n.weights.push_back(tr.weighted ? 1 + choose(3) : 1);
      }
      c.nodes.push_back(n);
      return static_cast<int>(c.nodes.size()) - 1;
    };
    make(cfg.root_types[static_cast<std::size_t>(choose(static_cast<int>(cfg.root_types.size())))], cfg.max_depth, make);
    int rounds = 1 + choose(cfg.max_rounds);
    for (int r = 0; r < rounds; r++) {
      Round x;
      x.sick = static_cast<unsigned>(choose(1 << c.backends));
      if (choose(3) == 0 && !c.nodes.back().kids.empty()) x.change = choose(static_cast<int>(c.nodes.back().kids.size()));
      x.flip = choose(5) == 0;
      int n = 2 + choose(7);
      for (int k = 0; k < n; k++) x.keys.push_back(choose(16));
      x.concurrent = choose(5);
      c.rounds.push_back(x);
    }
    c.reload = choose(2) == 1;
    return c;
  });
}

namespace {

const char *kProbe = "{interval: 20ms, timeout: 5ms, window: 1, threshold: 1, initial: 1}";

std::string ms(std::int64_t ns) { return fmt::format("{}ms", ns / 1'000'000); }
std::string resolver_name(const std::string &vcl, std::size_t node) { return fmt::format("r_{}_t{}", vcl, node); }

void vcl_yaml(std::ostream &os, const DirCase &c, const std::string &vcl) {
  os << "  - name: " << vcl << "\n    backends:\n";
  for (int b = 0; b < c.backends; b++)
    os << fmt::format("      - {{name: s{}, host: \"{}\", probe: {}}}\n", b, host_name(b), kProbe);
  os << "    directors:\n";
  for (std::size_t i = 0; i < c.nodes.size(); i++) {
    const TreeNode &n = c.nodes[i];
    DirectorEntry e{fmt::format("t{}", i), n.type, {}, n.weights, n.sticky, resolver_name(vcl, i), kProbe};
    for (int k : n.kids) e.members.push_back(kid_name(k));
    os << "      - " << director_yaml(e) << "\n";
  }
}

// Admin health on top of the probes while a round's concurrent requests run: mask bits
// sick, the others auto; the dynamic directors' backends too.
void set_health_yaml(std::ostream &os, const DirCase &c, std::int64_t at, unsigned mask) {
  bool dynamic = std::any_of(c.nodes.begin(), c.nodes.end(), [](const TreeNode &n) { return traits(n.type).dynamic; });
  for (int b = 0; b < c.backends; b++) {
    const char *st = ((mask >> b) & 1) ? "sick" : "auto";
    os << fmt::format("  - {{at: {}, op: \"backend.set_health v0.s{} {}\"}}\n", ms(at), b, st);
    if (dynamic) os << fmt::format("  - {{at: {}, op: \"backend.set_health v0.*({}) {}\"}}\n", ms(at), host_name(b), st);
  }
}

void round_yaml(std::ostream &traffic, std::ostream &timeline, const DirCase &c, const RoundState &s, int r,
                bool probes) {
  const Round &x = c.rounds[static_cast<std::size_t>(r)];
  std::int64_t t0 = r * kRoundNs;
  std::string root = fmt::format("t{}", c.nodes.size() - 1);
  if (s.changed) {
    const std::string &type = c.nodes.back().type;
    std::string member = kid_name(s.change);
    std::string call = s.added ? fmt::format("{}.add_backend({})", root, add_backend_args(type, member, s.change_weight))
                               : fmt::format("{}.remove_backend({})", root, member);
    timeline << fmt::format("  - {{at: {}, vcl: v0, call: \"{}\"}}\n", ms(t0 + kChangeNs), call);
    if (!s.added && traits(type).base == "shard")  // VCL reconfigures a shard after a change
      timeline << fmt::format("  - {{at: {}, vcl: v0, call: \"{}.reconfigure(67)\"}}\n", ms(t0 + kChangeNs), root);
  }
  std::string urls;
  std::vector<int> keys = x.keys;
  for (int k = 0; probes && k < kProbeKeys; k++) keys.push_back(k);
  for (int k : keys) urls += fmt::format("{}\"{}\"", urls.empty() ? "" : ", ", vr::request_url(static_cast<std::uint64_t>(k)));
  traffic << fmt::format("  - {{name: seq{}, vcl: v0, director: {}, concurrency: 1, requests: {}, start: {}, urls: [{}]}}\n",
                         r, root, keys.size(), ms(t0 + kSequentialNs), urls);
  if (x.concurrent == 0) return;
  traffic << fmt::format("  - {{name: conc{}, vcl: v0, director: {}, concurrency: {}, requests: {}, start: {}, "
                         "keys: {{count: 16}}}}\n", r, root, kActors, kActors * x.concurrent, ms(t0 + kConcurrentNs));
  if (!x.flip) return;
  for (int i = 0; i < 2 * x.concurrent; i++) set_health_yaml(timeline, c, t0 + kConcurrentNs, 1u << (i % c.backends));
  set_health_yaml(timeline, c, t0 + kConcurrentNs, 0);
}

}  // namespace

std::string dir_scenario(const DirCase &c, const ExecOptions &o, bool described) {
  std::vector<RoundState> states = round_states(c);
  std::int64_t reload_at = static_cast<std::int64_t>(c.rounds.size()) * kRoundNs + kChangeNs;
  std::ostringstream os, traffic, timeline, shown;
  if (described) show(c, shown);
  case_head(os, described ? "vdisim director property case, written by property_tests (docs/property-tests.md)" : "",
            shown.str(),
            "director-case", reload_at + kRoundNs, c.seed, c.strategy, o);
  std::vector<std::string> types;
  for (const auto &n : c.nodes) types.push_back(n.type);
  os << vmods_yaml(types);
  std::vector<std::string> vcls = {"v0"};
  if (c.reload) vcls.push_back("v1");
  os << "vcls:\n";
  for (const auto &v : vcls) vcl_yaml(os, c, v);
  std::ostringstream res;
  for (const auto &v : vcls)
    for (std::size_t i = 0; i < c.nodes.size(); i++)
      if (traits(c.nodes[i].type).dynamic)
        res << fmt::format("  {}:\n    - {{at: 0s, answer: {}}}\n", resolver_name(v, i), answer_list(c.nodes[i].answer));
  if (!res.str().empty()) os << "resolvers:\n" << res.str();
  // Round r's sick backends refuse from its start: their probes (20 ms) see it by its change.
  os << "backends:\n";
  for (int h = 0; h < c.backends; h++) {
    os << fmt::format("  \"{}\":\n    mode: script\n    script:\n", host_name(h));
    for (std::size_t r = 0; r < c.rounds.size(); r++)
      os << fmt::format("      - {{at: {}, state: {}}}\n", ms(static_cast<std::int64_t>(r) * kRoundNs),
                        ((c.rounds[r].sick >> h) & 1) ? "refuse" : "up");
  }
  for (std::size_t r = 0; r < c.rounds.size(); r++)
    round_yaml(traffic, timeline, c, states[r], static_cast<int>(r), asks_probe_keys(c, TreeSpec(c, states[r])));
  if (c.reload) {
    traffic << fmt::format("  - {{name: reload, director: t{}, concurrency: {}, requests: {}, think_time: 300us, "
                           "start: {}}}\n", c.nodes.size() - 1, kActors, kReloadRequests, ms(reload_at));
    for (const char *op : {"vcl.load v1", "vcl.use v1", "vcl.discard v0"})
      timeline << fmt::format("  - {{at: {}, op: \"{}\"}}\n", ms(reload_at), op);
  }
  os << "traffic:\n" << traffic.str();
  if (!timeline.str().empty()) os << "timeline:\n" << timeline.str();
  return os.str();
}

std::string run_dir_case(const DirCase &c, const ExecOptions &opts, std::uint64_t *digest) {
  vr::register_builtin_directors();
  for (const auto &n : c.nodes) traits(n.type);  // learns each type: a mutant loads its module
  std::string yaml = dir_scenario(c, opts, false);  // loaded, not read: no comments
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(yaml, "director-case.yaml");
  vr::RunRequest req = own_run(sc);
  req.request_log = true;
  vr::RunResult r = vr::run_scenario(sc, req);
  if (digest) *digest = r.report.digest;
  if (r.report.failure) return r.report.failure->summary();
  if (!r.passed()) return fmt::format("{}: {}", r.rule.value_or("EXPECT"), r.message);
  std::string why = check_dir_run(c, r.request_log);
  return why.empty() ? why : "PROPERTY (request log) " + why;
}

}  // namespace prop
