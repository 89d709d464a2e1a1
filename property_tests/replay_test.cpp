// Shrunk failures become regression scenarios: the YAML a failing property writes loads
// with the scenario loader and, run by the scenario runner (what simrun does), fails with
// the same rule; every exported case loads. Also: shrinking reaches small cases.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/runner/runner.hpp"
#include "sim/scenario/loader.hpp"

using namespace prop;

namespace {

std::string slurp(const std::string &path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The exported scenario's own run as simrun runs it: its first seed and its strategy
// (run: pct_steps and quiescent times included).
vdisim::runner::RunResult replay(const vdisim::scenario::Scenario &sc, bool request_log = false) {
  vdisim::runner::RunRequest req = own_run(sc);
  req.request_log = request_log;
  return vdisim::runner::run_scenario(sc, req);
}

vdisim::runner::RunResult run_yaml(const std::string &yaml, const std::string &file) {
  return replay(vdisim::scenario::load_string(yaml, file), true);
}

// "" when simrun's run of the case's export has the property run's verdict and digest.
std::string replays_the_same(const Outcome &o, const vdisim::runner::RunResult &r) {
  std::string rule = r.report.failure ? r.report.failure->rule : "", want = o.ok ? "" : o.rule;
  // The property run's own checks (the model, C3, P-VCL) are not simrun's: it runs on.
  bool own = !want.empty() && !runtime_rule(want);
  if (!own && rule != want) return fmt::format("simrun says '{}', the property run '{}'", rule, want);
  if (!own && r.report.digest != o.digest)
    return fmt::format("simrun's digest {:016x}, the property run's {:016x}", r.report.digest, o.digest);
  return "";
}

}  // namespace

// A mutant that breaks every discard: the shrunk case is a template and the teardown,
// both expressible, so the exported scenario fails the same way under simrun.
TEST(Replay, shrunk_mutant_case_exports_a_scenario_that_fails_the_same_way) {
  mutant_types();  // registers them
  ASSERT_TRUE(known_type("mutant:rr_release_frees")) << "mutant:rr_release_frees is not registered";
  LifecycleProperty p = lifecycle("replay-rr_release_frees", {"mutant:rr_release_frees"});
  Found f = check_lifecycle(p, budget(500));
  std::cout << f.report << std::endl;
  ASSERT_TRUE(f.failed) << "the mutant must be found";
  EXPECT_LE(f.minimal.ops.size(), 2u) << "shrinking should leave (almost) no operations";
  ASSERT_FALSE(f.yaml_path.empty());
  std::string yaml = slurp(f.yaml_path);
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(yaml, f.yaml_path);
  ASSERT_TRUE(sc.expect.failure.has_value()) << yaml;
  EXPECT_EQ(*sc.expect.failure, f.outcome.rule);
  vdisim::runner::RunResult r = replay(sc);
  EXPECT_EQ(replays_the_same(f.outcome, r), "") << yaml;
  EXPECT_TRUE(r.passed()) << "simrun's verdict on the scenario (expect: failure " << f.outcome.rule << ")";
}

// A leak found through requests: the requests become timeline requests in the scenario.
TEST(Replay, shrunk_leak_through_requests_replays_as_requests) {
  mutant_types();  // registers them
  ASSERT_TRUE(known_type("mutant:dyn_task_ref_leak")) << "mutant:dyn_task_ref_leak is not registered";
  LifecycleProperty p = dynamic_profile("replay-dyn_task_ref_leak", "mutant:dyn_task_ref_leak");
  p.gen.vcl_ops = false;  // keep the shrunk case to requests and answers
  Found f = check_lifecycle(p, budget(2000));
  std::cout << f.report << std::endl;
  ASSERT_TRUE(f.failed);
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(slurp(f.yaml_path), f.yaml_path);
  ASSERT_EQ(f.outcome.rule, "C5");
  vdisim::runner::RunResult one = replay(sc);
  std::uint64_t declared = 0;  // the VCLs' own backends and directors
  for (const auto &v : sc.vcls) declared += v.backends.size() + v.directors.size();
  EXPECT_GT(one.directors_added, declared) << "the scenario's resolver never gave the mutant a backend:\n"
                                           << slurp(f.yaml_path);
  EXPECT_EQ(replays_the_same(f.outcome, one), "") << slurp(f.yaml_path);
}

// Whatever the generator makes (real directors), its scenario form leaves nothing out,
// loads, and simrun's run of it is the property run: the same verdict and digest (issue
// 18: one engine; the model's checks at the quiescent points leave no trace in the run).
TEST(Replay, every_exported_case_is_whole_loads_and_runs_clean) {
  GenConfig cfg;
  cfg.types = real_types();
  Found f = check_generic("replay-whole", budget(300, 40), [&](std::string *shown) -> std::string {
    auto tmpl = *gen_template(cfg);
    auto cmds = *rc::state::gen::commands(Model(tmpl), [&cfg](const Model &m) { return gen_command(m, cfg); });
    const int depth = *rc::gen::element(0, 0, 3, -1);  // random (twice as often), pct:3, pos
    Case c = make_case(tmpl, cmds, *rc::gen::inRange<std::uint64_t>(0, 1u << 30), StrategyChoice{depth});
    std::ostringstream os;
    show(c, os);
    *shown = os.str();
    ScenarioExport s = to_scenario(c, "whole", ExecOptions{}, "");
    if (!s.dropped.empty()) return "exported scenario leaves out: " + s.dropped.front() + "\n" + s.yaml;
    try {
      vdisim::runner::RunResult r = run_yaml(s.yaml, "whole.yaml");
      Outcome o = run_case(c);
      if (!o.ok) return "the property run fails: " + o.summary() + "\n" + s.yaml;
      if (std::string why = replays_the_same(o, r); !why.empty()) return why + "\n" + s.yaml;
    } catch (const std::exception &e) {
      return std::string("exported scenario does not load: ") + e.what() + "\n" + s.yaml;
    }
    return "";
  });
  EXPECT_FALSE(f.failed) << f.report;
}

// add_backend / remove_backend between template objects are VCL's own calls: they export
// as timeline `call:`s at their phase (the weight by position or by name, as the .vcc
// has it), load, and run in the scenario (none skipped); no op is left out.
TEST(Replay, member_changes_export_as_timeline_calls) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0}, {1}, false, 0});  // t0 = #3
  tmpl->dirs.push_back({"random", {0}, {1}, false, 0});       // t1 = #4: add_backend(BACKEND, REAL)
  tmpl->dirs.push_back({"shard", {0}, {1}, false, 0});        // t2 = #5: add_backend(backend, [ident], [weight])
  auto op = [](OpKind k, int actor, int id, int id2, int arg) {
    return Op{.kind = k, .actor = actor, .id = id, .id2 = id2, .arg = arg};
  };
  Case c;
  c.tmpl = tmpl;
  c.ops = {op(OpKind::AddBackend, 0, 3, 1, 1), op(OpKind::AddBackend, 1, 4, 2, 2), op(OpKind::AddBackend, 2, 5, 2, 3),
           op(OpKind::Barrier, 0, -1, -1, 0), op(OpKind::RemoveBackend, 0, 3, 0, 0), op(OpKind::Barrier, 0, -1, -1, 0)};
  ScenarioExport s = to_scenario(c, "member-calls", ExecOptions{}, "");
  EXPECT_TRUE(s.dropped.empty()) << s.yaml;
  for (const char *call : {"{at: 0s, actor: a0, vcl: v0, call: \"t0.add_backend(s1)\"}", "call: \"t1.add_backend(s2, 2.0)\"",
                           "call: \"t2.add_backend(s2, weight = 3.0)\"", "{at: 1s, actor: a0, vcl: v0, call: \"t0.remove_backend(s0)\"}"})
    EXPECT_NE(s.yaml.find(call), std::string::npos) << call << " missing in:\n" << s.yaml;
  vdisim::runner::RunResult r = run_yaml(s.yaml, "member-calls.yaml");
  EXPECT_FALSE(r.report.failure) << r.report.failure->message << "\n" << s.yaml;
  EXPECT_EQ(r.requests.count("call_skipped"), 0u) << s.yaml;
  EXPECT_EQ(r.requests.count("call_vcl_not_warm"), 0u) << s.yaml;
}

