// Scenario loader tests, good inputs: documented defaults, nesting, both timeline forms,
// the CLI and VCL forms. Durations, vmod paths, the shipped scenarios and the JSON Schema
// are in loader_files_test.cpp; bad inputs in loader_bad_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/scenario/tests/loader_test_util.hpp"

namespace vs = vdisim::scenario;
namespace fs = std::filesystem;
using vs::testing::error_of;
using vs::testing::kRun;
using vs::testing::kVcl;
using vs::testing::load;
using vs::testing::kMs;
using vs::testing::kS;
using vs::testing::kMin;

// ------------------------------------------------------------------ good files
TEST(LoadGood, minimal_scenario_gets_documented_defaults) {
  vs::Scenario s = load(kRun + kVcl);
  EXPECT_EQ(s.name, "test");  // the file stem
  EXPECT_EQ(s.file, "dir/test.yaml");
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.run.duration_ns, 60 * kS);
  EXPECT_EQ(s.run.seed_first, 1u);
  EXPECT_EQ(s.run.seed_last, 1u);
  EXPECT_EQ(s.run.strategy, vs::RunSpec::Strategy::random);
  EXPECT_EQ(s.run.strategy_text, "random");
  EXPECT_EQ(s.run.step_budget, 50'000'000u);
  EXPECT_EQ(s.run.max_trace_events, 1'000'000u);
  ASSERT_EQ(s.vcls.size(), 1u);
  const vs::Vcl& v = s.vcls[0];
  EXPECT_FALSE(v.backends[0].probe.has_value());
  EXPECT_EQ(v.default_target.name, "web1");  // no director: the first backend
  EXPECT_EQ(v.default_target.kind, vs::TargetKind::backend);
  EXPECT_EQ(v.default_target.mark.line, 0);  // filled in, not from the file
  EXPECT_TRUE(s.expect.invariants);
  EXPECT_TRUE(s.expect.no_deadlock);
  EXPECT_FALSE(s.expect.all_directors_destroyed);
  EXPECT_FALSE(s.expect.failure.has_value());
  EXPECT_FALSE(s.expect.max_sick_requests.has_value());
  EXPECT_TRUE(s.behaviors.empty() && s.traffic.empty() && s.timeline.empty());
  EXPECT_TRUE(s.runtime.regressions.empty());
  EXPECT_EQ(v.mark.line, 3);
  EXPECT_EQ(v.mark.col, 5);
  EXPECT_EQ(v.backends[1].mark.line, 6);
}

