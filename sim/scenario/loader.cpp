// Scenario loader entry points and the small sections (run, expect, runtime).
// Parsing order is fixed (run first: other sections check times against its duration),
// so the first error reported for a file does not depend on the order of its keys.
#include "sim/scenario/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>

#include "sim/scenario/durations.hpp"
#include "sim/seed_range.hpp"
#include "sim/strategy_spec.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario {

namespace {
std::string format_what(const std::string& file, int line, int col, const std::string& msg) {
  if (line <= 0) return fmt::format("{}: {}", file, msg);
  return fmt::format("{}:{}:{}: {}", file, line, col, msg);
}
}  // namespace

LoadError::LoadError(std::string file_, int line_, int col_, std::string message_)
    : std::runtime_error(format_what(file_, line_, col_, message_)),
      file(std::move(file_)), line(line_), col(col_), message(std::move(message_)) {}

namespace detail {
namespace {

constexpr std::int64_t kI64Max = std::numeric_limits<std::int64_t>::max();

// The core's parser (sim/seed_range.hpp), with its limit.
void parse_seeds(const Ctx& ctx, const Field& f, RunSpec& r) {
  try {
    sim::SeedRange range = sim::SeedRange::parse(read_string(ctx, f));
    r.seed_first = range.first;
    r.seed_last = range.last;
  } catch (const std::invalid_argument& e) {
    fail(ctx, f, fmt::format("seeds: {}", e.what()));
  }
}

// The core's parser (sim/strategy_spec.hpp), with its limits; the replay file is read by
// simrun, relative to the scenario.
void parse_strategy(const Ctx& ctx, const Field& f, RunSpec& r) {
  std::string s = read_string(ctx, f);
  sim::StrategySpec spec;
  try {
    spec = sim::StrategySpec::parse(s, /*load=*/false);
  } catch (const std::invalid_argument& e) {
    std::string hint = suggest(s.substr(0, s.find(':')), {"random", "pct", "pos", "portfolio", "dfs", "replay"});
    bool unknown = std::string_view(e.what()).starts_with("unknown strategy");
    if (unknown && !hint.empty()) fail(ctx, f, fmt::format("strategy: unknown strategy '{}'; {}", s, hint));
    fail(ctx, f, fmt::format("strategy: {}", e.what()));
  }
  using K = sim::StrategySpec::Kind;
  r.strategy = spec.kind == K::Pct         ? RunSpec::Strategy::pct
               : spec.kind == K::Pos       ? RunSpec::Strategy::pos
               : spec.kind == K::Portfolio ? RunSpec::Strategy::portfolio
               : spec.kind == K::Replay ? RunSpec::Strategy::replay
                                        : RunSpec::Strategy::random;
  r.pct_depth = spec.depth;
  r.replay_file = spec.replay_file;
  r.strategy_text = spec.to_string();
}

void check_rule_id(const Ctx& ctx, const Field& f, const std::string& id) {
  bool ok = !id.empty() && id.size() <= 64 && id[0] >= 'A' && id[0] <= 'Z';
  for (char c : id) ok = ok && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    fail(ctx, f, fmt::format("failure: bad rule id '{}' (expected an id such as A5 or "
                             "DEADLOCK)", id));
}

void parse_share(const Ctx& ctx, const Field& f, const Scenario& s, Expect& e) {
  MapReader m(ctx, f, "expect.share", {}, true);
  double min_sum = 0;
  for (const auto& kv : m.fields()) {
    auto items = read_list(ctx, kv);
    if (items.size() != 2 || !kv.node.IsSequence())
      fail(ctx, kv, fmt::format("{}: expected [min, max], got {}", kv.key, describe(kv.node)));
    ShareRange r{kv.key_mark, kv.key, "", read_number(ctx, items[0], 0, 1),
                 read_number(ctx, items[1], 0, 1)};
    if (r.min > r.max)
      fail(ctx, kv, fmt::format("{}: min {} is greater than max {}", kv.key, r.min, r.max));
    r.host = ref_server(ctx, s, Field{"share", kv.key_mark, YNode(kv.key)});
    for (const auto& seen : e.share)
      if (seen.host == r.host)
        fail(ctx, kv.key_mark, fmt::format("share: '{}' and '{}' (line {}) are the same server "
                                           "{}", kv.key, seen.key, seen.mark.line, r.host));
    min_sum += r.min;
    e.share.push_back(r);
  }
  if (min_sum > 1.0 + 1e-9)
    fail(ctx, f, fmt::format("share: the minimums add up to {}, more than 1", min_sum));
}

// The first vcl.discard of `vcl` in the timeline, if any.
const TimelineOp* first_discard(const Scenario& s, const std::string& vcl) {
  for (const auto& op : s.timeline)
    if (op.kind == OpKind::vcl_discard &&
        std::find(op.discard.begin(), op.discard.end(), vcl) != op.discard.end())
      return &op;
  return nullptr;
}

void parse_discarded_by(const Ctx& ctx, const Field& f, const Scenario& s, Expect& e) {
  MapReader m(ctx, f, "expect.discarded_by", {}, true);
  for (const auto& kv : m.fields()) {
    const Vcl& v = ref_vcl(ctx, s, Field{"discarded_by", kv.key_mark, YNode(kv.key)});
    std::int64_t by = read_duration(ctx, kv, false);
    if (by > s.run.duration_ns)
      fail(ctx, kv, fmt::format("{}: {} is after the end of the run (run.duration {})", kv.key,
                                format_duration(by), format_duration(s.run.duration_ns)));
    const TimelineOp* d = first_discard(s, v.name);
    if (!d)
      fail(ctx, kv.key_mark, fmt::format("discarded_by: the timeline never discards vcl '{}'",
                                         v.name));
    if (d->at_ns > by)
      fail(ctx, kv, fmt::format("{}: vcl '{}' is only discarded at {} (line {})", kv.key, v.name,
                                format_duration(d->at_ns), d->mark.line));
    e.discarded_by.push_back(DiscardDeadline{kv.key_mark, kv.key, by});
  }
}

}  // namespace

std::int64_t read_time_in_run(const Ctx& ctx, const Field& f, const RunSpec& run) {
  std::int64_t t = read_duration(ctx, f, false);
  if (t >= run.duration_ns)
    fail(ctx, f, fmt::format("{}: {} is not before the end of the run (run.duration {})", f.key,
                             format_duration(t), format_duration(run.duration_ns)));
  return t;
}

RunSpec parse_run(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "run", {"duration", "seeds", "strategy", "pct_steps", "step_budget",
                              "max_trace_events", "teardown", "quiescent"});
  RunSpec r;
  r.mark = m.mark();
  r.duration_ns = read_duration(ctx, m.require("duration"), true);
  if (auto s = m.get("seeds")) parse_seeds(ctx, *s, r);
  if (auto s = m.get("strategy")) parse_strategy(ctx, *s, r);
  if (auto s = m.get("pct_steps")) {
    if (r.strategy != RunSpec::Strategy::pct && r.strategy != RunSpec::Strategy::portfolio)
      fail(ctx, s->key_mark, "pct_steps: only valid with strategy pct or portfolio");
    r.pct_steps = read_int(ctx, *s, 1, kI64Max);
  }
  if (auto s = m.get("step_budget")) r.step_budget = read_int(ctx, *s, 1, kI64Max);
  if (auto s = m.get("max_trace_events")) r.max_trace_events = read_int(ctx, *s, 1, kI64Max);
  if (auto s = m.get("teardown")) r.teardown = read_bool(ctx, *s);
  if (auto s = m.get("quiescent"))
    for (const auto& item : read_list(ctx, *s)) {
      Field at{"quiescent", item.key_mark, item.node};
      std::int64_t t = read_time_in_run(ctx, at, r);
      if (!r.quiescent_ns.empty() && t <= r.quiescent_ns.back())
        fail(ctx, at, fmt::format("quiescent: {} is not after {} (the times go up)", format_duration(t),
                                  format_duration(r.quiescent_ns.back())));
      r.quiescent_ns.push_back(t);
    }
  return r;
}