// A director case is a scenario: simrun, given the file the property writes, runs the same
// run (same digest) and ends it the same way, for generated cases of every real type, flat
// and nested, and a mutant whose runs fail (the properties themselves are checked on the
// request log, which simrun's --request-log prints).
TEST(Replay, director_cases_run_in_simrun_with_the_same_digest) {
  set_simrun_program(VDISIM_SIMRUN);
  std::vector<std::string> types = real_types();
  types.push_back("mutant:rr_release_frees");
  int n = 0, failed = 0;
  for (const auto &type : types) {
    if (type.rfind("mutant:", 0) == 0) mutant_types();  // registers them
    for (int depth = 0; depth <= 1; depth++) {
      DirCase c = gen_dir_case(director_config(type, depth))(rc::Random(static_cast<std::uint64_t>(1000 + n)), 60).value();
      std::uint64_t digest = 0;
      std::string why = run_dir_case(c, {}, &digest);
      std::string name = fmt::format("dircase-{}", n++);
      std::string path = write_scenario({dir_scenario(c), {}}, scratch_dir(), name);
      std::string out = path + ".json";
      std::string cmd = fmt::format("{} {} -q --json {} > /dev/null 2>&1", simrun_program(), path, out);
      int rc = std::system(cmd.c_str());
      nlohmann::json j = nlohmann::json::parse(slurp(out));
      const auto &run = j.at("runs").at(0);
      EXPECT_EQ(run.at("digest").get<std::string>(), fmt::format("{:016x}", digest)) << type << " " << path;
      EXPECT_EQ(run.at("seed").get<std::uint64_t>(), c.seed) << path;
      bool runtime_failure = !why.empty() && why.rfind("PROPERTY (request log)", 0) != 0;
      EXPECT_EQ(run.at("outcome").get<std::string>(), runtime_failure ? "fail" : "pass") << why << "\n" << path;
      EXPECT_EQ(rc != 0, runtime_failure) << cmd;
      failed += runtime_failure;
    }
  }
  EXPECT_GT(failed, 0) << "no case ended in a runtime failure: the failing path was not compared";
}

