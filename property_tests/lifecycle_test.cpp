// The stateful lifecycle property on the real directors: generated (template, operations
// on 3 actors in phases, sim seed, strategy) cases run in one Sim; at every quiescent point
// refcounts, live directors, VCL temperatures, admin health and VRT_Healthy must be what
// the model predicts, and no runtime checker may fire. Rule ids in the names are the
// VRT_SPEC rules the model and the checkers stand for.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <sys/socket.h>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "property_tests/any_object.hpp"
#include "property_tests/executor_support.hpp"
#include "property_tests/model.hpp"
#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"
#include "property_tests/child_cases.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/loader.hpp"
#include "vrt.h"
#include "vsa.h"

using namespace prop;

namespace {

void expect_passes(const Found &f) {
  std::cout << f.report << std::endl;
  EXPECT_FALSE(f.failed) << f.report;
}

Op make_op(OpKind k, int actor, int id, int arg = 0, bool flag = false) {
  Op o;
  o.kind = k;
  o.actor = actor;
  o.id = id;
  o.arg = arg;
  o.flag = flag;
  return o;
}

}  // namespace

TEST(Lifecycle, A4_A5_A6_A8_B1_B2_B3_B4_C2_C3_C5_D3_D5_E2_real_directors_match_model_10000_cases) {
  expect_passes(check_lifecycle(lifecycle("lifecycle-real", real_types()), budget(10000)));
}

TEST(Lifecycle, A2_A3_B3_C6_dynamic_resolver_races_traffic_and_temperature) {
  expect_passes(check_lifecycle(dynamic_profile("lifecycle-dynamic", "dynamic"), budget(3000)));
}

class LifecyclePerType : public ::testing::TestWithParam<std::string> {};

// Each director type alone: templates nest it under itself, director.new makes more.
TEST_P(LifecyclePerType, A5_A6_A8_B1_B2_C5_type_alone_and_nested) {
  expect_passes(check_lifecycle(lifecycle("lifecycle-" + GetParam(), {GetParam()}), budget(1500)));
}

INSTANTIATE_TEST_SUITE_P(Real, LifecyclePerType, ::testing::ValuesIn(real_types()),
                         [](const auto &info) { return info.param; });

// A loop of directors (#3899) broken on one actor races a request on another, which the
// model allows only where no loop is reachable (D1): the two must not share a phase on two
// actors. (The soak found a request resolving round a loop its model thought broken: the
// director recursed until its fiber's stack overflowed.)
TEST(Model, D1_an_op_that_breaks_a_loop_does_not_race_a_request) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0}, {1}, false, 0});  // t0 = #3
  tmpl->dirs.push_back({"round_robin", {3}, {1}, false, 0});  // t1 = #4, holding t0
  Model loop(tmpl);
  Op close = make_op(OpKind::AddBackend, 0, 3, 1);
  close.id2 = 4;  // t0 <- t1
  loop.apply(close);
  loop.apply(make_op(OpKind::Barrier, 0, -1));
  ASSERT_TRUE(loop.cyclic(4));
  for (OpKind breaker : {OpKind::RemoveBackend, OpKind::DirFini}) {
    Model m = loop;
    Op b = make_op(breaker, 1, 3);
    if (breaker == OpKind::RemoveBackend) b.id2 = 4;
    std::string why;
    ASSERT_TRUE(m.valid(b, &why)) << why;
    m.apply(b);
    ASSERT_FALSE(m.cyclic(4)) << to_string(b);
    Op req = make_op(OpKind::Request, 2, 4);
    EXPECT_FALSE(m.valid(req, &why)) << to_string(b) << " then " << to_string(req) << " on another actor";
    EXPECT_EQ(why, "conflicts with another actor in this phase");
    req.actor = 1;  // after the break on its actor: no loop is left
    EXPECT_TRUE(m.valid(req, &why)) << why;
  }
}