TEST(LoadGood, default_scenario_answers_the_readme_question) {
  vs::Scenario s = vs::load_file(std::string(VDISIM_SCENARIOS_DIR) + "/default.yaml");
  EXPECT_EQ(s.name, "default");
  EXPECT_EQ(s.run.duration_ns, 60 * kS);
  EXPECT_EQ(s.run.seed_first, 1u);
  EXPECT_EQ(s.run.seed_last, 10u);
  ASSERT_EQ(s.vcls.size(), 2u);
  const vs::Vcl& boot = s.vcls[0];
  EXPECT_EQ(boot.name, "boot");
  ASSERT_EQ(boot.backends.size(), 3u);
  for (const auto& b : boot.backends) {
    ASSERT_TRUE(b.probe.has_value()) << b.name;
    EXPECT_EQ(b.probe->interval_ns, 1 * kS);
    EXPECT_EQ(b.probe->timeout_ns, 500 * kMs);
    EXPECT_EQ(b.probe->window, 8);
    EXPECT_EQ(b.probe->threshold, 3);
    EXPECT_EQ(b.probe->initial, 2);  // threshold - 1 (E1)
    EXPECT_EQ(b.probe->url, "/health");
    EXPECT_EQ(b.probe->expected_status, 200);
  }
  ASSERT_EQ(boot.directors.size(), 2u);
  const vs::Director& pool = boot.directors[0];
  const vs::Director& main = boot.directors[1];
  EXPECT_EQ(pool.type, vs::DirectorType::round_robin);
  EXPECT_EQ(main.type, vs::DirectorType::fallback);
  EXPECT_FALSE(main.options.sticky);
  ASSERT_EQ(main.members.size(), 2u);
  EXPECT_EQ(main.members[0].name, "pool");
  EXPECT_EQ(main.members[0].kind, vs::TargetKind::director);
  EXPECT_EQ(main.members[0].index, 0u);
  EXPECT_EQ(main.members[1].kind, vs::TargetKind::backend);
  EXPECT_EQ(main.members[1].index, 2u);
  EXPECT_EQ(main.members[1].weight, 1.0);
  EXPECT_EQ(boot.default_target.name, "main");
  EXPECT_EQ(boot.default_target.index, 1u);
  EXPECT_EQ(s.vcls[1].backends.size(), 3u);  // the YAML alias
  ASSERT_EQ(s.behaviors.size(), 1u);
  const vs::Behavior& web2 = s.behaviors[0];
  EXPECT_EQ(web2.host, "10.0.0.2:80");
  EXPECT_EQ(web2.mode, vs::BehaviorMode::flap);
  EXPECT_EQ(web2.period_ns, 20 * kS);
  EXPECT_EQ(web2.duty, 0.5);
  EXPECT_EQ(web2.down_as, vs::ServerState::down);
  EXPECT_EQ(web2.latency.kind, vs::Distribution::Kind::uniform);
  EXPECT_EQ(web2.latency.min_ns, 2 * kMs);
  EXPECT_EQ(web2.latency.max_ns, 20 * kMs);
  ASSERT_EQ(s.traffic.size(), 1u);
  EXPECT_EQ(s.traffic[0].rate, 200.0);
  EXPECT_EQ(s.traffic[0].duration_ns, 60 * kS);
  EXPECT_EQ(s.traffic[0].keys.dist, vs::KeySpec::Dist::zipf);
  EXPECT_EQ(s.traffic[0].keys.count, 10000);
  EXPECT_EQ(s.traffic[0].keys.s, 1.1);
  std::vector<std::string> ops;
  for (const auto& op : s.timeline) ops.push_back(vs::format_duration(op.at_ns) + " " + op.text);
  EXPECT_EQ(ops, (std::vector<std::string>{"30s vcl.load v2", "30s vcl.use v2",
                                           "31s vcl.state boot cold", "32s vcl.discard boot"}));
  ASSERT_EQ(s.expect.discarded_by.size(), 1u);
  EXPECT_EQ(s.expect.discarded_by[0].vcl, "boot");
  EXPECT_EQ(s.expect.discarded_by[0].by_ns, 45 * kS);
  EXPECT_EQ(s.expect.max_sick_requests, 20);
  ASSERT_EQ(s.expect.share.size(), 2u);
  EXPECT_EQ(s.expect.share[1].host, "10.0.0.3:80");
  EXPECT_EQ(s.expect.share[1].max, 0.01);
}

TEST(LoadGood, probe_defaults_follow_varnish_E1) {
  auto probe = [](const std::string& spec) {
    vs::Scenario s = load(kRun + "vcls:\n  - name: boot\n    backends:\n"
                                 "      - {name: web1, host: 10.0.0.1:80, probe: " + spec + "}\n");
    return *s.vcls[0].backends[0].probe;
  };
  vs::ProbeSpec d = probe("{}");
  EXPECT_EQ(d.url, "/");
  EXPECT_EQ(d.interval_ns, 5 * kS);
  EXPECT_EQ(d.timeout_ns, 2 * kS);
  EXPECT_EQ(d.window, 8);
  EXPECT_EQ(d.threshold, 3);
  EXPECT_EQ(d.initial, 2);
  vs::ProbeSpec t = probe("{threshold: 5}");  // window = threshold + 1 when unset
  EXPECT_EQ(t.window, 6);
  EXPECT_EQ(t.initial, 4);
  vs::ProbeSpec c = probe("{window: 10, threshold: 3, initial: 9}");  // clamped to threshold
  EXPECT_EQ(c.initial, 3);
  EXPECT_EQ(probe("{threshold: 64}").window, 64);
  EXPECT_EQ(probe("{expected_status: 204}").expected_status, 204);
}

