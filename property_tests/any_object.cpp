// The lifecycle property for any vmod object (see any_object.hpp). Arguments come from
// the .vcc types; every choice is a gen::inRange so that cases shrink toward fewer VCLs,
// fewer calls, the first VCL and the first values.
#include "property_tests/any_object.hpp"

#include <fmt/format.h>
#include <rapidcheck.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <stdexcept>

#include "property_tests/child_cases.hpp"
#include "property_tests/yaml_export.hpp"
#include "sim/runner/isolate.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/loader.hpp"

namespace prop::any {

namespace gen = rc::gen;
namespace vm = vdisim::runner::vmod;
namespace sc = vdisim::scenario;

namespace {

constexpr int kWebs = 3;       // backends web0..web2 -> 10.0.0.1..3:80
constexpr int kMaxVcls = 3;    // v0..v2
constexpr int kDurationMs = 4000;

int pick(int n) { return *gen::resize(100, gen::inRange(0, n)); }
bool coin() { return pick(2) == 1; }
template <class T>
const T &one_of(const std::vector<T> &v) { return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))]; }

std::string web(int i) { return fmt::format("web{}", i); }

// Host names a STRING argument may carry; the case's dns: answers those it used.
const std::vector<std::string> kHosts = {"api.example", "www.example"};

// Where a value is written: in vcl_init or a request, which directors exist by then, and
// the host names used so far (for the dns: section).
struct Scope {
  bool in_request = false;
  bool backend = false;  // vcl_backend_response: no req.*, headers of bereq/beresp (as VCC allows)
  std::vector<std::string> directors;  // BACKEND names besides web<i>: pools, objects
  std::vector<std::string> probed;     // backends with a probe (a PROBE names one)
  std::set<std::string> *hosts = nullptr;
};

// A value of a VCL type as a scenario writes it; nullopt if vdisim cannot write one.
std::optional<std::string> value_of(const vm::Param &p, const Scope &sc) {
  const std::string &t = p.type;
  if (t == "BACKEND") {
    // A director half of the time when there is one: wrappers hold references to
    // directors (counted), not to VCL backends (B2, C5 at discard).
    if (!sc.directors.empty() && coin()) return one_of(sc.directors);
    return web(pick(kWebs));
  }
  if (t == "STRING" || t == "STRANDS") {
    static const std::vector<std::string> texts = {"", "a", "10.0.0.1", "80", "/", "10.0.0.1:80",
                                                   "10.0.0.2:80,10.0.0.3:80"};
    int kind = pick(3);
    if (kind == 1) {  // a name to resolve: its answers change over the run (dns:)
      const std::string &h = one_of(kHosts);
      if (sc.hosts) sc.hosts->insert(h);
      return "\"" + h + "\"";
    }
    if (kind == 2 && sc.in_request && !sc.backend) return std::string("req.url");
    return "\"" + one_of(texts) + "\"";
  }
  if (t == "ENUM" && !p.enums.empty()) return one_of(p.enums);
  // Now and then a value VCC lets through but a vmod may not expect: negative, or zero.
  // (Varnish 8.0.0's shard.set_rampup(-1s) and reconfigure(-1) are such.)
  bool odd = pick(8) == 0;
  if (t == "INT") return odd ? std::string(coin() ? "-1" : "0") : std::to_string(pick(6));
  if (t == "BYTES") return std::to_string(odd ? 0 : pick(6));
  if (t == "REAL") return odd ? std::string(coin() ? "-0.5" : "0.0") : fmt::format("{}.5", pick(3));
  if (t == "DURATION") return odd ? std::string(coin() ? "-1s" : "0s") : fmt::format("{}ms", 100 * (1 + pick(30)));
  if (t == "BOOL") return std::string(coin() ? "true" : "false");
  if (t == "PROBE") return sc.probed.empty() || !coin() ? std::string("0") : one_of(sc.probed);
  if (t == "BLOB") {
    static const std::vector<std::string> blobs = {"", "k", "secret-key", "0123456789abcdef"};
    return "\"" + one_of(blobs) + "\"";
  }
  if (t == "IP") {
    static const std::vector<std::string> ips = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "127.0.0.1", "::1"};
    return "\"" + one_of(ips) + "\"";
  }
  if (t == "HEADER") {
    static const std::vector<std::string> headers = {"req.http.host", "req.http.X-Key", "req.http.Cookie"};
    static const std::vector<std::string> backend = {"bereq.http.host", "bereq.http.X-Key", "beresp.http.X-Key"};
    return one_of(sc.backend ? backend : headers);
  }
  return std::nullopt;
}