// A request resolves through its target's members without holding them (D1; Varnish's
// open race #3949). The harness, not a VCL, can drop a member's last reference meanwhile
// (remove_backend, then __fini, which varnishd runs only at discard): the model keeps that
// off other actors of the request's phase, in either order. (The soak found a request on
// t1 resolving t0 after another actor had removed it and run its __fini: A8, falsely.)
TEST(Model, D1_a_member_a_request_resolves_through_keeps_its_last_reference) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0}, {1}, false, 0});  // t0 = #3
  tmpl->dirs.push_back({"round_robin", {3}, {1}, false, 0});  // t1 = #4, holding t0
  Op req = make_op(OpKind::Request, 2, 4), remove = make_op(OpKind::RemoveBackend, 0, 4), fini = make_op(OpKind::DirFini, 0, 3);
  remove.id2 = 3;
  std::string why;
  Model request_first(tmpl);
  request_first.apply(req);
  ASSERT_TRUE(request_first.valid(remove, &why)) << why;  // t0 stays owned: the request is safe
  request_first.apply(remove);
  EXPECT_FALSE(request_first.valid(fini, &why)) << "t0's last reference dropped while a2 may resolve through it";
  Model held(tmpl);  // __fini alone races the request: t1's slot still holds t0 (B3)
  held.apply(req);
  Op fini_held = make_op(OpKind::DirFini, 0, 3);
  ASSERT_TRUE(held.valid(fini_held, &why)) << why;
  held.apply(fini_held);
  Op remove_last = make_op(OpKind::RemoveBackend, 0, 4);
  remove_last.id2 = 3;  // but then dropping t1's slot is the last reference
  EXPECT_FALSE(held.valid(remove_last, &why));
  Model one_actor(tmpl);  // the same ops after the request on its actor
  one_actor.apply(req);
  remove.actor = fini.actor = 2;
  one_actor.apply(remove);
  EXPECT_TRUE(one_actor.valid(fini, &why)) << why;
  Model drops_first(tmpl);
  remove.actor = fini.actor = 0;
  drops_first.apply(remove);
  drops_first.apply(fini);
  EXPECT_FALSE(drops_first.valid(req, &why)) << "a2 may resolve t1 before a0 removed t0";
  req.actor = 0;
  EXPECT_TRUE(drops_first.valid(req, &why)) << why;
}

TEST(Lifecycle, same_case_same_seed_same_digest) {
  auto tmpl = std::make_shared<Template>();
  tmpl->probe[1] = true;
  tmpl->dirs.push_back({"round_robin", {0, 1}, {1, 1}, false, 0});
  tmpl->dirs.push_back({"dynamic", {}, {}, true, 0b0110});
  Case c;
  c.tmpl = tmpl;
  c.seed = 42;
  c.strategy.depth = 3;
  auto op = [](OpKind k, int actor, int id, int arg = 0) { return make_op(k, actor, id, arg); };
  Op req = op(OpKind::Request, 0, 3, 1);
  req.id2 = 3;
  c.ops = {req, op(OpKind::Resolver, 1, 4, 0b1001), op(OpKind::DirFini, 2, 3), op(OpKind::Barrier, 0, -1)};
  Outcome a = run_case(c), b = run_case(c);
  ASSERT_TRUE(a.ok) << a.summary();
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_EQ(a.decisions, b.decisions);
  c.seed = 43;
  EXPECT_NE(run_case(c).digest, a.digest) << "the seed must matter";
  // In a child process (the vmod suites' way) the outcome comes back whole.
  c.seed = 42;
  ExecOptions iso;
  iso.isolate = true;
  Outcome i = run_case_isolated(c, iso);
  EXPECT_TRUE(i.ok) << i.summary();
  EXPECT_EQ(i.digest, a.digest);
  EXPECT_EQ(i.decisions, a.decisions);
  EXPECT_EQ(i.steps, a.steps);
  EXPECT_EQ(i.seen, a.seen);
}

// vcl.list -j and vcl.show in a case: a label on the boot VCL, then the list and the texts
// of the VCL and the label (run_case checks what each printed); then two VCLs loaded
// and discarded by one `vcl.discard v1 v2`, and the list again.
TEST(Lifecycle, L1_vcl_list_vcl_show_and_a_two_name_discard_in_a_case) {
  auto tmpl = std::make_shared<Template>();
  tmpl->dirs.push_back({"round_robin", {0, 1}, {1, 1}, false, 0});
  Case c;
  c.tmpl = tmpl;
  c.seed = 7;
  auto cli = [](OpKind k, int arg, bool flag = false, int id = -1) { return make_op(k, 0, id, arg, flag); };
  c.ops = {cli(OpKind::VclLabel, 0, false, 0), cli(OpKind::Barrier, 0), cli(OpKind::VclList, 1),
           cli(OpKind::Barrier, 0),           cli(OpKind::VclList, 3, false, 0), cli(OpKind::Barrier, 0),
           cli(OpKind::VclList, 2, true),     cli(OpKind::Barrier, 0),           cli(OpKind::VclList, 0)};
  // then vcl.discard of two VCLs in one command (both loaded, neither active nor labelled)
  auto load = [&](int name, int inst) {
    Op o = cli(OpKind::VclLoad, 0, false, inst * tmpl->objects());
    o.vcl = name;
    o.inst = inst;
    return o;
  };
  Op two = cli(OpKind::VclDiscard, 2);
  two.vcl = 1;
  two.inst = 1;
  two.id2 = 2;
  c.ops.insert(c.ops.end(), {cli(OpKind::Barrier, 0), load(1, 1), cli(OpKind::Barrier, 0), load(2, 2),
                             cli(OpKind::Barrier, 0), two, cli(OpKind::Barrier, 0), cli(OpKind::VclList, 1)});
  Outcome o = run_case(c);
  EXPECT_TRUE(o.ok) << o.summary();
  std::ostringstream shown;
  show(c, shown);
  EXPECT_NE(shown.str().find("vcl.show l0"), std::string::npos) << shown.str();
  EXPECT_NE(shown.str().find("vcl.show -v v0"), std::string::npos) << shown.str();
  EXPECT_NE(shown.str().find("vcl.discard v1 (instance 1) v2 (instance 2)"), std::string::npos) << shown.str();
}