TEST(LoadGood, nested_directors_and_weights_resolve_to_indices) {
  vs::Scenario s = load(kRun + kVcl + R"(    directors:
      - name: rnd
        type: random
        members: [{name: web1, weight: 3}, {name: web2, weight: 0.5}]
      - {name: rr, type: round_robin, members: [web2, rnd]}
      - {name: top, type: fallback, options: {sticky: true}, members: [rr, web1]}
      - {name: hsh, type: hash, options: {key: client_identity}, members: [top]}
      - name: sh
        type: shard
        options: {replicas: 10, by: url, warmup: 0, rampup: 0s}
        members: [{name: web1, weight: 2}]
      - {name: bad, type: "mutant:rr_stale_cursor", options: {sticky: true}, members: [web1]}
    default: top
)");
  const vs::Vcl& v = s.vcls[0];
  ASSERT_EQ(v.directors.size(), 6u);
  EXPECT_EQ(v.directors[0].members[0].weight, 3.0);
  EXPECT_EQ(v.directors[0].members[1].weight, 0.5);
  EXPECT_EQ(v.directors[1].members[1].kind, vs::TargetKind::director);
  EXPECT_EQ(v.directors[1].members[1].index, 0u);
  EXPECT_TRUE(v.directors[2].options.sticky);
  EXPECT_EQ(v.directors[2].options.given.count("sticky"), 1u);
  EXPECT_EQ(v.directors[3].options.hash_key, "client_identity");
  EXPECT_EQ(v.directors[3].members[0].index, 2u);
  const vs::DirectorOptions& sh = v.directors[4].options;
  EXPECT_EQ(sh.replicas, 10);
  EXPECT_EQ(sh.shard_by, "url");
  EXPECT_EQ(sh.warmup, 0.0);
  EXPECT_EQ(sh.rampup_ns, 0);
  EXPECT_EQ(v.directors[5].type, vs::DirectorType::mutant);
  EXPECT_EQ(v.directors[5].mutant_name, "rr_stale_cursor");
  EXPECT_EQ(v.directors[5].type_text, "mutant:rr_stale_cursor");
  EXPECT_EQ(v.default_target.index, 2u);
  EXPECT_EQ(v.default_target.mark.line, 19);
}

TEST(LoadGood, dynamic_directors_resolvers_and_host_keys) {
  vs::Scenario s = load(kRun + R"(resolvers:
  dns1:
    - {at: 0s, answer: [10.0.1.1:80, 10.0.1.2:80]}
    - {at: 20s, answer: []}
vcls:
  - name: boot
    directors:
      - name: dyn
        type: dynamic
        options: {resolver: dns1, ttl: 2s, probe: {interval: 1s}}
timeline:
  - {at: 5s, op: "resolver.answer dns1 [10.0.1.3:80, 10.0.1.4:80]"}
  - {at: 6s, op: resolver.answer, resolver: dns1, answer: [10.0.1.5:80]}
  - {at: 7s, op: "resolver.answer dns1 []"}
  - {at: 8s, op: backend.add boot.dyn 10.0.1.9:80}
  - {at: 9s, op: backend.remove, director: dyn, backend: "10.0.1.9:80"}
  - {at: 10s, op: backend.set_health dyn-* sick}
  - {at: 11s, op: "backend.set_health boot.dyn(10.0.1.1:80) healthy"}
backends:
  10.0.1.2:80: refuse
  10.0.1.9:80: {mode: errors, rate: 0.25}
)");
  const vs::Director& dyn = s.vcls[0].directors[0];
  EXPECT_EQ(dyn.options.resolver, "dns1");
  EXPECT_EQ(dyn.options.ttl_ns, 2 * kS);
  ASSERT_TRUE(dyn.options.probe.has_value());
  EXPECT_EQ(dyn.options.probe->interval_ns, 1 * kS);
  EXPECT_EQ(s.vcls[0].default_target.name, "dyn");  // the last director
  ASSERT_EQ(s.resolvers.size(), 1u);
  EXPECT_EQ(s.resolvers[0].answers[0].hosts.size(), 2u);
  EXPECT_TRUE(s.resolvers[0].answers[1].hosts.empty());
  ASSERT_EQ(s.timeline.size(), 7u);
  EXPECT_EQ(s.timeline[0].answer, (std::vector<std::string>{"10.0.1.3:80", "10.0.1.4:80"}));
  EXPECT_EQ(s.timeline[0].text, "resolver.answer dns1 [10.0.1.3:80, 10.0.1.4:80]");
  EXPECT_EQ(s.timeline[1].answer, (std::vector<std::string>{"10.0.1.5:80"}));
  EXPECT_TRUE(s.timeline[2].answer.empty());
  EXPECT_EQ(s.timeline[3].vcl, "boot");
  EXPECT_EQ(s.timeline[3].director, "dyn");
  EXPECT_EQ(s.timeline[3].backend, "10.0.1.9:80");
  EXPECT_EQ(s.timeline[4].kind, vs::OpKind::backend_remove);
  EXPECT_EQ(s.timeline[4].vcl, "");
  EXPECT_EQ(s.timeline[4].text, "backend.remove dyn 10.0.1.9:80");
  EXPECT_EQ(s.timeline[5].health, vs::AdminHealth::sick);
  // A dynamic director's backend by its name, as varnishadm takes it (fnmatch on VCL.NAME).
  EXPECT_EQ(s.timeline[6].backend, "boot.dyn(10.0.1.1:80)");
  EXPECT_EQ(s.behaviors[0].mode, vs::BehaviorMode::refuse);
  EXPECT_EQ(s.behaviors[1].error_rate, 0.25);
  EXPECT_EQ(s.behaviors[1].error_status, 503);
}

