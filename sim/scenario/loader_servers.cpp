// Parses what the simulated world does: server behaviour per backend (`backends`),
// latency distributions, resolver answers over time and traffic generators.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

// Keys valid only for some `dist`/`mode` values; "" = valid for all.
struct KeyRule {
  const char* key;
  std::vector<std::string> only;
};

void check_applies(const Ctx& ctx, const Field& kv, const std::vector<KeyRule>& rules,
                   const std::string& selector, const std::string& value) {
  for (const auto& r : rules) {
    if (kv.key != r.key || r.only.empty()) continue;
    if (std::find(r.only.begin(), r.only.end(), value) != r.only.end()) return;
    fail(ctx, kv.key_mark, fmt::format("{}: only valid with {} {} ({} is '{}')", kv.key, selector,
                                       one_of(r.only), selector, value));
  }
}

const std::vector<KeyRule> kDistRules = {
    {"dist", {}}, {"value", {"fixed"}}, {"min", {"uniform"}},
    {"max", {"uniform", "exponential"}}, {"mean", {"exponential"}}};

}  // namespace

Distribution parse_distribution(const Ctx& ctx, const Field& f) {
  Distribution d;
  d.mark = f.mark();
  if (f.node.IsScalar()) {
    d.value_ns = read_duration(ctx, f, false);
    return d;
  }
  MapReader m(ctx, f, f.key, {"dist", "value", "min", "max", "mean"});
  const std::vector<std::string> kinds = {"fixed", "uniform", "exponential"};
  std::size_t k = read_choice(ctx, m.require("dist"), kinds);
  d.kind = static_cast<Distribution::Kind>(k);
  for (const auto& kv : m.fields()) check_applies(ctx, kv, kDistRules, "dist", kinds[k]);
  auto need = [&](const char* key) {
    auto v = m.get(key);
    if (!v) m.missing(key, fmt::format(" (dist {})", kinds[k]));
    return *v;
  };
  if (d.kind == Distribution::Kind::fixed) d.value_ns = read_duration(ctx, need("value"), false);
  if (d.kind == Distribution::Kind::uniform) {
    d.min_ns = read_duration(ctx, need("min"), false);
    d.max_ns = read_duration(ctx, need("max"), false);
    if (d.max_ns < d.min_ns)
      fail(ctx, need("max"), fmt::format("max: {} is less than min {}",
                                         format_duration(d.max_ns), format_duration(d.min_ns)));
  }
  if (d.kind == Distribution::Kind::exponential) {
    d.mean_ns = read_duration(ctx, need("mean"), true);
    if (auto cap = m.get("max")) {
      d.max_ns = read_duration(ctx, *cap, true);
      if (d.max_ns < d.mean_ns)
        fail(ctx, *cap, fmt::format("max: {} is less than mean {}", format_duration(d.max_ns),
                                    format_duration(d.mean_ns)));
    }
  }
  return d;
}

namespace {

const std::vector<std::string> kModes = {"up",     "down",    "refuse", "slow",
                                         "errors", "timeout", "flap",   "script"};
const std::vector<std::string> kStates = {"up", "down", "refuse", "timeout"};
const std::vector<KeyRule> kBehaviorRules = {
    {"mode", {}},           {"latency", {}},         {"status", {"errors"}},
    {"rate", {"errors"}},   {"period", {"flap"}},    {"duty", {"flap"}},
    {"jitter", {"flap"}},   {"down_as", {"flap"}},   {"script", {"script"}},
    {"probes", {}},         {"requests", {}}};

std::vector<std::string> rule_keys(const std::vector<KeyRule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) out.push_back(r.key);
  return out;
}

std::vector<ScriptStep> parse_script(const Ctx& ctx, const Field& f, const RunSpec& run) {
  std::vector<ScriptStep> out;
  auto items = read_list(ctx, f);
  if (items.empty()) fail(ctx, f, "script: needs at least one step");
  for (const auto& item : items) {
    MapReader m(ctx, item, "script step", {"at", "state", "latency"});
    ScriptStep s;
    s.mark = m.mark();
    Field at = m.require("at");
    s.at_ns = read_time_in_run(ctx, at, run);
    s.state = static_cast<ServerState>(read_choice(ctx, m.require("state"), kStates));
    if (auto v = m.get("latency")) s.latency = parse_distribution(ctx, *v);
    if (!out.empty() && s.at_ns <= out.back().at_ns)
      fail(ctx, at, fmt::format("at: {} is not after the previous step ({})",
                                format_duration(s.at_ns), format_duration(out.back().at_ns)));
    out.push_back(s);
  }
  return out;
}