Expect parse_expect(const Ctx& ctx, const Field& f, const Scenario& s) {
  MapReader m(ctx, f, "expect", {"invariants", "share", "max_sick_requests", "discarded_by",
                                 "all_directors_destroyed", "no_deadlock", "failure"});
  Expect e;
  e.mark = m.mark();
  if (auto r = m.get("failure")) {
    for (const auto& other : m.fields())
      if (other.key != "failure")
        fail(ctx, other.key_mark, fmt::format("expect: '{}' cannot be combined with 'failure' "
                                              "(a scenario that must fail checks nothing else)",
                                              other.key));
    e.failure = read_string(ctx, *r);
    e.failure_mark = r->mark();
    check_rule_id(ctx, *r, *e.failure);
    return e;
  }
  if (auto v = m.get("invariants")) e.invariants = read_bool(ctx, *v);
  if (auto v = m.get("share")) parse_share(ctx, *v, s, e);
  if (auto v = m.get("max_sick_requests")) e.max_sick_requests = read_int(ctx, *v, 0, kI64Max);
  if (auto v = m.get("discarded_by")) parse_discarded_by(ctx, *v, s, e);
  if (auto v = m.get("all_directors_destroyed")) e.all_directors_destroyed = read_bool(ctx, *v);
  if (auto v = m.get("no_deadlock")) e.no_deadlock = read_bool(ctx, *v);
  return e;
}

