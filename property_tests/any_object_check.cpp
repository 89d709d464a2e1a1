// check_any_object(): the any-object property with a budget (any_object.hpp), and the
// calls it leaves out because they reach a part of Varnish vdisim does not simulate.
#include <fmt/format.h>
#include <rapidcheck.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "property_tests/any_object.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace prop::any {

namespace vm = vdisim::runner::vmod;

namespace {

// "mod.func" or "mod.obj.method" for one request call of a case of `type` ("" if neither).
std::string call_name(const std::string &type, const std::string &call) {
  std::string head = call.substr(0, call.find('('));
  auto dot = head.find('.');
  if (dot == std::string::npos) return "";
  std::string target = head.substr(0, dot), member = head.substr(dot + 1);
  // o0, o1 ...: the case's objects, of `type`.
  if (target.size() > 1 && target[0] == 'o' && target.find_first_not_of("0123456789", 1) == std::string::npos)
    return type + "." + member;
  return head;
}

// One run of the property; `undriven` is left out of the requests.
struct Attempt {
  Found found;
  AnyCase last;  // the shrunk failing case, if found.failed
  bool failed_case = false;
  int made = 0, runs = 0;
  std::string refusal;
};

Attempt attempt(const std::string &type, const Budget &b, const std::vector<std::string> &regressions,
                const std::set<std::string> &undriven) {
  Attempt a;
  // Each round its own id: RC_PARAMS reproduce= replays the round (generator) it came from.
  std::string id = "any-object-" + type;
  for (const auto &u : undriven) id += "-without-" + u;
  a.found = check_generic(id, b, [&](std::string *shown) {
    AnyCase c = *gen_case(type, regressions, undriven);
    AnyRun r = run_any_isolated(c);
    a.runs++;
    a.made += r.made;
    if (a.refusal.empty()) a.refusal = r.refusal;
    std::string why = r.why;
    RC_PRE(why != kRefusedBoot);
    if (!why.empty()) {
      a.failed_case = true;
      a.last = c;
      *shown = to_yaml(c);
    }
    return why;
  });
  return a;
}

}  // namespace

std::string only_request_call(const AnyCase &c) {
  std::set<std::string> names;
  for (const auto *calls : {&c.recv, &c.beresp})
    for (const auto &call : *calls) names.insert(call_name(c.type, call));
  return names.size() == 1 ? *names.begin() : "";
}

Found check_any_object(const std::string &type, const Budget &b,
                       const std::vector<std::string> &regressions) {
  std::string file = scratch_dir() + "/any-" + type + ".yaml";
  std::set<std::string> undriven;
  std::string notes;
  Attempt a;
  for (int round = 0; round <= kMaxUndriven; round++) {
    a = attempt(type, b, regressions, undriven);
    if (!a.found.failed || a.found.outcome.rule != "UNSIMULATED" || round == kMaxUndriven) break;
    std::string call = only_request_call(a.last);
    if (call.empty() || undriven.count(call)) break;  // not one call's doing: a finding as it stands
    undriven.insert(call);
    notes += fmt::format("{}: not driven: a request calling it reached what vdisim does not simulate ({})\n", call,
                         a.found.outcome.message);
  }
  Found f = a.found;
  if (!a.failed_case && a.made == 0 && a.runs > 0) {
    // Not one VCL with the object loaded: nothing to find about its life, except how its
    // failed loads end (every checker held in the runs with a plain boot VCL).
    f.failed = false;
    f.report = fmt::format("{}: never constructed in {} runs ({}); the lifecycle of the failed loads was still "
                           "checked: {} cases passed",
                           type, a.runs, a.refusal.empty() ? "no VCL with it was loaded" : a.refusal, f.passed);
  } else if (f.failed) {
    std::error_code ec;  // the report says where it is; a scratch dir that cannot be made shows as a missing file
    std::filesystem::create_directories(scratch_dir(), ec);
    std::ofstream(file) << to_yaml(a.last);
    f.yaml_path = file;
    f.report += fmt::format("Scenario: {}\nRerun it: {} {} --seed {} --strategy {}\n", file, simrun_program(), file,
                            a.last.seed, a.last.strategy);
  }
  f.report = notes + f.report;
  return f;
}

}  // namespace prop::any