// A server's answers to its next connections of one kind, `probes:` (polls) or
// `requests:` (fetches): `[200, 500, empty, timeout, refuse, {status: 200, after: 300ms}]`.
std::vector<ServerAnswer> parse_answers(const Ctx& ctx, const Field& f) {
  const std::vector<std::string> kinds = {"empty", "timeout", "refuse"};
  const std::string what_item = f.key == "probes" ? "probe answer" : "request answer";
  std::vector<ServerAnswer> out;
  for (const auto& item : read_list(ctx, f)) {
    ServerAnswer a;
    a.mark = item.mark();
    Field what = item;
    if (item.node.IsMap()) {
      MapReader m(ctx, item, what_item, {"status", "after"});
      what = m.require("status");
      if (auto v = m.get("after")) a.after_ns = read_duration(ctx, *v, false);
    }
    const std::string text = what.node.IsScalar() ? what.node.Scalar() : "";
    if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0])))
      a.status = static_cast<int>(read_int(ctx, what, 100, 599));
    else
      a.kind = static_cast<ServerAnswer::Kind>(1 + read_choice(ctx, what, kinds));
    out.push_back(a);
  }
  return out;
}

Field need(const MapReader& m, const char* key, const std::string& mode) {
  auto v = m.get(key);
  if (!v) m.missing(key, " (mode " + mode + ")");
  return *v;
}

void parse_flap(const Ctx& ctx, const MapReader& m, Behavior& b) {
  b.period_ns = read_duration(ctx, need(m, "period", "flap"), true);
  if (auto v = m.get("duty")) b.duty = read_number(ctx, *v, 0, 1);
  if (auto v = m.get("down_as"))
    b.down_as = static_cast<ServerState>(1 + read_choice(ctx, *v, {"down", "refuse", "timeout"}));
  if (auto v = m.get("jitter")) {
    b.jitter_ns = read_duration(ctx, *v, false);
    if (b.jitter_ns >= b.period_ns - b.jitter_ns)
      fail(ctx, *v, fmt::format("jitter: must be less than half the period ({}), got {}",
                                format_duration(b.period_ns), format_duration(b.jitter_ns)));
  }
}

void parse_mode_params(const Ctx& ctx, const MapReader& m, const RunSpec& run, Behavior& b) {
  if (auto v = m.get("latency")) b.latency = parse_distribution(ctx, *v);
  if (auto v = m.get("probes")) b.probes = parse_answers(ctx, *v);
  if (auto v = m.get("requests")) b.requests = parse_answers(ctx, *v);
  switch (b.mode) {
    case BehaviorMode::slow:
      b.latency = parse_distribution(ctx, need(m, "latency", "slow"));
      break;
    case BehaviorMode::errors:
      b.error_rate = read_number(ctx, need(m, "rate", "errors"), 0, 1);
      if (auto v = m.get("status")) b.error_status = static_cast<int>(read_int(ctx, *v, 100, 599));
      break;
    case BehaviorMode::flap:
      parse_flap(ctx, m, b);
      break;
    case BehaviorMode::script:
      b.script = parse_script(ctx, need(m, "script", "script"), run);
      break;
    default:
      break;
  }
}

Behavior parse_behavior(const Ctx& ctx, const Field& kv, const RunSpec& run) {
  Behavior b;
  b.mark = kv.key_mark;
  b.key = kv.key;
  bool shorthand = kv.node.IsScalar();  // `b1: down` is short for `b1: {mode: down}`
  MapReader m(ctx, shorthand ? Field{kv.key, kv.key_mark, YNode()} : kv,
              fmt::format("backend behaviour '{}'", kv.key), rule_keys(kBehaviorRules));
  std::optional<Field> mode = shorthand ? Field{"mode", kv.key_mark, kv.node} : m.get("mode");
  if (mode) b.mode = static_cast<BehaviorMode>(read_choice(ctx, *mode, kModes));
  const std::string& mode_name = kModes[static_cast<std::size_t>(b.mode)];
  for (const auto& f : m.fields()) check_applies(ctx, f, kBehaviorRules, "mode", mode_name);
  parse_mode_params(ctx, m, run, b);
  return b;
}

}  // namespace