TEST(LoadGood, dns_names_answers_over_time_and_the_shorthand) {
  vs::Scenario s = load(kRun + kVcl + R"(dns:
  API.Example.:
    - {at: 0s, answer: [10.0.0.1, "10.0.0.2:8080"], ttl: 30s}
    - {at: 20s, answer: nxdomain, ttl: 5s}
    - {at: 30s, answer: ["2001:DB8::1", "[2001:db8::2]:80"], latency: 200ms}
    - {at: 40s, answer: timeout}
    - {at: 50s, answer: []}
  static.example: [192.0.2.1]
  flaky.example:
    - {at: 0s, answer: servfail, latency: 1s}
    - {at: 1s, answer: refused}
)");
  ASSERT_EQ(s.dns.size(), 3u);
  const vs::DnsName& api = s.dns[0];
  EXPECT_EQ(api.name, "api.example");
  EXPECT_EQ(s.find_dns("api.example"), &api);
  ASSERT_EQ(api.steps.size(), 5u);
  EXPECT_EQ(api.steps[0].addresses, (std::vector<std::string>{"10.0.0.1", "10.0.0.2:8080"}));
  EXPECT_EQ(api.steps[0].ttl_ns, 30 * kS);
  EXPECT_EQ(api.steps[1].kind, vs::DnsAnswerKind::nxdomain);
  EXPECT_EQ(api.steps[1].at_ns, 20 * kS);
  EXPECT_EQ(api.steps[2].addresses, (std::vector<std::string>{"2001:db8::1", "[2001:db8::2]:80"}));
  EXPECT_EQ(api.steps[2].latency_ns, 200'000'000);
  EXPECT_EQ(api.steps[3].kind, vs::DnsAnswerKind::timeout);
  EXPECT_EQ(api.steps[3].latency_ns, 0);  // the resolver's default applies
  EXPECT_EQ(api.steps[4].kind, vs::DnsAnswerKind::addresses);
  EXPECT_TRUE(api.steps[4].addresses.empty());
  ASSERT_EQ(s.dns[1].steps.size(), 1u);
  EXPECT_EQ(s.dns[1].steps[0].at_ns, 0);
  EXPECT_EQ(s.dns[1].steps[0].addresses, (std::vector<std::string>{"192.0.2.1"}));
  EXPECT_EQ(s.dns[2].steps[0].kind, vs::DnsAnswerKind::servfail);
  EXPECT_EQ(s.dns[2].steps[1].kind, vs::DnsAnswerKind::refused);
  EXPECT_EQ(api.steps[2].mark.line, 11);
}