// What run_case's vcl.list -j check refuses (so that it can fail).
TEST(Lifecycle, vcl_list_check_refuses_broken_lists) {
  auto entry = [](const char *name, const char *status, const char *label = nullptr) {
    std::string e = std::string(",\n{\"status\": \"") + status + "\", \"name\": \"" + name + "\"";
    return e + (label ? std::string(", \"label\": {\"name\": \"") + label + "\"}}" : "}");
  };
  const std::string head = "[ 2, [\"vcl.list\", \"-j\"], 1767225600.000";
  const std::string good = head + entry("v0", "active") + entry("l0", "available", "v0") + "\n]\n";
  EXPECT_EQ(vcl_list_problem(good, {"v0"}), "");
  EXPECT_NE(vcl_list_problem("[{}]", {}), "") << "no envelope";
  EXPECT_NE(vcl_list_problem(head + entry("v0", "available") + "]", {"v0"}), "") << "nothing active";
  EXPECT_NE(vcl_list_problem(head + entry("v0", "active") + entry("v0", "available") + "]", {}), "") << "twice";
  EXPECT_NE(vcl_list_problem(head + entry("v0", "active") + entry("l0", "available", "v9") + "]", {}), "")
      << "a label pointing nowhere";
  EXPECT_NE(vcl_list_problem(good, {"v0", "v1"}), "") << "a loaded VCL missing";
}

// A test kind of case (child_cases.hpp): crashes when told to, else says which process ran
// it and how many cases that process had run.
nlohmann::json test_case(const nlohmann::json &in) {
  static int runs = 0;
  if (in.value("crash", false)) std::raise(SIGSEGV);
  return {{"clean", in.value("clean", true)}, {"pid", getpid()}, {"runs", ++runs}};
}
const bool test_kind = prop::child::add_kind("test", test_case);

// Nothing lost when the code under test crashes: the case dies in the child, the caller
// gets CRASH with the signal and goes on; the child runs case after case while they
// pass, and a fresh one follows a case that failed or crashed.
TEST(Isolate, a_crash_in_the_child_is_a_record_and_the_caller_goes_on) {
  nlohmann::json a = prop::child::run("test", nlohmann::json::object());
  nlohmann::json b = prop::child::run("test", nlohmann::json::object());
  ASSERT_TRUE(a.contains("pid") && b.contains("pid")) << a.dump() << b.dump();
  EXPECT_NE(a["pid"], getpid());
  EXPECT_EQ(a["pid"], b["pid"]) << "a passing case leaves its child to the next";
  EXPECT_EQ(b["runs"].get<int>(), a["runs"].get<int>() + 1);
  nlohmann::json crashed = prop::child::run("test", {{"crash", true}});
  ASSERT_TRUE(crashed.contains("crash")) << crashed.dump();
  EXPECT_NE(crashed["crash"].get<std::string>().find("signal 11"), std::string::npos) << crashed.dump();
  EXPECT_TRUE(crashed["crash"].get<std::string>().ends_with(" (the case ran in a child process)")) << crashed.dump();
  nlohmann::json failed = prop::child::run("test", {{"clean", false}});
  nlohmann::json after = prop::child::run("test", nlohmann::json::object());
  EXPECT_NE(failed["pid"], b["pid"]) << "a fresh child after the crash";
  EXPECT_NE(after["pid"], failed["pid"]) << "a fresh child after a case that failed";
  EXPECT_EQ(after["runs"], 1);
}

