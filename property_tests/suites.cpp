// Property suites, budgets and tables (see suites.hpp).
#include "property_tests/suites.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "property_tests/child_cases.hpp"
#include "property_tests/types.hpp"
#include "property_tests/yaml_export.hpp"

namespace prop {

LifecycleProperty lifecycle(const std::string &id, std::vector<std::string> types) {
  LifecycleProperty p;
  p.id = id;
  p.gen.types = std::move(types);
  return p;
}

LifecycleProperty dynamic_profile(const std::string &id, const std::string &type) {
  LifecycleProperty p = lifecycle(id, {type});
  p.gen.weights = {{OpKind::Request, 8}, {OpKind::Resolver, 8}, {OpKind::VclCold, 3}, {OpKind::VclWarm, 2},
                   {OpKind::AddBackend, 0}, {OpKind::RemoveBackend, 0}, {OpKind::BeNew, 0}, {OpKind::BeDelete, 0}};
  p.gen.max_phase_ops = 8;
  return p;
}

DirGenConfig director_config(const std::string &root, int depth, int strategy) {
  DirGenConfig c;
  c.root_types = {root};
  c.inner_types = {"round_robin", "fallback", "random", "dynamic"};
  c.max_depth = depth;
  c.strategy = strategy;
  return c;
}

namespace {

// A director case and its options as JSON, for the worker child (child_cases.hpp).
nlohmann::json dir_case_json(const DirCase &c, const ExecOptions &opts) {
  nlohmann::json nodes = nlohmann::json::array(), rounds = nlohmann::json::array();
  for (const TreeNode &n : c.nodes)
    nodes.push_back({{"type", n.type}, {"kids", n.kids}, {"weights", n.weights}, {"sticky", n.sticky},
                     {"answer", n.answer}});
  for (const Round &r : c.rounds)
    rounds.push_back({{"sick", r.sick}, {"change", r.change}, {"flip", r.flip}, {"keys", r.keys},
                      {"concurrent", r.concurrent}});
  return {{"backends", c.backends}, {"nodes", nodes}, {"rounds", rounds}, {"seed", c.seed},
          {"depth", c.strategy.depth}, {"reload", c.reload}, {"options", options_json(opts)}};
}

nlohmann::json run_dir_case_json(const nlohmann::json &in) {
  DirCase c;
  c.backends = in.at("backends");
  for (const auto &n : in.at("nodes"))
    c.nodes.push_back({n.at("type"), n.at("kids"), n.at("weights"), n.at("sticky"), n.at("answer")});
  for (const auto &r : in.at("rounds"))
    c.rounds.push_back({r.at("sick"), r.at("change"), r.at("flip"), r.at("keys"), r.at("concurrent")});
  c.seed = in.at("seed");
  c.strategy.depth = in.at("depth");
  c.reload = in.at("reload");
  std::string why = run_dir_case(c, options_from(in.at("options")));
  return {{"clean", why.empty()}, {"why", why}};
}

const bool director_kind = child::add_kind("director", run_dir_case_json);

}  // namespace

Found check_director(const std::string &id, const DirGenConfig &cfg, const Budget &b, const ExecOptions &o) {
  ExecOptions opts = o;
  if (!std::getenv("VDISIM_PCT_STEPS")) opts.pct_steps = 1500;  // probes poll all along: longer runs
  opts.isolate = opts.isolate || isolate_from_env();
  std::optional<DirCase> failed;  // the last failing case: the minimal one once shrinking ends
  Found f = check_generic(id, b, [&](std::string *shown) {
    DirCase c = *gen_dir_case(cfg);
    std::ostringstream os;
    show(c, os);
    *shown = os.str();
    std::string why;
    if (opts.isolate) {
      nlohmann::json j = child::run("director", dir_case_json(c, opts));
      why = j.contains("crash") ? "CRASH " + j["crash"].get<std::string>() : j["why"].get<std::string>();
    } else {
      why = run_dir_case(c, opts);
    }
    if (!why.empty()) failed = c;
    return why;
  });
  if (f.failed && failed) {  // the scenario the case is, for simrun (its request log shows the picks)
    f.yaml_path = write_scenario({dir_scenario(*failed, opts), {}}, scratch_dir(), id);
    f.report += fmt::format("Scenario: {}\nRerun it: {} {} --request-log --json {}.json\n", f.yaml_path,
                            simrun_program(), f.yaml_path, f.yaml_path);
  }
  return f;
}

Budget budget(int ci_cases, int max_size) {
  Budget b;
  b.cases = ci_cases;
  b.max_size = max_size;
  if (const char *soak = std::getenv("VDISIM_SOAK_CASES")) b.cases = std::atoi(soak);
  return b;
}

std::string print_table(const std::string &title, const std::vector<KillRow> &rows, int budget, const std::string &file) {
  std::ostringstream os;
  os << "### " << title << " (budget " << budget << " cases per strategy)\n\n";
  os << "| name | property | cases to first failure (random) | (pct:3) | rule | note |\n|---|---|---|---|---|---|\n";
  auto cell = [&](int n) { return n > 0 ? std::to_string(n) : std::string("not found"); };
  for (const auto &r : rows)
    os << fmt::format("| {} | {} | {} | {} | {} | {} |\n", r.name, r.property, cell(r.random_cases), cell(r.pct_cases),
                      r.rule.empty() ? "-" : r.rule, r.note);
  std::cout << "\n" << os.str() << std::endl;
  std::filesystem::create_directories(scratch_dir());
  std::ofstream(scratch_dir() + "/" + file) << os.str();
  return os.str();
}

}  // namespace prop