// "(a, name = b)" for a call, or nullopt if a required parameter cannot be written.
// Optional parameters and those with defaults are given half of the time.
std::optional<std::string> args_of(const std::vector<vm::Param> &params, const Scope &sc) {
  std::string out;
  bool named = false;
  for (const auto &p : params) {
    if (vm::is_priv(p.type)) continue;
    bool required = !p.optional && !p.deflt;
    if (!required && !coin()) {
      named = true;  // a later positional argument would land here
      continue;
    }
    std::optional<std::string> v = value_of(p, sc);
    if (!v) {
      if (required) return std::nullopt;
      named = true;
      continue;
    }
    if (!out.empty()) out += ", ";
    if (named || (!p.name.empty() && !required)) {
      if (p.name.empty()) return std::nullopt;
      out += p.name + " = ";
      named = true;
    }
    out += *v;
  }
  return "(" + out + ")";
}

// The methods VCL may call in `sub` (VCL_MET_*; $Restrict), BACKEND ones or the others.
std::vector<const vm::Method *> callable(const vm::ObjectType &t, bool picks, unsigned sub) {
  std::vector<const vm::Method *> out;
  for (const auto &m : t.methods)
    if ((m.ret == "BACKEND") == picks && m.callable_in(sub)) out.push_back(&m);
  return out;
}

AnyObj gen_obj(const std::string &type, const vm::ObjectType &t, int index, const Scope &sc) {
  AnyObj o;
  std::string name = fmt::format("o{}", index);
  std::optional<std::string> a = args_of(t.init_params, sc);
  if (!a) throw std::invalid_argument(type + ": a required constructor argument has a type vdisim cannot write");
  o.ctor = name + " = " + type + *a;
  std::vector<const vm::Method *> calls = callable(t, false, VCL_MET_INIT);
  int n = calls.empty() ? 0 : pick(5);
  for (int i = 0; i < n; i++) {
    const vm::Method *m = one_of(calls);
    if (auto args = args_of(m->params, sc)) o.init.push_back(name + "." + m->name + *args);
  }
  std::vector<const vm::Method *> picks = callable(t, true, VCL_MET_RECV);
  if (!picks.empty() && pick(4) != 0) {
    const vm::Method *m = one_of(picks);
    Scope rs = sc;
    rs.in_request = true;
    if (auto args = args_of(m->params, rs)) o.pick = name + "." + m->name + *args;
  }
  return o;
}

// A vmod_directors object over backends and the objects before it that pick.
AnyPool gen_pool(int before, const std::vector<std::string> &pickers) {
  static const std::vector<std::string> types = {"round_robin", "fallback", "random"};
  AnyPool p;
  p.before = before;
  p.type = one_of(types);
  int n = 1 + pick(3);
  for (int i = 0; i < n; i++) {
    std::string m = !pickers.empty() && coin() ? one_of(pickers) : web(pick(kWebs));
    if (std::find(p.members.begin(), p.members.end(), m) == p.members.end()) p.members.push_back(m);
  }
  return p;
}

// Whether the object's name is a director in VCL terms: it has a `.backend()` that needs
// no argument (a wrapper's own director). A pick with arguments (hash's key) returns a
// member, which VCL writes as `o.backend(key)`: such objects are only pool members.
bool names_a_director(const vm::ObjectType &t) {
  for (const auto &m : t.methods) {
    if (m.ret != "BACKEND" || !m.callable_in(VCL_MET_INIT) || !m.callable_in(VCL_MET_RECV)) continue;
    bool plain = true;
    for (const auto &p : m.params) plain = plain && (vm::is_priv(p.type) || p.optional || p.deflt);
    if (plain) return true;
  }
  return false;
}