TEST(LoadGood, timeline_string_and_map_forms_are_the_same_op) {
  vs::Scenario s = load(kRun + kVcl + R"(  - name: v2
    backends: [{name: web1, host: 10.0.0.1:80}]
timeline:
  - {at: 1s, op: vcl.load v2}
  - {at: 2s, op: "vcl.state v2 warm"}
  - {at: 2s, op: vcl.state, vcl: v2, state: warm}
  - {at: 3s, op: backend.set_health boot.web* healthy}
  - {at: 3s, op: backend.set_health, backend: boot.web*, state: healthy}
  - {at: 4s, op: vcl.use v2}
  - {at: 5s, op: vcl.discard, vcl: boot}
  - {at: 6s, op: vcl.load boot}
)");
  ASSERT_EQ(s.timeline.size(), 8u);
  for (int i : {1, 3}) {
    const vs::TimelineOp& a = s.timeline[i];
    const vs::TimelineOp& b = s.timeline[i + 1];
    EXPECT_EQ(a.text, b.text);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.vcl, b.vcl);
    EXPECT_EQ(a.vcl_state, b.vcl_state);
    EXPECT_EQ(a.backend, b.backend);
    EXPECT_EQ(a.health, b.health);
  }
  EXPECT_EQ(s.timeline[1].vcl_state, vs::VclState::warm);
  EXPECT_EQ(s.timeline[3].text, "backend.set_health boot.web* healthy");
  EXPECT_EQ(s.timeline[7].text, "vcl.load boot");  // reloading a discarded vcl is fine
  EXPECT_EQ(s.timeline[7].mark.line, 17);
  EXPECT_EQ(s.timeline[7].mark.col, 5);
}

TEST(LoadGood, run_seeds_and_strategies) {
  auto run = [](const std::string& extra) {
    return load("run:\n  duration: 1h\n" + extra + kVcl).run;
  };
  vs::RunSpec r = run("  seeds: 3..7\n  strategy: pct\n  step_budget: 1000\n"
                      "  max_trace_events: 10\n");
  EXPECT_EQ(r.duration_ns, 60 * kMin);
  EXPECT_EQ(r.seed_first, 3u);
  EXPECT_EQ(r.seed_last, 7u);
  EXPECT_EQ(r.strategy, vs::RunSpec::Strategy::pct);
  EXPECT_EQ(r.pct_depth, 3);
  EXPECT_EQ(r.strategy_text, "pct:3");
  EXPECT_EQ(r.step_budget, 1000u);
  EXPECT_EQ(r.max_trace_events, 10u);
  EXPECT_EQ(run("  seeds: 42\n").seed_last, 42u);
  EXPECT_EQ(run("  seeds: \"18446744073709551615\"\n").seed_first, UINT64_MAX);
  EXPECT_EQ(run("  strategy: pct:5\n").pct_depth, 5);
  vs::RunSpec rp = run("  strategy: replay:fail/seed7.txt\n");
  EXPECT_EQ(rp.strategy, vs::RunSpec::Strategy::replay);
  EXPECT_EQ(rp.replay_file, "fail/seed7.txt");
  EXPECT_EQ(run("  strategy: pos\n").strategy, vs::RunSpec::Strategy::pos);
  EXPECT_EQ(run("  strategy: pct:2\n  pct_steps: 300\n").pct_steps, 300);
  EXPECT_EQ(run("  strategy: pct\n").pct_steps, 0);  // the core's default
  EXPECT_EQ(error_of("run: {duration: 1s, strategy: random, pct_steps: 300}\n" + kVcl),
            "1:39: pct_steps: only valid with strategy pct or portfolio");
  // The core's parser and limits (the CLI's too): pct:65 is refused where simrun would.
  EXPECT_EQ(error_of("run: {duration: 1s, strategy: \"pct:0\"}\n" + kVcl),
            "1:31: strategy: bad pct depth in 'pct:0': expected pct:D with D in 1..64");
  EXPECT_EQ(error_of("run: {duration: 1s, strategy: \"pct:65\"}\n" + kVcl),
            "1:31: strategy: bad pct depth in 'pct:65': expected pct:D with D in 1..64");
}