std::vector<Behavior> parse_behaviors(const Ctx& ctx, const Field& f, const Scenario& s) {
  MapReader m(ctx, f, "backends", {}, true);
  std::vector<Behavior> out;
  for (const auto& kv : m.fields()) {
    Behavior b = parse_behavior(ctx, kv, s.run);
    b.host = ref_server(ctx, s, Field{"backends", kv.key_mark, YNode(kv.key)});
    for (const auto& seen : out)
      if (seen.host == b.host)
        fail(ctx, kv.key_mark, fmt::format("backends: '{}' and '{}' (line {}) are the same "
                                           "server {}", kv.key, seen.key, seen.mark.line, b.host));
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<Resolver> parse_resolvers(const Ctx& ctx, const Field& f, const RunSpec& run) {
  MapReader m(ctx, f, "resolvers", {}, true);
  std::vector<Resolver> out;
  for (const auto& kv : m.fields()) {
    Resolver r{kv.key_mark, read_name(ctx, Field{"resolver", kv.key_mark, YNode(kv.key)}),
               {}};
    for (const auto& item : read_list(ctx, kv)) {
      MapReader a(ctx, item, "resolver answer", {"at", "answer"});
      Field at = a.require("at");
      ResolverAnswer ans{a.mark(), read_time_in_run(ctx, at, run), {}};
      if (!r.answers.empty() && ans.at_ns <= r.answers.back().at_ns)
        fail(ctx, at, fmt::format("at: {} is not after the previous answer ({})",
                                  format_duration(ans.at_ns),
                                  format_duration(r.answers.back().at_ns)));
      for (const auto& h : read_list(ctx, a.require("answer")))
        ans.hosts.push_back(read_host_port(ctx, Field{"answer", h.key_mark, h.node}));
      r.answers.push_back(std::move(ans));
    }
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

KeySpec parse_keys(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "keys", {"distribution", "count", "s"});
  KeySpec k;
  k.mark = m.mark();
  if (auto v = m.get("distribution"))
    k.dist = static_cast<KeySpec::Dist>(read_choice(ctx, *v, {"uniform", "zipf", "sequence"}));
  if (auto v = m.get("count")) k.count = read_int(ctx, *v, 1, 1'000'000'000);
  if (auto v = m.get("s")) {
    if (k.dist != KeySpec::Dist::zipf)
      fail(ctx, v->key_mark, "s: only valid with distribution zipf");
    k.s = read_number(ctx, *v, 0.01, 10);
  }
  return k;
}

// Bounds on what a generator's requests carry (docs/limits.md): they fit Varnish's
// default workspace_client and http_max_hdr with room to spare.
constexpr std::size_t kMaxChoiceValues = 10'000;
constexpr std::size_t kMaxUrlBytes = 2048;
constexpr std::size_t kMaxHeaders = 16;
constexpr std::size_t kMaxHeaderNameBytes = 64;
constexpr std::size_t kMaxHeaderValueBytes = 512;

// "" if v is a request URL: a path (starts with '/') without spaces or control bytes.
std::string url_problem(const std::string& v) {
  if (v.empty() || v[0] != '/') return "it must start with '/'";
  if (v.size() > kMaxUrlBytes) return fmt::format("it is longer than {} bytes", kMaxUrlBytes);
  for (unsigned char c : v)
    if (c <= 0x20 || c >= 0x7f) return "spaces and control characters are not allowed";
  return "";
}

std::string header_value_problem(const std::string& v) {
  if (v.size() > kMaxHeaderValueBytes) return fmt::format("it is longer than {} bytes", kMaxHeaderValueBytes);
  for (unsigned char c : v)
    if (c < 0x20 || c >= 0x7f) return "control characters are not allowed";
  return "";
}

// RFC 9110's token: what a header name may be made of.
bool is_header_name(const std::string& n) {
  if (n.empty() || n.size() > kMaxHeaderNameBytes) return false;
  return std::all_of(n.begin(), n.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
  });
}

// `[a, b]` (in turn) or `{weights: {a: 3, b: 1}}` (drawn by weight); `problem` checks a value.
ValueChoice parse_choice(const Ctx& ctx, const Field& f, std::string (*problem)(const std::string&)) {
  ValueChoice c;
  c.mark = f.mark();
  std::vector<Field> values;
  if (f.node.IsMap()) {
    MapReader m(ctx, f, f.key, {"weights"});
    Field w = m.require("weights");
    MapReader weights(ctx, w, "weights", {}, true);
    for (const auto& kv : weights.fields()) {
      values.push_back(Field{f.key, kv.key_mark, YNode(kv.key)});
      c.weights.push_back(read_number(ctx, kv, 0, 1e9));
    }
    if (!values.empty() && std::all_of(c.weights.begin(), c.weights.end(), [](double x) { return x == 0; }))
      fail(ctx, w, "weights: all weights are 0; at least one must be more");
  } else if (f.node.IsSequence()) {
    values = read_list(ctx, f);
  } else {
    fail(ctx, f, fmt::format("{}: expected a list of values (in turn) or {{weights: {{VALUE: WEIGHT, ...}}}}, got {}",
                             f.key, describe(f.node)));
  }
  if (values.empty()) fail(ctx, f, fmt::format("{}: needs at least one value", f.key));
  if (values.size() > kMaxChoiceValues) fail(ctx, f, fmt::format("{}: at most {} values", f.key, kMaxChoiceValues));
  for (const auto& v : values) {
    std::string text = read_string(ctx, v);
    std::string why = problem(text);
    if (!why.empty()) fail(ctx, v, fmt::format("{}: bad value '{}': {}", f.key, text, why));
    c.values.push_back(std::move(text));
  }
  return c;
}

// `headers: {Host: [...], X-Key: {weights: {...}}}`: names unique ignoring case.
std::vector<HeaderChoice> parse_headers(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "headers", {}, true);
  if (m.fields().size() > kMaxHeaders) fail(ctx, f, fmt::format("headers: at most {} headers", kMaxHeaders));
  std::vector<HeaderChoice> out;
  for (const auto& kv : m.fields()) {
    if (!is_header_name(kv.key))
      fail(ctx, kv.key_mark, fmt::format("headers: '{}' is not a header name (up to {} letters, digits and "
                                         "!#$%&'*+-.^_`|~)", kv.key, kMaxHeaderNameBytes));
    auto lower = [](std::string t) {
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char ch) { return std::tolower(ch); });
      return t;
    };
    for (const auto& seen : out)
      if (lower(seen.name) == lower(kv.key))
        fail(ctx, kv.key_mark, fmt::format("headers: '{}' and '{}' (line {}) are one header (names ignore case)",
                                           kv.key, seen.name, seen.mark.line));
    out.push_back(HeaderChoice{kv.key_mark, kv.key, parse_choice(ctx, kv, header_value_problem)});
  }
  return out;
}