Runtime parse_runtime(const Ctx& ctx, const Field& f) {
  static const std::vector<std::string> kNames = {
      "assign_deref_first", "delete_asserts_sole_ref", "vmod_cold_before_directors",
      "add_director_blocks_when_cooling"};
  MapReader m(ctx, f, "runtime", {"regressions"});
  Runtime rt;
  rt.mark = m.mark();
  auto list = m.get("regressions");
  if (!list) return rt;
  for (const auto& item : read_list(ctx, *list)) {
    Field named{"regressions", item.key_mark, item.node};
    std::size_t i = read_choice(ctx, named, kNames);
    for (const auto& seen : rt.regressions)
      if (seen.name == kNames[i])
        fail(ctx, item, fmt::format("regressions: '{}' is listed twice", kNames[i]));
    rt.regressions.push_back({item.mark(), static_cast<Regression>(i), kNames[i]});
  }
  return rt;
}

namespace {

// `vmods: [path/libvmod_NAME.so, ...]`: each relative to the scenario's directory (as
// `import NAME from "path"` in a VCL file); it must exist now. simrun loads them.
std::vector<VmodFile> parse_vmods(const Ctx& ctx, const Field& f) {
  namespace fs = std::filesystem;
  std::vector<VmodFile> out;
  for (const auto& item : read_list(ctx, f)) {
    VmodFile v{item.mark(), read_string(ctx, item), "", ""};
    if (v.text.empty()) fail(ctx, item, "vmods: empty path (expected path/libvmod_NAME.so)");
    fs::path p(v.text);
    if (p.is_relative()) p = fs::path(ctx.file).parent_path() / p;
    v.path = p.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(v.path, ec))
      fail(ctx, item, fmt::format("vmods: no such file '{}'{}", v.path,
                                  v.text == v.path ? "" : " (relative to the scenario file)"));
    for (const auto& seen : out)
      if (seen.path == v.path)
        fail(ctx, item, fmt::format("vmods: '{}' is listed twice (line {})", v.text, seen.mark.line));
    out.push_back(v);
  }
  return out;
}

// `import NAME from "PATH"` in a VCL file loads the vmod as a `vmods:` entry does (once
// per file, after the scenario's own).
void add_vcl_imports(Scenario& s) {
  for (const auto& v : s.vcls)
    for (const auto& imp : v.imports) {
      if (imp.path.empty()) continue;
      bool seen = false;
      for (const auto& f : s.vmods) seen = seen || f.path == imp.path;
      if (!seen) s.vmods.push_back(VmodFile{imp.mark, imp.path, imp.path, v.file_of(imp.mark)});
    }
}

// Regression switches turn known Varnish bugs back on; they must never be reachable
// except through the explicit `runtime.regressions` key (BUG_ZOO.md).
void reject_stray_regressions(const Ctx& ctx, const YNode& root) {
  if (!root.IsMap()) return;
  for (const auto& [key, value] : root.pairs())
    if (key.IsScalar() && key.Scalar() == "regressions")
      fail(ctx, mark_of(key), "unknown key 'regressions' in the scenario; regression "
                                    "switches are only accepted under runtime.regressions");
}

