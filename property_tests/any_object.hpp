// The lifecycle property for any vmod object, driven from its .vcc alone: generated VCLs
// construct the object in vcl_init with arguments of the .vcc types, call its methods
// there (a BACKEND argument is a backend or a director: a vmod_directors object or another
// object with a pick), send requests through its BACKEND-returning methods, wrap it in
// vmod_directors, answer the host names its STRING arguments use with changing DNS, and
// reload, cool, warm and discard the VCLs while servers flap, under every runtime
// checker; the run ends with a teardown
// (C5/C6). Nothing is assumed from a director of the same name. A case is a scenario
// YAML run by the scenario runner, so the shrunk case is a file simrun reruns.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "property_tests/prop_support.hpp"

namespace vdisim::runner::vmod {
struct Function;
struct Module;
}  // namespace vdisim::runner::vmod

namespace prop::any {

// One VCL of a case: the objects it makes (constructor, vcl_init calls, request pick).
struct AnyObj {
  std::string ctor;               // "o0 = mod.obj(a = 1)"
  std::vector<std::string> init;  // "o0.method(web1)"
  std::string pick;               // "o0.backend(req.url)" or "" (requests use a backend)
};
// A vmod_directors object declared in vcl_init before o<before>, so that BACKEND
// arguments can be directors (reference counted) as well as plain backends.
struct AnyPool {
  int before = 0;
  std::string type;                  // round_robin, fallback, random
  std::vector<std::string> members;  // web<i> and earlier objects with a pick
};
struct AnyVcl {
  std::vector<AnyObj> objs;    // empty: a boot VCL without the objects (AnyCase::plain_boot)
  std::vector<AnyPool> pools;  // p0, p1 ... in order
  bool wrap = false;  // a vmod_directors fallback over the objects that pick, and web2
  int probes = 0;     // bitmask: web<i> has a probe
};
// What getaddrinfo answers for a host name the case's STRING arguments use, over time.
struct AnyDns {
  std::string name;
  std::vector<std::pair<int, std::string>> steps;  // (ms, "[10.0.0.1, 10.0.0.2]" | "nxdomain" ...)
};
struct AnyCase {
  std::string type;  // "mod.obj"
  std::vector<AnyVcl> vcls;
  bool plain_boot = false;  // v0 has none of the objects; v1 is loaded (and maybe used) at once
  std::vector<std::pair<int, std::string>> timeline;  // (ms, "vcl.use v1")
  std::vector<std::string> recv;  // vcl_recv calls of requests ("o0.remove_backend(web1)")
  int recv_share_pct = 100;
  // The vmod's $Functions called in vcl_backend_response by the same requests
  // ("saintmode.denylist(1s)"); vcl_recv may call them too (in `recv`).
  std::vector<std::string> beresp;
  int flapping = 0;                                   // bitmask: server web<i> flaps
  int rate = 50;
  std::vector<AnyDns> dns;
  std::uint64_t seed = 1;
  std::string strategy = "random";
  std::vector<std::string> regressions;  // runtime regression switches (tests of this suite)
};

std::string to_yaml(const AnyCase &c);
// The vmod's $Functions that requests may call (its $Restrict allows vcl_recv or
// vcl_backend_response): only those are generated; the others VCC would refuse there.
std::vector<const vdisim::runner::vmod::Function *> request_functions(const vdisim::runner::vmod::Module &m);
// Cases for `type` ("mod.obj", registered by its glue). Throws std::invalid_argument if the
// constructor has a required argument of a type that cannot be generated. Requests call
// no function ("mod.func") or method ("mod.obj.method") named in `undriven`.
rc::Gen<AnyCase> gen_case(const std::string &type, const std::vector<std::string> &regressions = {},
                          const std::set<std::string> &undriven = {});
// The one function or method the requests of `c` call ("mod.func", "mod.obj.method"), or
// "" when they call none or several.
std::string only_request_call(const AnyCase &c);
// Runs the case; "" if every checker held, kRefusedBoot if the boot VCL's vcl_init failed
// (the generated arguments were refused: varnishd would not start), else "RULE ... (seed
// N, strategy S)".
extern const char *const kRefusedBoot;
std::string run_case(const AnyCase &c);
// run_case() and what the run says about the object's constructor.
struct AnyRun {
  std::string why;          // as run_case()
  int made = 0;             // VCLs with the objects whose vcl_init succeeded
  std::string refusal;      // the first vcl_init failure message, "" if none
};
AnyRun run_any(const AnyCase &c);
// The same, of the case's scenario already written (to_yaml(c)): of c, the run reads only
// type, seed, strategy and which VCLs have objects.
AnyRun run_any(const AnyCase &c, const std::string &yaml);
AnyRun run_any_isolated(const AnyCase &c);  // run_any in a child process; a crash is a finding

// The property with a budget. `type` is "vmod.object", or "vmod" for a vmod's $Functions
// alone (requests call them in vcl_recv and vcl_backend_response; plain VCLs, no object).
// An object whose constructor never succeeds (every load of
// a VCL with it fails) passes with one line saying so: the failed loads were still run
// under every checker (cases with a plain boot VCL). A shrunk case whose one request call
// reaches a part of Varnish vdisim does not simulate (rule UNSIMULATED: sessions' sockets,
// bans ...) is no finding about the vmod: that function or method is left out, the report
// names it and why, and the property runs again without it (at most kMaxUndriven times).
// The report names the shrunk YAML (written under scratch_dir()) and the simrun that
// reruns it (simrun_program()).
constexpr int kMaxUndriven = 8;
Found check_any_object(const std::string &type, const Budget &b, const std::vector<std::string> &regressions = {});

}  // namespace prop::any