void parse_load_shape(const Ctx& ctx, const MapReader& m, Traffic& t) {
  auto rate = m.get("rate"), conc = m.get("concurrency");
  if (rate && conc)
    fail(ctx, conc->key_mark, "concurrency: 'rate' and 'concurrency' are exclusive (open or "
                              "closed loop)");
  if (!rate && !conc)
    fail(ctx, m.mark(), fmt::format("traffic '{}' needs 'rate' (requests/s) or 'concurrency' "
                                    "(clients)", t.name));
  if (rate) t.rate = read_number(ctx, *rate, 1e-6, 1e7);
  if (conc) t.concurrency = static_cast<int>(read_int(ctx, *conc, 1, 100'000));
  if (auto v = m.get("arrival")) {
    if (!rate) fail(ctx, v->key_mark, "arrival: only valid with 'rate'");
    t.arrival = static_cast<Traffic::Arrival>(read_choice(ctx, *v, {"poisson", "uniform"}));
  }
  if (auto v = m.get("think_time")) {
    if (!conc) fail(ctx, v->key_mark, "think_time: only valid with 'concurrency'");
    t.think_time_ns = read_duration(ctx, *v, false);
  }
}

void parse_window(const Ctx& ctx, const MapReader& m, const RunSpec& run, Traffic& t) {
  if (auto v = m.get("start")) t.start_ns = read_time_in_run(ctx, *v, run);
  t.duration_ns = run.duration_ns - t.start_ns;
  if (auto v = m.get("duration")) {
    std::int64_t d = read_duration(ctx, *v, true);
    if (d > t.duration_ns) {
      __int128 end = static_cast<__int128>(t.start_ns) + d;
      fail(ctx, *v, fmt::format("duration: traffic would end at {}, after the end of the run "
                                "({})", format_duration(static_cast<std::int64_t>(
                                            std::min<__int128>(end, INT64_MAX))),
                                format_duration(run.duration_ns)));
    }
    t.duration_ns = d;
  }
}


// `NAME: [OBJ.METHOD(ARGS) ...]` and `NAME_share: 0..1`: the VCL a request runs in one sub.
void parse_sub(const Ctx& ctx, const MapReader& m, const std::string& name, std::vector<VmodCall>* calls,
               double* share) {
  if (auto v = m.get(name)) {
    auto items = read_list(ctx, *v);
    if (items.size() > 64) fail(ctx, *v, name + ": at most 64 calls");
    for (const auto& c : items) calls->push_back(parse_method_call(ctx, c));
  }
  if (auto v = m.get(name + "_share")) *share = read_number(ctx, *v, 0.0, 1.0);
}

Traffic parse_generator(const Ctx& ctx, const Field& f, const Scenario& s, std::size_t i) {
  MapReader m(ctx, f, "traffic", {"name", "vcl", "director", "rate", "concurrency", "arrival",
                                  "think_time", "start", "duration", "requests", "hint_again", "keys", "urls", "headers", "request_duration", "vcl_recv",
                                  "vcl_recv_share", "vcl_backend_response", "vcl_backend_response_share"});
  Traffic t;
  t.mark = m.mark();
  t.name = fmt::format("traffic{}", i);
  if (auto v = m.get("name")) t.name = read_name(ctx, *v);
  if (auto v = m.get("vcl")) t.vcl = ref_vcl(ctx, s, *v).name;
  if (auto v = m.get("director")) {
    check_target(ctx, s, *v, t.vcl);
    t.director = read_name(ctx, *v);
  }
  parse_load_shape(ctx, m, t);
  parse_window(ctx, m, s.run, t);
  if (auto v = m.get("requests")) t.requests = read_int(ctx, *v, 1, 100'000'000);
  if (auto v = m.get("hint_again")) t.hint_again_ns = read_duration(ctx, *v, false);
  if (auto v = m.get("keys")) t.keys = parse_keys(ctx, *v);
  if (auto v = m.get("urls")) t.urls = parse_choice(ctx, *v, url_problem);
  if (auto v = m.get("headers")) t.headers = parse_headers(ctx, *v);
  if (auto v = m.get("request_duration")) t.request_duration = parse_distribution(ctx, *v);
  parse_sub(ctx, m, "vcl_recv", &t.vcl_recv, &t.vcl_recv_share);
  parse_sub(ctx, m, "vcl_backend_response", &t.vcl_backend_response, &t.vcl_backend_response_share);
  return t;
}

}  // namespace

std::vector<Traffic> parse_traffic(const Ctx& ctx, const Field& f, const Scenario& s) {
  std::vector<Traffic> out;
  auto items = read_list(ctx, f);
  for (std::size_t i = 0; i < items.size(); ++i) {
    Traffic t = parse_generator(ctx, items[i], s, i);
    for (const auto& seen : out)
      if (seen.name == t.name)
        fail(ctx, t.mark, fmt::format("duplicate traffic name '{}' (first at line {})", t.name,
                                      seen.mark.line));
    out.push_back(std::move(t));
  }
  return out;
}

// The director (or backend) a generator sends to must exist in its vcl, or, without
// `vcl:`, in every vcl that becomes active.
void check_target(const Ctx& ctx, const Scenario& s, const Field& f, const std::string& vcl) {
  const std::string name = read_name(ctx, f);
  std::vector<std::pair<std::string, std::int64_t>> vcls = {{vcl, 0}};
  if (vcl.empty()) vcls = active_vcls(s);
  for (const auto& [vname, at] : vcls) {
    const Vcl& v = *s.find_vcl(vname);
    if (v.find_backend(name) || v.find_director(name)) continue;
    std::vector<std::string> names;
    for (const auto& b : v.backends) names.push_back(b.name);
    for (const auto& d : v.directors) names.push_back(d.name);
    std::string hint = suggest(name, names);
    fail(ctx, f, fmt::format("director: '{}' is not a backend or director of vcl '{}'{}{}", name,
                             vname, at > 0 ? fmt::format(" (active from {})", format_duration(at))
                                           : "", hint.empty() ? "" : "; " + hint));
  }
}

}  // namespace vdisim::scenario::detail
