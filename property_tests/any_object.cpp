// The lifecycle property for any vmod object (see any_object.hpp). Arguments come from
// the .vcc types; every choice is a gen::inRange so that cases shrink toward fewer VCLs,
// fewer calls, the first VCL and the first values.
#include "property_tests/any_object.hpp"

#include <fmt/format.h>
#include <rapidcheck.h>

#include <fstream>
#include <optional>
#include <stdexcept>

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

std::string web(int i) { return fmt::format("web{}", i); }

// A value of a VCL type as a scenario writes it; nullopt if vdisim cannot write one.
std::optional<std::string> value_of(const vm::Param &p, bool in_request) {
  const std::string &t = p.type;
  if (t == "BACKEND") return web(pick(kWebs));
  if (t == "STRING" || t == "STRANDS") {
    static const char *const texts[] = {"", "a", "10.0.0.1", "api.example", "80", "/", "10.0.0.1:80",
                                        "10.0.0.2:80,10.0.0.3:80"};
    if (in_request && coin()) return std::string("req.url");
    return fmt::format("\"{}\"", texts[pick(8)]);
  }
  if (t == "ENUM" && !p.enums.empty()) return p.enums[static_cast<std::size_t>(pick(static_cast<int>(p.enums.size())))];
  if (t == "INT" || t == "BYTES") return std::to_string(pick(6));
  if (t == "REAL") return fmt::format("{}.5", pick(3));
  if (t == "DURATION") return fmt::format("{}ms", 100 * (1 + pick(30)));
  if (t == "BOOL") return std::string(coin() ? "true" : "false");
  if (t == "PROBE") return std::string("0");
  return std::nullopt;
}