TEST(LoadGood, behaviours_distributions_and_scripts) {
  vs::Scenario s = load(kRun + kVcl + R"(backends:
  web1: down
  web2:
    mode: script
    latency: {dist: exponential, mean: 30ms, max: 1s}
    script:
      - {at: 10s, state: timeout}
      - {at: 20s, state: up}
)");
  ASSERT_EQ(s.behaviors.size(), 2u);
  EXPECT_EQ(s.behaviors[0].mode, vs::BehaviorMode::down);
  EXPECT_EQ(s.behaviors[0].latency.kind, vs::Distribution::Kind::fixed);
  EXPECT_EQ(s.behaviors[0].latency.value_ns, 5 * kMs);  // the default
  const vs::Behavior& b = s.behaviors[1];
  EXPECT_EQ(b.latency.kind, vs::Distribution::Kind::exponential);
  EXPECT_EQ(b.latency.mean_ns, 30 * kMs);
  EXPECT_EQ(b.latency.max_ns, 1 * kS);
  ASSERT_EQ(b.script.size(), 2u);
  EXPECT_EQ(b.script[0].state, vs::ServerState::timeout);
  EXPECT_EQ(b.script[1].at_ns, 20 * kS);
  vs::Scenario slow = load(kRun + kVcl + "backends:\n  web1: {mode: slow, latency: 2s}\n");
  EXPECT_EQ(slow.behaviors[0].latency.value_ns, 2 * kS);
  vs::Scenario flap = load(kRun + kVcl + "backends:\n  web1: {mode: flap, period: 10s, "
                                         "jitter: 1s, down_as: refuse, duty: 0.2}\n");
  EXPECT_EQ(flap.behaviors[0].jitter_ns, 1 * kS);
  EXPECT_EQ(flap.behaviors[0].down_as, vs::ServerState::refuse);
  EXPECT_EQ(flap.behaviors[0].duty, 0.2);
}

TEST(LoadGood, traffic_defaults_and_closed_loop) {
  vs::Scenario s = load(kRun + kVcl + R"(traffic:
  - {rate: 10, start: 15s, arrival: uniform}
  - name: batch
    vcl: boot
    director: web2
    concurrency: 8
    think_time: 100ms
    duration: 10s
    requests: 7
    keys: {count: 5}
    request_duration: 50ms
)");
  ASSERT_EQ(s.traffic.size(), 2u);
  const vs::Traffic& a = s.traffic[0];
  EXPECT_EQ(a.name, "traffic0");
  EXPECT_EQ(a.start_ns, 15 * kS);
  EXPECT_EQ(a.duration_ns, 45 * kS);  // to the end of the run
  EXPECT_EQ(a.arrival, vs::Traffic::Arrival::uniform);
  EXPECT_EQ(a.vcl, "");
  EXPECT_EQ(a.keys.dist, vs::KeySpec::Dist::uniform);
  EXPECT_EQ(a.keys.count, 1000);
  const vs::Traffic& b = s.traffic[1];
  EXPECT_FALSE(b.rate.has_value());
  EXPECT_EQ(b.concurrency, 8);
  EXPECT_EQ(b.think_time_ns, 100 * kMs);
  EXPECT_EQ(b.requests, 7);
  EXPECT_FALSE(a.requests.has_value());  // no limit
  EXPECT_EQ(b.director, "web2");
  ASSERT_TRUE(b.request_duration.has_value());
  EXPECT_EQ(b.request_duration->value_ns, 50 * kMs);
}

TEST(LoadGood, expect_failure_and_runtime_regressions) {
  vs::Scenario s = load(kRun + kVcl + R"(expect:
  failure: A5
runtime:
  regressions: [assign_deref_first, add_director_blocks_when_cooling]
)");
  EXPECT_EQ(s.expect.failure, "A5");
  EXPECT_EQ(s.expect.failure_mark.line, 8);
  ASSERT_EQ(s.runtime.regressions.size(), 2u);
  EXPECT_EQ(s.runtime.regressions[1].which, vs::Regression::add_director_blocks_when_cooling);
  EXPECT_STREQ(vs::to_string(s.runtime.regressions[0].which), "assign_deref_first");
  vs::Scenario e = load(kRun + kVcl + "expect: {all_directors_destroyed: true, "
                                      "invariants: false, no_deadlock: false}\n");
  EXPECT_TRUE(e.expect.all_directors_destroyed);
  EXPECT_FALSE(e.expect.invariants);
  EXPECT_FALSE(e.expect.no_deadlock);
}

