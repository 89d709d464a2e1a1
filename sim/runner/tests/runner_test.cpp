// The scenario runner's own verdicts on a run, with vmods registered here in the test.
#include <gtest/gtest.h>

#include "sim/runner/runner.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/sync.hpp"

namespace vr = vdisim::runner;

namespace {

// hang.now(): waits for a condition nobody signals.
void register_hang() {
  if (vr::vmod::find_module("hang")) return;
  vr::vmod::Module m;
  m.name = "hang";
  m.functions.push_back({"now", "VOID", {}, [](VRT_CTX, vr::vmod::Args &, vr::vmod::Value &) {
                           (void)ctx;
                           vdisim::sim::Mutex mtx("hang");
                           vdisim::sim::CondVar never("never");
                           mtx.lock();
                           never.wait(mtx);
                         }});
  vr::vmod::register_module(std::move(m));
}

// A run of a probed backend and these timeline entries (with run's extra keys).
vr::RunResult run(const std::string &timeline, const std::string &run_keys = "") {
  register_hang();
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(
      "version: 1\nrun: {duration: 2s" + run_keys + "}\n"
      "vcls: [{name: boot, backends: [{name: web1, host: \"10.0.0.1:80\", probe: {interval: 100ms}}]}]\n"
      "timeline:\n" + timeline,
      "runner_test.yaml");
  return vr::run_scenario(sc, vr::RunRequest{});
}

// "" when r failed with STUCK naming every one of `names`.
std::string stuck_naming(const vr::RunResult &r, const std::vector<std::string> &names) {
  if (!r.report.failure) return "the run passed";
  if (r.report.failure->rule != "STUCK") return "failed with " + r.report.failure->summary();
  for (const auto &n : names)
    if (r.report.failure->message.find(n) == std::string::npos) return "'" + n + "' not in: " + r.report.failure->message;
  return "";
}

}  // namespace

// A timeline entry that never finishes while a probe keeps virtual time going is no
// DEADLOCK (timers are pending), and used to end the run as a pass: it is STUCK, naming it.
TEST(Runner, a_timeline_entry_that_never_finishes_is_STUCK) {
  EXPECT_EQ(stuck_naming(run("  - {at: 1s, actor: a0, call: \"hang.now()\"}\n"), {"'a0: ", "hang.now()"}), "");
}

// Without `actor:` a call runs on an actor of its own too: the same verdict.
TEST(Runner, a_timeline_call_that_never_finishes_is_STUCK) {
  EXPECT_EQ(stuck_naming(run("  - {at: 500ms, call: \"hang.now()\"}\n"), {"hang.now()"}), "");
}

// Without a teardown the run ends at its duration, wherever the timeline is: no verdict on it.
TEST(Runner, without_a_teardown_an_unfinished_entry_is_no_failure) {
  vr::RunResult r = run("  - {at: 1s, actor: a0, call: \"hang.now()\"}\n", ", teardown: false");
  EXPECT_FALSE(r.report.failure) << r.report.failure->summary();
}