AnyVcl gen_vcl(const std::string &type, const vm::ObjectType &t, int objs, std::set<std::string> *hosts) {
  AnyVcl vcl;
  vcl.probes = pick(1 << kWebs);
  Scope sc;
  sc.hosts = hosts;
  for (int w = 0; w < kWebs; w++)
    if ((vcl.probes >> w) & 1) sc.probed.push_back(web(w));
  std::vector<std::string> pickers;  // objects so far with a pick (members of pools)
  for (int i = 0; i < objs; i++) {
    if (pick(3) == 2) {  // a vmod_directors object in vcl_init before o<i>
      vcl.pools.push_back(gen_pool(i, pickers));
      sc.directors.push_back(fmt::format("p{}", vcl.pools.size() - 1));
    }
    vcl.objs.push_back(gen_obj(type, t, i, sc));
    if (!vcl.objs.back().pick.empty()) pickers.push_back(fmt::format("o{}", i));
    if (names_a_director(t)) sc.directors.push_back(fmt::format("o{}", i));
  }
  vcl.wrap = coin();
  return vcl;
}

// Answers over the run for a host name: address sets of the servers that come and go,
// NXDOMAIN, SERVFAIL; the first from the start.
AnyDns gen_dns(const std::string &name) {
  AnyDns d;
  d.name = name;
  int n = 2 + pick(4);  // at least one change
  int at = 0;
  for (int i = 0; i < n && at < kDurationMs - 100; i++) {
    std::string answer;
    int kind = pick(8);
    if (kind == 6) {
      answer = "nxdomain";
    } else if (kind == 7) {
      answer = "servfail";
    } else {
      int mask = 1 + pick(7);
      for (int w = 0; w < kWebs; w++)
        if ((mask >> w) & 1) answer += fmt::format("{}10.0.0.{}", answer.empty() ? "" : ", ", w + 1);
      answer = "[" + answer + "]";
    }
    d.steps.emplace_back(at, answer);
    at += 200 + 100 * pick(10);
  }
  return d;
}

// CLI operations that varnishadm accepts in this order (the loader checks it again). With
// a plain boot VCL, v1 (which has the objects) is loaded first.
std::vector<std::pair<int, std::string>> gen_timeline(int vcls, bool plain_boot) {
  std::vector<std::pair<int, std::string>> out;
  std::vector<bool> loaded(static_cast<std::size_t>(vcls), false);
  std::vector<bool> cold(static_cast<std::size_t>(vcls), false);
  loaded[0] = true;
  int active = 0;
  int at = 0;
  if (plain_boot) {
    at = 100;
    out.emplace_back(at, "vcl.load v1");
    loaded[1] = true;
    if (coin()) {
      at = 200;
      out.emplace_back(at, "vcl.use v1");
      active = 1;
    }
  }
  int n = pick(9);
  for (int i = 0; i < n; i++) {
    at += 100 + 100 * pick(6);
    if (at >= kDurationMs - 200) break;
    int v = pick(vcls);
    auto vs = static_cast<std::size_t>(v);
    std::string vn = fmt::format("v{}", v);
    switch (pick(6)) {
      case 0:
        if (loaded[vs]) break;
        out.emplace_back(at, "vcl.load " + vn);
        loaded[vs] = true;
        cold[vs] = false;
        break;
      case 1:
        if (!loaded[vs] || v == active) break;
        // varnishadm refuses to use a VCL set cold: it is set auto first (L3).
        if (cold[vs]) out.emplace_back(at, "vcl.state " + vn + " auto");
        out.emplace_back(at, "vcl.use " + vn);
        active = v;
        cold[vs] = false;
        break;
      case 2:
        if (!loaded[vs] || v == active) break;
        out.emplace_back(at, fmt::format("vcl.state {} {}", vn, cold[vs] ? "warm" : "cold"));
        cold[vs] = !cold[vs];
        break;
      case 3:
        if (!loaded[vs] || v == active) break;
        out.emplace_back(at, "vcl.discard " + vn);
        loaded[vs] = false;
        break;
      case 4: {
        static const char *const states[] = {"sick", "healthy", "auto"};
        out.emplace_back(at, fmt::format("backend.set_health {} {}", web(pick(kWebs)), states[pick(3)]));
        break;
      }
      default: break;
    }
  }
  return out;
}

