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

vr::RunResult run(const std::string &yaml) {
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(yaml, "runner_test.yaml");
  return vr::run_scenario(sc, vr::RunRequest{});
}

}  // namespace

// A timeline entry that never finishes while a probe keeps virtual time going is no
// DEADLOCK (timers are pending), and used to end the run as a pass: it is STUCK, naming it.
TEST(Runner, a_timeline_entry_that_never_finishes_is_STUCK) {
  register_hang();
  vr::RunResult r = run(R"Y(version: 1
run: {duration: 2s}
vcls: [{name: boot, backends: [{name: web1, host: "10.0.0.1:80", probe: {interval: 100ms}}]}]
timeline:
  - {at: 1s, actor: a0, call: "hang.now()"}
)Y");
  ASSERT_TRUE(r.report.failure);
  EXPECT_EQ(r.report.failure->rule, "STUCK");
  EXPECT_NE(r.report.failure->message.find("'a0: "), std::string::npos) << r.report.failure->message;
  EXPECT_NE(r.report.failure->message.find("hang.now()"), std::string::npos) << r.report.failure->message;
}

// Without `actor:` a call runs on an actor of its own too: the same verdict.
TEST(Runner, a_timeline_call_that_never_finishes_is_STUCK) {
  register_hang();
  vr::RunResult r = run(R"Y(version: 1
run: {duration: 2s}
vcls: [{name: boot, backends: [{name: web1, host: "10.0.0.1:80", probe: {interval: 100ms}}]}]
timeline:
  - {at: 500ms, call: "hang.now()"}
)Y");
  ASSERT_TRUE(r.report.failure);
  EXPECT_EQ(r.report.failure->rule, "STUCK");
  EXPECT_NE(r.report.failure->message.find("hang.now()"), std::string::npos) << r.report.failure->message;
}

// Without a teardown the run ends at its duration, wherever the timeline is: no verdict on it.
TEST(Runner, without_a_teardown_an_unfinished_entry_is_no_failure) {
  register_hang();
  vr::RunResult r = run(R"Y(version: 1
run: {duration: 2s, teardown: false}
vcls: [{name: boot, backends: [{name: web1, host: "10.0.0.1:80", probe: {interval: 100ms}}]}]
timeline:
  - {at: 1s, actor: a0, call: "hang.now()"}
)Y");
  EXPECT_FALSE(r.report.failure) << r.report.failure->summary();
}