// A case that crashes this process (the in-tree suites run cases here) still leaves its
// report: the crash note names the property, the run and the case, and the command that
// reruns the test isolated; the process then dies of the fault as it would have.
TEST(CrashNote, a_crash_in_a_case_prints_the_case_and_the_isolated_rerun) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto crashing = [] {
    check_generic("crash-note", budget(5), [](std::string *shown) -> std::string {
      *shown = "the case that crashes";
      std::raise(SIGSEGV);
      return "";
    });
  };
  EXPECT_DEATH(crashing(), "crashed \\(signal 11\\) in property crash-note, its run 1 .*The case:.the case that "
                           "crashes.*VDISIM_ISOLATE=1 [^ ]*property_tests --gtest_filter=CrashNote\\.a_crash");
}

// Soak (label `soak`, scripts/soak): the same properties with VDISIM_SOAK_CASES cases.
TEST(SoakLifecycle, real_directors) {
  expect_passes(check_lifecycle(lifecycle("soak-lifecycle-real", real_types()), budget(10000)));
}

TEST(SoakLifecycle, dynamic_resolver_races) {
  expect_passes(check_lifecycle(dynamic_profile("soak-lifecycle-dynamic", "dynamic"), budget(3000)));
}

// The any-object property (any_object.hpp) on vmod_directors' own objects: driven from the
// .vcc alone, every checker must hold.
TEST(AnyObject, A8_B2_C5_C6_vmod_directors_objects_hold_every_checker) {
  vdisim::runner::register_builtin_directors();
  for (const char *type : {"directors.round_robin", "directors.fallback", "directors.random", "directors.hash",
                           "directors.shard", "directors.dynamic"}) {
    prop::Found f = prop::any::check_any_object(type, prop::budget(60));
    EXPECT_FALSE(f.failed) << f.report;
  }
}

namespace {

namespace vm = vdisim::runner::vmod;

// Registers a module of one object "NAME.obj", made by hand as a vmod's glue would.
void register_one_object_module(const char *name, const char *task, vm::InitThunk init, vm::FiniThunk fini,
                                std::vector<vm::Param> init_params, std::vector<vm::Method> methods) {
  vdisim::runner::register_builtin_directors();
  vm::Module m;
  m.name = name;
  m.task_id = task;
  vm::ObjectType t;
  t.object = "obj";
  t.init_params = std::move(init_params);
  t.init = init;
  t.fini = fini;
  t.methods = std::move(methods);
  m.objects.push_back(std::move(t));
  vm::register_module(std::move(m));
}

// A vmod whose constructor always refuses (as libvmod-dynamic's resolver() without getdns).
void never_init(VRT_CTX, void **objp, const char *, vdisim::runner::vmod::Args &) {
  *objp = nullptr;
  VRT_fail(ctx, "never.obj(): built without its resolver library");
}
void never_fini(void **) {}
void never_backend(VRT_CTX, void *, vdisim::runner::vmod::Args &, vdisim::runner::vmod::Value &r) {
  (void)ctx;
  r.backend = nullptr;
}
const char never_task = 0;

}  // namespace

// Nothing can be found about an object that is never made; its failed loads still run
// under every checker, and the report says so in one line instead of giving up.
TEST(AnyObject, an_object_never_constructed_passes_naming_its_constructor_failure) {
  register_one_object_module("never", &never_task, never_init, never_fini, {},
                             {{"backend", "BACKEND", {}, never_backend}});
  prop::Found f = prop::any::check_any_object("never.obj", prop::budget(40));
  std::cout << f.report << std::endl;
  EXPECT_FALSE(f.failed) << f.report;
  EXPECT_EQ(f.report.find('\n'), std::string::npos) << f.report;
  EXPECT_NE(f.report.find("never.obj: never constructed"), std::string::npos) << f.report;
  EXPECT_NE(f.report.find("built without its resolver library"), std::string::npos) << f.report;
  EXPECT_NE(f.report.find("the lifecycle of the failed loads was still checked: 40 cases passed"), std::string::npos)
      << f.report;
}