std::string quoted(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<const vm::Function *> request_functions(const vm::Module &m) {
  std::vector<const vm::Function *> out;
  for (const auto &f : m.functions)
    if (f.callable_in(VCL_MET_RECV | VCL_MET_BACKEND_RESPONSE)) out.push_back(&f);
  return out;
}

rc::Gen<AnyCase> gen_case(const std::string &type, const std::vector<std::string> &regressions,
                          const std::set<std::string> &undriven) {
  // "vmod.object", or "vmod" alone: the vmod's $Functions, called from requests.
  const bool functions_only = type.find('.') == std::string::npos;
  const vm::ObjectType *t = functions_only ? nullptr : vm::find_object(type);
  const vm::Module *mod = vm::find_module(type.substr(0, type.find('.')));
  if (!functions_only && !t) throw std::invalid_argument("no registered vmod object " + type);
  if (functions_only && (!mod || request_functions(*mod).empty()))
    throw std::invalid_argument("no registered vmod with functions requests may call: " + type);
  return gen::exec([type, t, mod, regressions, undriven] {
    AnyCase c;
    c.type = type;
    c.regressions = regressions;
    c.plain_boot = pick(4) == 3;
    int vcls = (c.plain_boot ? 2 : 1) + pick(c.plain_boot ? kMaxVcls - 1 : kMaxVcls);
    int objs = 1 + pick(2);  // o0, o1 in every VCL: requests call them in whichever VCL they use
    std::set<std::string> hosts;
    for (int v = 0; v < vcls; v++) {
      if ((v == 0 && c.plain_boot) || t == nullptr) {
        c.vcls.push_back(AnyVcl{{}, {}, false, pick(1 << kWebs)});
        continue;
      }
      c.vcls.push_back(gen_vcl(type, *t, objs, &hosts));
    }
    c.timeline = gen_timeline(vcls, c.plain_boot);
    // Requests call the objects' methods before they pick: members come and go while
    // other requests resolve (BACKEND-taking methods), answers change (STRING ones). A
    // BACKEND may name an object before the called one.
    std::vector<const vm::Method *> calls;
    if (t) calls = callable(*t, false, VCL_MET_RECV);
    std::erase_if(calls, [&](const vm::Method *m) { return undriven.count(type + "." + m->name) > 0; });
    int n = calls.empty() ? 0 : pick(4);
    for (int i = 0; i < n; i++) {
      const vm::Method *m = one_of(calls);
      int o = pick(objs);
      Scope sc;
      sc.in_request = true;
      sc.hosts = &hosts;
      for (int k = 0; k < o && names_a_director(*t); k++) sc.directors.push_back(fmt::format("o{}", k));
      if (auto args = args_of(m->params, sc)) c.recv.push_back(fmt::format("o{}.{}{}", o, m->name, *args));
    }
    // The vmod's functions, where requests call them: vcl_recv or vcl_backend_response
    // (saintmode.denylist() marks the object of the fetch on the backend that answered).
    std::vector<const vm::Function *> fns;
    if (mod) fns = request_functions(*mod);
    std::erase_if(fns, [&](const vm::Function *f) { return undriven.count(mod->name + "." + f->name) > 0; });
    int nf = fns.empty() ? 0 : t ? pick(4) : 1 + pick(4);
    for (int i = 0; i < nf; i++) {
      const vm::Function &f = *one_of(fns);
      Scope sc;
      sc.in_request = true;
      sc.backend = f.callable_in(VCL_MET_RECV) ? f.callable_in(VCL_MET_BACKEND_RESPONSE) && coin() : true;
      sc.hosts = &hosts;
      if (auto args = args_of(f.params, sc))
        (sc.backend ? c.beresp : c.recv).push_back(fmt::format("{}.{}{}", mod->name, f.name, *args));
    }
    c.recv_share_pct = 5 * (1 + pick(20));
    c.flapping = pick(1 << kWebs);
    c.rate = 20 + 20 * pick(5);
    for (const auto &h : hosts) c.dns.push_back(gen_dns(h));
    c.seed = 1 + static_cast<std::uint64_t>(*gen::inRange(0, 1'000'000));
    int s = pick(4);
    c.strategy = s == 0 ? "random" : fmt::format("pct:{}", s);
    return c;
  });
}

// One VCL of the case: the webs (probed or not), the pools, the objects with their
// constructor, init calls and pick, an optional fallback over the pickers, the default.
std::string vcl_yaml(const AnyVcl &vcl, std::size_t v) {
  std::string y = fmt::format("  - name: v{}\n    backends:\n", v);
  for (int w = 0; w < kWebs; w++) {
    y += fmt::format("      - {{name: {}, host: \"10.0.0.{}:80\"", web(w), w + 1);
    if ((vcl.probes >> w) & 1) y += ", probe: {interval: 300ms, window: 3, threshold: 2}";
    y += "}\n";
  }
  if (!vcl.objs.empty()) y += "    directors:\n";
  std::vector<std::string> pickers;
  for (std::size_t i = 0; i < vcl.objs.size(); i++) {
    const AnyObj &o = vcl.objs[i];
    for (std::size_t p = 0; p < vcl.pools.size(); p++) {
      const AnyPool &pool = vcl.pools[p];
      if (pool.before != static_cast<int>(i)) continue;
      y += fmt::format("      - {{name: p{}, type: {}, members: [", p, pool.type);
      for (std::size_t m = 0; m < pool.members.size(); m++) y += (m ? ", " : "") + pool.members[m];
      y += "]}\n";
    }
    y += "      - new: " + quoted(o.ctor) + "\n";
    if (!o.init.empty()) {
      y += "        init:\n";
      for (const auto &i : o.init) y += "          - " + quoted(i) + "\n";
    }
    if (!o.pick.empty()) {
      y += "        backend: " + quoted(o.pick) + "\n";
      pickers.push_back(o.ctor.substr(0, o.ctor.find(' ')));
    }
  }
  std::string target = pickers.empty() ? web(0) : pickers.back();
  if (vcl.wrap && !pickers.empty()) {
    y += "      - {name: wrap, type: fallback, members: [";
    for (const auto &p : pickers) y += p + ", ";
    y += web(2) + "]}\n";
    target = "wrap";
  }
  return y + "    default: " + target + "\n";
}

// The traffic: plain clients, and callers running the case's vcl_recv and
// vcl_backend_response calls for their share of requests.
std::string traffic_yaml(const AnyCase &c) {
  std::string y = fmt::format("traffic:\n  - {{name: clients, rate: {}}}\n", c.rate);
  if (c.recv.empty() && c.beresp.empty()) return y;
  y += fmt::format("  - name: callers\n    rate: {}\n    vcl_recv_share: {}\n    vcl_backend_response_share: {}\n",
                   c.rate / 2, c.recv_share_pct / 100.0, c.recv_share_pct / 100.0);
  if (!c.recv.empty()) y += "    vcl_recv:\n";
  for (const auto &r : c.recv) y += "      - " + quoted(r) + "\n";
  if (!c.beresp.empty()) y += "    vcl_backend_response:\n";
  for (const auto &r : c.beresp) y += "      - " + quoted(r) + "\n";
  return y;
}

std::string to_yaml(const AnyCase &c) {
  std::string y = fmt::format(
      "# Lifecycle case for {} generated from its .vcc by vdisim's any-object property.\n"
      "version: 1\nname: any_object\nrun: {{duration: {}ms, seeds: {}, strategy: \"{}\"}}\n{}vcls:\n",
      c.type, kDurationMs, c.seed, c.strategy, vmods_yaml({c.type}));
  for (std::size_t v = 0; v < c.vcls.size(); v++) y += vcl_yaml(c.vcls[v], v);
  if (c.flapping) {
    y += "backends:\n";
    for (int w = 0; w < kWebs; w++)
      if ((c.flapping >> w) & 1) y += fmt::format("  {}: {{mode: flap, period: {}ms}}\n", web(w), 400 + 300 * w);
  }
  y += traffic_yaml(c);
  if (!c.dns.empty()) {
    y += "dns:\n";
    for (const auto &d : c.dns) {
      y += "  " + d.name + ":\n";
      for (const auto &[ms, answer] : d.steps) y += fmt::format("    - {{at: {}ms, answer: {}}}\n", ms, answer);
    }
  }
  if (!c.regressions.empty()) {
    y += "runtime:\n  regressions: [";
    for (std::size_t i = 0; i < c.regressions.size(); i++) y += (i ? ", " : "") + c.regressions[i];
    y += "]\n";
  }
  if (!c.timeline.empty()) {
    y += "timeline:\n";
    for (const auto &[ms, op] : c.timeline) y += fmt::format("  - {{at: {}ms, op: \"{}\"}}\n", ms, op);
  }
  return y;
}

const char *const kRefusedBoot = "refused boot VCL";

AnyRun run_any(const AnyCase &c) { return run_any(c, to_yaml(c)); }

AnyRun run_any(const AnyCase &c, const std::string &yaml) {
  sc::Scenario s = sc::load_string(yaml, "any_object.yaml");
  vdisim::runner::RunResult r = vdisim::runner::run_scenario(s, own_run(s));
  AnyRun out;
  // Loads of VCLs with the objects, less those whose vcl_init failed (refused vcl.load).
  int loads = 0;
  for (const auto &[ns, line] : r.vcl_log)
    for (std::size_t v = 0; v < c.vcls.size(); v++)
      if (!c.vcls[v].objs.empty() && line == fmt::format("v{} load", v)) loads++;
  int failed_loads = 0;
  const std::string failed = "vcl_init of '";
  for (const auto &e : r.cli_errors) {
    auto at = e.output.find(failed);
    if (at == std::string::npos) continue;
    failed_loads++;
    if (out.refusal.empty()) out.refusal = e.output.substr(at);
  }
  out.made = std::max(0, loads - failed_loads);
  if (c.type.find('.') == std::string::npos) out.made = 1;  // functions only: no object to make
  if (r.passed()) return out;
  // varnishd would not start with this boot VCL: the generated arguments were refused
  // (VRT_fail in vcl_init), nothing was found about the object.
  if (auto at = r.message.find("vcl_init of 'v0' failed"); at != std::string::npos) {
    out.made = std::max(0, out.made - 1);
    if (out.refusal.empty()) out.refusal = r.message.substr(at);
    out.why = kRefusedBoot;
    return out;
  }
  std::string rule = r.rule.value_or("FAIL");
  // "C5 at t=...": the rule first, once (reports grep "Failure: RULE at").
  std::string msg = r.message.rfind(rule + " ", 0) == 0 ? r.message : rule + " " + r.message;
  out.why = fmt::format("{} (seed {}, strategy {})", msg, c.seed, c.strategy);
  return out;
}

std::string run_case(const AnyCase &c) { return run_any(c).why; }

namespace {

// In the worker child (child_cases.hpp): the case's input is its whole AnyCase, as the
// scenario it becomes (to_yaml) and the few fields run_any reads beside it.
nlohmann::json run_any_json(const nlohmann::json &in) {
  AnyCase c;
  c.type = in.at("type");
  c.seed = in.at("seed");
  c.strategy = in.at("strategy");
  for (bool with_objects : in.at("with_objects")) {
    c.vcls.emplace_back();
    if (with_objects) c.vcls.back().objs.emplace_back();
  }
  AnyRun r;
  try {
    r = run_any(c, in.at("yaml"));
  } catch (const sc::LoadError &e) {
    r.why = std::string("GENERATOR produced a scenario the loader refused: ") + e.what();
  }
  return {{"clean", r.why.empty()}, {"why", r.why}, {"made", r.made}, {"refusal", r.refusal}};
}

const bool any_kind = prop::child::add_kind("any", run_any_json);

}  // namespace

// run_any in the worker child: the vmod's code may crash, or keep globals that a failed
// run leaves pointing at freed memory (libvmod-dynamic's list of directors).
AnyRun run_any_isolated(const AnyCase &c) {
  nlohmann::json with_objects = nlohmann::json::array();
  for (const auto &v : c.vcls) with_objects.push_back(!v.objs.empty());
  nlohmann::json j = prop::child::run("any", {{"type", c.type}, {"seed", c.seed}, {"strategy", c.strategy},
                                              {"with_objects", with_objects}, {"yaml", to_yaml(c)}});
  AnyRun r;
  if (j.contains("crash")) {
    r.why = "CRASH: " + j["crash"].get<std::string>();
    const auto tail = j.value("trace_tail", std::vector<std::string>{});
    if (!tail.empty()) r.why += "\n  last events of the run:";
    for (std::size_t i = tail.size() > 8 ? tail.size() - 8 : 0; i < tail.size(); i++) r.why += "\n    " + tail[i];
    return r;
  }
  r.why = j["why"];
  r.made = j["made"];
  r.refusal = j["refusal"];
  return r;
}

}  // namespace prop::any