// "(a, name = b)" for a call, or nullopt if a required parameter cannot be written.
// Optional parameters and those with defaults are given half of the time.
std::optional<std::string> args_of(const std::vector<vm::Param> &params, bool in_request) {
  std::string out;
  bool named = false;
  for (const auto &p : params) {
    if (vm::is_priv(p.type)) continue;
    bool required = !p.optional && !p.deflt;
    if (!required && !coin()) {
      named = true;  // a later positional argument would land here
      continue;
    }
    std::optional<std::string> v = value_of(p, in_request);
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

std::vector<const vm::Method *> callable(const vm::ObjectType &t, bool picks) {
  std::vector<const vm::Method *> out;
  for (const auto &m : t.methods)
    if ((m.ret == "BACKEND") == picks) out.push_back(&m);
  return out;
}

AnyObj gen_obj(const std::string &type, const vm::ObjectType &t, int index) {
  AnyObj o;
  std::string name = fmt::format("o{}", index);
  std::optional<std::string> a = args_of(t.init_params, false);
  if (!a) throw std::invalid_argument(type + ": a required constructor argument has a type vdisim cannot write");
  o.ctor = name + " = " + type + *a;
  std::vector<const vm::Method *> calls = callable(t, false);
  int n = calls.empty() ? 0 : pick(5);
  for (int i = 0; i < n; i++) {
    const vm::Method *m = calls[static_cast<std::size_t>(pick(static_cast<int>(calls.size())))];
    if (auto args = args_of(m->params, false)) o.init.push_back(name + "." + m->name + *args);
  }
  std::vector<const vm::Method *> picks = callable(t, true);
  if (!picks.empty() && pick(4) != 0) {
    const vm::Method *m = picks[static_cast<std::size_t>(pick(static_cast<int>(picks.size())))];
    if (auto args = args_of(m->params, true)) o.pick = name + "." + m->name + *args;
  }
  return o;
}

// CLI operations that varnishadm accepts in this order (the loader checks it again).
std::vector<std::pair<int, std::string>> gen_timeline(int vcls) {
  std::vector<std::pair<int, std::string>> out;
  std::vector<bool> loaded(static_cast<std::size_t>(vcls), false);
  std::vector<bool> cold(static_cast<std::size_t>(vcls), false);
  loaded[0] = true;
  int active = 0;
  int n = pick(9);
  int at = 0;
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

rc::Gen<AnyCase> gen_case(const std::string &type, const std::vector<std::string> &regressions) {
  const vm::ObjectType *t = vm::find_object(type);
  if (!t) throw std::invalid_argument("no registered vmod object " + type);
  (void)args_of;  // checked below, outside the generator, so a bad .vcc fails early
  return gen::exec([type, t, regressions] {
    AnyCase c;
    c.type = type;
    c.regressions = regressions;
    int vcls = 1 + pick(kMaxVcls);
    int objs = 1 + pick(2);  // o0, o1 in every VCL: requests call them in whichever VCL they use
    for (int v = 0; v < vcls; v++) {
      AnyVcl vcl;
      vcl.probes = pick(1 << kWebs);
      for (int i = 0; i < objs; i++) vcl.objs.push_back(gen_obj(type, *t, i));
      vcl.wrap = coin();
      c.vcls.push_back(vcl);
    }
    c.timeline = gen_timeline(vcls);
    // Requests call the objects' methods before they pick: members come and go while
    // other requests resolve (BACKEND-taking methods), answers change (STRING ones).
    std::vector<const vm::Method *> calls = callable(*t, false);
    int n = calls.empty() ? 0 : pick(4);
    for (int i = 0; i < n; i++) {
      const vm::Method *m = calls[static_cast<std::size_t>(pick(static_cast<int>(calls.size())))];
      if (auto args = args_of(m->params, true)) c.recv.push_back(fmt::format("o{}.{}{}", pick(objs), m->name, *args));
    }
    c.recv_share_pct = 5 * (1 + pick(20));
    c.flapping = pick(1 << kWebs);
    c.rate = 20 + 20 * pick(5);
    c.seed = 1 + static_cast<std::uint64_t>(*gen::inRange(0, 1'000'000));
    int s = pick(4);
    c.strategy = s == 0 ? "random" : fmt::format("pct:{}", s);
    return c;
  });
}

std::string to_yaml(const AnyCase &c) {
  std::string y = fmt::format(
      "# Lifecycle case for {} generated from its .vcc by vdisim's any-object property.\n"
      "version: 1\nname: any_object\nrun: {{duration: {}ms, seeds: {}, strategy: \"{}\"}}\nvcls:\n",
      c.type, kDurationMs, c.seed, c.strategy);
  for (std::size_t v = 0; v < c.vcls.size(); v++) {
    const AnyVcl &vcl = c.vcls[v];
    y += fmt::format("  - name: v{}\n    backends:\n", v);
    for (int w = 0; w < kWebs; w++) {
      y += fmt::format("      - {{name: {}, host: \"10.0.0.{}:80\"", web(w), w + 1);
      if ((vcl.probes >> w) & 1) y += ", probe: {interval: 300ms, window: 3, threshold: 2}";
      y += "}\n";
    }
    y += "    directors:\n";
    std::vector<std::string> pickers;
    for (const auto &o : vcl.objs) {
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
    y += "    default: " + target + "\n";
  }
  if (c.flapping) {
    y += "backends:\n";
    for (int w = 0; w < kWebs; w++)
      if ((c.flapping >> w) & 1) y += fmt::format("  {}: {{mode: flap, period: {}ms}}\n", web(w), 400 + 300 * w);
  }
  y += fmt::format("traffic:\n  - {{name: clients, rate: {}}}\n", c.rate);
  if (!c.recv.empty()) {
    y += fmt::format("  - name: callers\n    rate: {}\n    vcl_recv_share: {}\n    vcl_recv:\n", c.rate / 2,
                     c.recv_share_pct / 100.0);
    for (const auto &r : c.recv) y += "      - " + quoted(r) + "\n";
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

std::string run_case(const AnyCase &c) {
  std::string yaml = to_yaml(c);
  sc::Scenario s = sc::load_string(yaml, "any_object.yaml");
  vdisim::runner::RunRequest req;
  req.seed = c.seed;
  req.strategy = vdisim::sim::StrategySpec::parse(c.strategy);
  vdisim::runner::RunResult r = vdisim::runner::run_scenario(s, req);
  if (r.passed()) return "";
  // varnishd would not start with this boot VCL: the generated arguments were refused
  // (VRT_fail in vcl_init), nothing was found about the object.
  if (r.message.find("vcl_init of 'v0' failed") != std::string::npos) return kRefusedBoot;
  return fmt::format("{} {} (seed {}, strategy {})", r.rule.value_or("FAIL"), r.message, c.seed, c.strategy);
}

Found check_any_object(const std::string &type, const Budget &b, const std::string &repro_program,
                       const std::vector<std::string> &regressions) {
  std::string file = scratch_dir() + "/any-" + type + ".yaml";
  AnyCase last;
  Found f = check_generic("any-object-" + type, b, [&](std::string *shown) {
    AnyCase c = *gen_case(type, regressions);
    std::string why;
    try {
      why = run_case(c);
      RC_PRE(why != kRefusedBoot);
    } catch (const sc::LoadError &e) {
      why = std::string("GENERATOR produced a scenario the loader refused: ") + e.what();
    }
    if (!why.empty()) {
      last = c;
      *shown = to_yaml(c);
    }
    return why;
  });
  if (f.failed) {
    std::ofstream(file) << to_yaml(last);
    f.yaml_path = file;
    f.report += fmt::format("Scenario: {}\nRerun it: {} {} --seed {} --strategy {}\n", file, repro_program, file,
                            last.seed, last.strategy);
  }
  return f;
}

}  // namespace prop::any