Scenario parse_scenario(const Ctx& ctx, const YNode& root) {
  reject_stray_regressions(ctx, root);
  Field top_field{"scenario", {1, 1}, root};
  MapReader top(ctx, top_field, "the scenario",
                {"version", "name", "description", "vcls", "backends", "resolvers", "dns",
                 "traffic", "timeline", "cli_poll", "run", "expect", "runtime", "vmods"});
  Scenario s;
  s.mark = top.mark();
  s.file = ctx.file;
  if (auto v = top.get("version")) s.version = static_cast<int>(read_int(ctx, *v, 1, 1));
  s.name = std::filesystem::path(ctx.file).stem().string();
  if (auto v = top.get("name")) s.name = read_string(ctx, *v);
  if (auto v = top.get("description")) s.description = read_string(ctx, *v);
  s.run = parse_run(ctx, top.require("run"));
  if (auto v = top.get("vmods")) s.vmods = parse_vmods(ctx, *v);
  if (auto v = top.get("resolvers")) s.resolvers = parse_resolvers(ctx, *v, s.run);
  if (auto v = top.get("dns")) s.dns = parse_dns(ctx, *v, s.run);
  s.vcls = parse_vcls(ctx, top.require("vcls"));
  check_first_vcl(ctx, s);
  if (auto v = top.get("timeline")) s.timeline = parse_timeline(ctx, *v, s);
  add_vcl_imports(s);  // after the timeline: vcl.inline adds VCLs
  check_director_resolvers(ctx, s);
  if (auto v = top.get("cli_poll")) s.cli_polls = parse_cli_polls(ctx, *v, s);
  if (auto v = top.get("backends")) s.behaviors = parse_behaviors(ctx, *v, s);
  if (auto v = top.get("traffic")) s.traffic = parse_traffic(ctx, *v, s);
  if (auto v = top.get("expect")) s.expect = parse_expect(ctx, *v, s);
  if (auto v = top.get("runtime")) s.runtime = parse_runtime(ctx, *v);
  return s;
}

Scenario parse_documents(const Ctx& ctx, std::string_view text) {
  if (text.size() > kMaxScenarioFileBytes)
    fail(ctx, Mark{1, 1}, fmt::format("scenario file larger than {} bytes", kMaxScenarioFileBytes));
  YNode root = parse_yaml(ctx, text);
  if (!root.IsDefined() || root.IsNull())
    fail(ctx, Mark{1, 1}, "empty scenario: expected a map with at least 'vcls' and 'run'");
  return parse_scenario(ctx, root);
}

}  // namespace

std::optional<std::string> read_file_prefix(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // By chunks, as far as one byte past the limit (the caller's sign of a file too big): a
  // buffer of the limit's size made zero first cost every load 4 MiB of page faults.
  std::string out;
  char chunk[64 * 1024];
  while (out.size() <= max_bytes) {
    const std::size_t want = std::min(sizeof chunk, max_bytes + 1 - out.size());
    in.read(chunk, static_cast<std::streamsize>(want));
    if (in.bad()) return std::nullopt;
    out.append(chunk, static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::size_t>(in.gcount()) < want) break;  // its end
  }
  return out;
}
}  // namespace detail

Scenario load_string(std::string_view text, std::string filename) {
  detail::Ctx ctx{std::move(filename)};
  try {
    return detail::parse_documents(ctx, text);
  } catch (const LoadError&) {
    throw;
  } catch (const std::exception& e) {
    throw LoadError(ctx.file, 1, 1, std::string("cannot load scenario: ") + e.what());
  }
}

Scenario load_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw LoadError(path, 0, 0, "cannot read scenario file: is a directory");
  auto text = detail::read_file_prefix(path, detail::kMaxScenarioFileBytes);
  if (!text) throw LoadError(path, 0, 0, "cannot open scenario file");
  return load_string(*text, path);
}

}  // namespace vdisim::scenario
