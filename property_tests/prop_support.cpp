// Budgeted RapidCheck runs and failure reports (see prop_support.hpp).
#include "property_tests/prop_support.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "property_tests/crash_note.hpp"
#include "sim/runner/isolate.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/prng.hpp"

namespace prop {

namespace rcd = rc::detail;

namespace {
std::string &simrun_program_slot() {
  static std::string path = "simrun";
  return path;
}
}  // namespace

void set_simrun_program(std::string path) { simrun_program_slot() = std::move(path); }
const std::string &simrun_program() { return simrun_program_slot(); }

std::string scratch_dir() { return ::testing::TempDir() + "vdisim-prop"; }

std::uint64_t seed_for(const std::string &id) { return vdisim::sim::fnv1a64(id); }

bool isolate_from_env() {
  const char *v = std::getenv("VDISIM_ISOLATE");
  return v && std::string(v) == "1";
}

bool rc_param_set(const std::string &key) {
  const char *env = std::getenv("RC_PARAMS");
  return env && std::string(env).find(key + "=") != std::string::npos;
}

namespace {

rcd::TestParams params_for(const std::string &id, const Budget &b) {
  rcd::TestParams params = rcd::configuration().testParams;
  if (!rc_param_set("max_success")) params.maxSuccess = b.cases;
  if (!rc_param_set("max_size")) params.maxSize = b.max_size;
  if (!rc_param_set("seed")) params.seed = b.seed ? b.seed : seed_for(id);
  params.maxDiscardRatio = 20;
  return params;
}

std::string reproduce_line(const std::string &id, const rcd::Reproduce &r) {
  rcd::Configuration cfg;
  cfg.reproduce[id] = r;
  std::string test = "<this test>";
  if (const auto *info = ::testing::UnitTest::GetInstance()->current_test_info())
    test = std::string(info->test_suite_name()) + "." + info->name();
  std::string all = rcd::configToMinimalString(cfg), only;
  std::istringstream in(all);
  for (std::string tok; in >> tok;)
    if (tok.rfind("reproduce=", 0) == 0) only = tok;
  return fmt::format("RC_PARAMS=\"{}\" {} --gtest_filter={}", only,
                     vdisim::runner::this_program("property_tests").string(), test);
}

// Our report replaces RapidCheck's own printing; RC_PARAMS reproduce still applies.
struct Quiet final : rcd::TestListener {
  void onTestCaseFinished(const rcd::CaseDescription &) override {}
  void onShrinkTried(const rcd::CaseDescription &, bool) override {}
  void onTestFinished(const rcd::TestMetadata &, const rcd::TestResult &) override {}
};

rcd::TestResult check(const std::function<void()> &property, const std::string &id, const Budget &b) {
  rcd::TestMetadata md;
  md.id = md.description = id;
  Quiet quiet;
  return rcd::checkProperty(rcd::toProperty(property), md, params_for(id, b), quiet, rcd::configuration().reproduce);
}

std::string sanitize(const std::string &s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

constexpr std::string_view kThisFile = __FILE__;  // where this file's RC_FAILs say they are

// Fills the common parts of a Found from a RapidCheck result.
void finish(Found &f, const std::string &id, const rcd::TestResult &r, double secs) {
  f.seconds = secs;
  if (r.is<rcd::SuccessResult>()) {
    f.passed = r.get<rcd::SuccessResult>().numSuccess;
    f.report = fmt::format("Property {}: {} cases passed ({} runs, {:.1f}s)", id, f.passed, f.executions, secs);
    for (const auto &[what, n] : f.seen) f.report += fmt::format("; {} reached: {}", n, what);
    return;
  }
  f.failed = true;
  std::ostringstream os;
  if (r.is<rcd::FailureResult>()) {
    const auto &fr = r.get<rcd::FailureResult>();
    f.passed = fr.numSuccess;
    f.cases_to_failure = fr.numSuccess + 1;
    f.rc_params = reproduce_line(id, fr.reproduce);
    // RapidCheck puts where RC_FAIL is and its expression (vdisim's own source, meaningless
    // to a vmod's author) before the message, up to a blank line: the message alone.
    std::string why = fr.description;
    if (std::size_t blank = why.find("\n\n"); why.rfind(kThisFile, 0) == 0 && blank != std::string::npos)
      why.erase(0, blank + 2);
    os << fmt::format("Property {} FAILED at case {} ({} runs incl. shrinking, {:.1f}s): {}\n", id,
                      f.cases_to_failure, f.executions, secs, why);
  } else {
    std::ostringstream d;
    rcd::printResultMessage(r, d);
    os << fmt::format("Property {} did not run to completion: {}\n", id, d.str());
  }
  f.report = os.str();
}

}  // namespace

Found check_lifecycle(const LifecycleProperty &p, const Budget &b) {
  Found f;
  std::optional<Case> last;
  Outcome last_outcome;
  ExecOptions exec = p.exec;
  exec.isolate = exec.isolate || isolate_from_env();
  auto property = [&] {
    auto tmpl = *gen_template(p.gen);
    const GenConfig &cfg = p.gen;
    auto cmds = *rc::state::gen::commands(Model(tmpl), [&cfg](const Model &m) { return gen_command(m, cfg); });
    auto seed = *rc::gen::resize(100, rc::gen::inRange<std::uint64_t>(0, 1u << 31));
    StrategyChoice strategy;
    strategy.depth = p.strategy >= 0 ? p.strategy : (*gen_strategy(p.max_pct_depth)).depth;
    Case c = make_case(tmpl, cmds, seed, strategy);
    if (!exec.isolate)  // else the child reports a crash
      crash_note::arm(p.id, f.executions + 1, [&c] {
        std::ostringstream os;
        show(c, os);
        return os.str();
      });
    Outcome o = run_case_isolated(c, exec);
    crash_note::disarm();
    f.executions++;
    for (const auto &s : o.seen) f.seen[s]++;
    bool pass = p.passes ? p.passes(o) : o.ok;
    if (!pass) {
      last = c;  // each accepted shrink is smaller: the last failing run is the minimal case
      last_outcome = o;
      RC_FAIL(o.summary());
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  rcd::TestResult r = check(property, p.id, b);
  finish(f, p.id, r, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (!f.failed || !last) return f;
  f.minimal = *last;
  f.outcome = last_outcome;
  std::ostringstream os;
  os << "Minimal case (" << f.minimal.ops.size() << " ops):\n  ";
  show(f.minimal, os);
  os << "Failure: " << f.outcome.summary() << "\n";
  for (const auto &line : f.outcome.trace_tail) os << "    | " << line << "\n";
  std::string name = fmt::format("{}_{:016x}", sanitize(p.id), f.outcome.digest);
  ScenarioExport s = to_scenario(f.minimal, name, p.exec, runtime_rule(f.outcome.rule) ? f.outcome.rule : "");
  f.yaml_path = write_scenario(s, scratch_dir(), name);
  os << fmt::format("Reproduce: {}\n  (sim seed {}, strategy {}; the case replays deterministically)\n", f.rc_params,
                    f.minimal.seed, f.minimal.strategy.text());
  os << fmt::format("Scenario: {}{}\n", f.yaml_path,
                    s.dropped.empty() ? "" : fmt::format(" ({} ops not expressible, listed in it)", s.dropped.size()));
  os << fmt::format("Rerun it: {} {}\n  (the case's own run: same engine, seed and schedule, same digest{})\n",
                    simrun_program(), f.yaml_path,
                    !runtime_rule(f.outcome.rule)
                        ? "; simrun has no reference model, so what the model saw shows there as what it leaves "
                          "behind, a C5 or C6 leak at the teardown, if anything"
                        : "");
  f.report += os.str();
  return f;
}

Found check_generic(const std::string &id, const Budget &b, const std::function<std::string(std::string *)> &body) {
  Found f;
  std::string last_shown, last_why;
  auto property = [&] {
    std::string shown;
    crash_note::arm(id, f.executions + 1, [&shown] { return shown; });  // body fills it before running
    std::string why = body(&shown);
    crash_note::disarm();
    f.executions++;
    if (!why.empty()) {
      last_shown = shown;
      last_why = why;
      RC_FAIL(why);
    }
  };
  auto t0 = std::chrono::steady_clock::now();
  rcd::TestResult r = check(property, id, b);
  finish(f, id, r, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  if (f.failed) {
    f.outcome.ok = false;
    f.outcome.message = last_why;
    f.outcome.rule = last_why.substr(0, last_why.find(' '));  // "RULE at t=..." or "PROPERTY ..."
    f.report += "Minimal case:\n" + last_shown + "\nFailure: " + last_why + "\nReproduce: " + f.rc_params + "\n";
  }
  return f;
}

}  // namespace prop