// A request op is a timeline request: on its actor, exactly its requests in a row for its
// key (one that re-assigns the director it holds: hint_again), and backend.set_health of a
// template director is the CLI command on it: they export, load and run as run_case
// runs them (the request log has the three requests, sent by a0).
TEST(Replay, requests_and_director_health_export_as_they_run) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0, 1}, {1, 1}, false, 0});  // t0 = #3
  Case c;
  c.tmpl = tmpl;
  c.ops = {Op{.kind = OpKind::Request, .actor = 0, .id = 3, .id2 = 3, .arg = 5},
           Op{.kind = OpKind::Request, .actor = 2, .id = 3, .id2 = 1, .arg = 6, .flag = true},
           Op{.kind = OpKind::SetHealth, .actor = 1, .id = 3, .arg = 0}, Op{.kind = OpKind::Barrier}};
  ScenarioExport s = to_scenario(c, "requests-health", ExecOptions{}, "");
  EXPECT_TRUE(s.dropped.empty()) << s.yaml;
  for (const char *part : {"{at: 0s, actor: a0, vcl: v0, request: {director: t0, key: 5, count: 3}}",
                           "{at: 0s, actor: a2, vcl: v0, request: {director: t0, key: 6, count: 1, hint_again: 200us}}",
                           "{at: 0s, actor: a1, op: \"backend.set_health v0.t0 sick\"}"})
    EXPECT_NE(s.yaml.find(part), std::string::npos) << part << " missing in:\n" << s.yaml;
  vdisim::runner::RunResult r = run_yaml(s.yaml, "requests-health.yaml");
  EXPECT_FALSE(r.report.failure) << r.report.failure->message << "\n" << s.yaml;
  int sent = 0;
  for (const auto &q : r.request_log) sent += q.traffic == "a0" && q.url == "/obj/5";
  EXPECT_EQ(sent, 3) << s.yaml;
  EXPECT_TRUE(r.cli_errors.empty()) << r.cli_errors.front().line();
}

// Objects a case makes at run time (director.new, VRT_new_backend) are timeline new: and
// backend_new: entries, their __fini and VRT_delete_backend fini: and backend_delete:, and
// the ops naming them (members, requests) name them too: nothing is left out, the file
// loads and runs, and its requests are served by the backend made at run time.
TEST(Replay, objects_made_at_run_time_export_as_they_run) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0}, {1}, false, 0});  // t0 = #3
  auto op = [](OpKind k, int actor, int id, int id2, int arg) {
    return Op{.kind = k, .actor = actor, .id = id, .id2 = id2, .arg = arg, .type = k == OpKind::DirNew ? "round_robin" : ""};
  };
  Case c;
  c.tmpl = tmpl;
  c.ops = {op(OpKind::DirNew, 0, 4, -1, 0), op(OpKind::BeNew, 1, 5, -1, 1), op(OpKind::Barrier, 0, -1, -1, 0),
           op(OpKind::AddBackend, 0, 4, 5, 1), op(OpKind::Barrier, 0, -1, -1, 0),
           op(OpKind::Request, 0, 4, 2, 0), op(OpKind::Barrier, 0, -1, -1, 0),
           op(OpKind::RemoveBackend, 0, 4, 5, 0), op(OpKind::Barrier, 0, -1, -1, 0),
           op(OpKind::BeDelete, 0, 5, -1, 0), op(OpKind::DirFini, 1, 4, -1, 0), op(OpKind::Barrier, 0, -1, -1, 0)};
  EXPECT_TRUE(run_case(c).ok) << "the property run fails the case";
  ScenarioExport s = to_scenario(c, "made-at-run-time", ExecOptions{}, "");
  EXPECT_TRUE(s.dropped.empty()) << s.yaml;
  for (const char *part : {"{at: 0s, actor: a0, vcl: v0, new: {name: o4, type: \"round_robin\"}}",
                           "{at: 0s, actor: a1, vcl: v0, backend_new: {name: n5, host: \"h1:80\"}}",
                           "call: \"o4.add_backend(n5)\"", "director: o4", "{at: 4s, actor: a0, vcl: v0, backend_delete: n5}",
                           "{at: 4s, actor: a1, vcl: v0, fini: o4}"})
    EXPECT_NE(s.yaml.find(part), std::string::npos) << part << " missing in:\n" << s.yaml;
  vdisim::runner::RunResult r = run_yaml(s.yaml, "made-at-run-time.yaml");
  EXPECT_FALSE(r.report.failure) << r.report.failure->message << "\n" << s.yaml;
  std::vector<std::string> served;
  for (const auto &q : r.request_log) served.push_back(q.backend);
  EXPECT_EQ(served, (std::vector<std::string>{"v0.n5", "v0.n5"})) << s.yaml;
}