namespace {

// What a vmod with BLOB, IP, HEADER and PROBE parameters received (typed.obj below),
// copied in vcl_init: the arguments point into the VCL, which is freed when the run ends
// (memcheck caught the test reading the PROBE after that).
struct TypedSeen {
  bool got_ip = false, got_hdr = false, got_blob = false, got_probe = false;
  int ip_sane = 0, ip_family = 0;
  unsigned ip_port = 0, ip_last_byte = 0;
  int hdr_where = 0, hdr_len = 0;
  std::string hdr_name, blob;
  unsigned probe_threshold = 0;
  VCL_HEADER hdr = nullptr;  // compared (never read) by touch, while the VCL lives
  int touches = 0, same_header = 0;
};
TypedSeen typed_seen;

void typed_init(VRT_CTX, void **objp, const char *, vdisim::runner::vmod::Args &a) {
  (void)ctx;
  TypedSeen &t = typed_seen;
  if (VCL_IP ip = a.ip(0)) {
    const unsigned char *addr = nullptr;
    t.got_ip = true;
    t.ip_sane = VSA_Sane(ip);
    t.ip_port = VSA_Port(ip);
    t.ip_family = VSA_GetPtr(ip, &addr);
    if (t.ip_family == AF_INET) t.ip_last_byte = addr[3];
  }
  if ((t.hdr = a.header(1))) {
    t.got_hdr = true;
    t.hdr_where = t.hdr->where;
    t.hdr_len = t.hdr->what->len;
    t.hdr_name = t.hdr->what->str;
  }
  if (VCL_BLOB b = a.blob(2)) {
    t.got_blob = true;
    t.blob.assign(static_cast<const char *>(b->blob), b->len);
  }
  if (VCL_PROBE p = a.probe(3)) {
    t.got_probe = true;
    t.probe_threshold = p->threshold;
  }
  *objp = &typed_seen;
}
void typed_fini(void **objp) { *objp = nullptr; }
void typed_touch(VRT_CTX, void *, vdisim::runner::vmod::Args &a, vdisim::runner::vmod::Value &) {
  (void)ctx;
  typed_seen.touches++;
  if (a.header(0) == typed_seen.hdr) typed_seen.same_header++;
}
void typed_backend(VRT_CTX, void *, vdisim::runner::vmod::Args &, vdisim::runner::vmod::Value &r) {
  (void)ctx;
  r.backend = nullptr;
}
const char typed_task = 0;

}  // namespace

// Scenario values of the constant types reach the vmod as VCC would pass them: an IP
// address (port 0), a HEADER as where + length-prefixed "Name:", a BLOB of the text's
// bytes, the probe of the named backend; one constant per VCL and text, so the HEADER a
// request passes is the one vcl_init passed.
TEST(AnyObject, blob_ip_header_probe_arguments_reach_the_vmod_as_vcl_constants) {
  register_one_object_module("typed", &typed_task, typed_init, typed_fini,
                             {{"ip", "IP", false, std::nullopt, {}},
                              {"hdr", "HEADER", false, std::nullopt, {}},
                              {"key", "BLOB", false, std::nullopt, {}},
                              {"probe", "PROBE", false, std::nullopt, {}}},
                             {{"touch", "VOID", {{"", "HEADER", false, std::nullopt, {}}}, typed_touch},
                              {"backend", "BACKEND", {}, typed_backend}});
  const char *yaml = R"yaml(version: 1
run: {duration: 1s, seeds: 1}
vcls:
  - name: v0
    backends:
      - {name: web0, host: "10.0.0.1:80", probe: {interval: 300ms, window: 4, threshold: 3}}
    directors:
      - new: 'o = typed.obj("10.0.0.7", req.http.X-Key, "abc", web0)'
    default: web0
traffic:
  - {name: callers, rate: 20, vcl_recv: ["o.touch(req.http.X-Key)"]}
)yaml";
  vdisim::scenario::Scenario sc = vdisim::scenario::load_string(yaml, "typed.yaml");
  vdisim::runner::RunResult r = vdisim::runner::run_scenario(sc, vdisim::runner::RunRequest{});
  EXPECT_TRUE(r.passed()) << r.message;
  ASSERT_TRUE(typed_seen.got_ip);
  EXPECT_EQ(typed_seen.ip_sane, 1);
  EXPECT_EQ(typed_seen.ip_port, 0u);
  ASSERT_EQ(typed_seen.ip_family, AF_INET);
  EXPECT_EQ(typed_seen.ip_last_byte, 7u);
  ASSERT_TRUE(typed_seen.got_hdr);
  EXPECT_EQ(typed_seen.hdr_where, HDR_REQ);
  EXPECT_EQ(typed_seen.hdr_len, 6);
  EXPECT_EQ(typed_seen.hdr_name, "X-Key:");
  ASSERT_TRUE(typed_seen.got_blob);
  EXPECT_EQ(typed_seen.blob, "abc");
  ASSERT_TRUE(typed_seen.got_probe);
  EXPECT_EQ(typed_seen.probe_threshold, 3u);
  EXPECT_GT(typed_seen.touches, 0);
  EXPECT_EQ(typed_seen.same_header, typed_seen.touches);
}