// backend.list as varnishadm takes it: flags first (-p toggles, -j), at most one
// pattern; the map form takes `flags` and `backend`, both optional.
TEST(LoadGood, backend_list_forms) {
  vs::Scenario s = load(kRun + kVcl + R"(timeline:
  - {at: 1s, op: backend.list}
  - {at: 2s, op: "backend.list -p *.*"}
  - {at: 3s, op: "backend.list -pjp web*"}
  - {at: 4s, op: backend.list, flags: "-j", backend: boot.web1}
)");
  ASSERT_EQ(s.timeline.size(), 4u);
  EXPECT_EQ(s.timeline[0].kind, vs::OpKind::backend_list);
  EXPECT_EQ(s.timeline[0].backend, "");
  EXPECT_EQ(s.timeline[0].text, "backend.list");
  EXPECT_TRUE(s.timeline[1].list_details);
  EXPECT_FALSE(s.timeline[1].list_json);
  EXPECT_EQ(s.timeline[1].backend, "*.*");
  EXPECT_FALSE(s.timeline[2].list_details) << "-p twice is off again, as in varnishd";
  EXPECT_EQ(s.timeline[1].text, "backend.list -p *.*");
  EXPECT_TRUE(s.timeline[2].list_json);
  EXPECT_EQ(s.timeline[2].text, "backend.list -j web*");
  EXPECT_EQ(s.timeline[3].text, "backend.list -j boot.web1");
}

// vcl.inline NAME SOURCE [STATE]: the text becomes a VCL of its own, loaded at that time.
TEST(LoadGood, vcl_inline_adds_a_vcl_and_loads_it) {
  vs::Scenario s = load(kRun + kVcl + R"(timeline:
  - at: 1s
    op: vcl.inline
    vcl: v2
    state: cold
    source: |
      vcl 4.1;
      backend api { .host = "10.0.9.1"; .port = "8080"; }
  - {at: 2s, op: "vcl.state v2 auto"}
  - {at: 2s, op: vcl.use v2}
)");
  ASSERT_EQ(s.vcls.size(), 2u);
  const vs::Vcl *v = s.find_vcl("v2");
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->backends.size(), 1u);
  EXPECT_EQ(v->backends[0].name, "api");
  EXPECT_NE(v->source.find("10.0.9.1"), std::string::npos);
  ASSERT_EQ(s.timeline.size(), 3u);
  EXPECT_EQ(s.timeline[0].kind, vs::OpKind::vcl_load);
  EXPECT_EQ(s.timeline[0].text, "vcl.inline v2 cold");
}

// vcl.inline NAME << END ... END: varnishadm's here-document; the lines between are the VCL.
TEST(LoadGood, vcl_inline_here_document) {
  vs::Scenario s = load(kRun + kVcl + R"(timeline:
  - at: 1s
    op: |
      vcl.inline v2 << END
      vcl 4.1;
      backend api { .host = "10.0.9.1"; .port = "8080"; }
      END
  - {at: 2s, op: vcl.use v2}
)");
  const vs::Vcl *v = s.find_vcl("v2");
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->backends.size(), 1u);
  EXPECT_EQ(v->backends[0].name, "api");
  EXPECT_EQ(v->source, "vcl 4.1;\nbackend api { .host = \"10.0.9.1\"; .port = \"8080\"; }\n");
  EXPECT_EQ(s.timeline[0].text, "vcl.inline v2");
}

// vcl.list [-j] and vcl.show [-v] NAME, in both forms; read-only, so cli_poll takes them.
TEST(LoadGood, vcl_list_and_show_forms) {
  vs::Scenario s = load(kRun + kVcl + R"(timeline:
  - {at: 1s, op: vcl.list}
  - {at: 2s, op: "vcl.list -j"}
  - {at: 3s, op: "vcl.show -v boot"}
  - {at: 4s, op: vcl.show, vcl: boot}
cli_poll:
  - {cmd: "vcl.list -j", every: 1s}
)");
  ASSERT_EQ(s.timeline.size(), 4u);
  EXPECT_EQ(s.timeline[0].kind, vs::OpKind::vcl_list);
  EXPECT_FALSE(s.timeline[0].list_json);
  EXPECT_TRUE(s.timeline[1].list_json);
  EXPECT_EQ(s.timeline[2].kind, vs::OpKind::vcl_show);
  EXPECT_TRUE(s.timeline[2].show_verbose);
  EXPECT_EQ(s.timeline[2].vcl, "boot");
  EXPECT_EQ(s.timeline[2].text, "vcl.show -v boot");
  EXPECT_EQ(s.timeline[3].text, "vcl.show boot");
  ASSERT_EQ(s.cli_polls.size(), 1u);
  EXPECT_EQ(s.cli_polls[0].op.text, "vcl.list -j");
}
