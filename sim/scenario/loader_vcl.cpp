// Parses `vcls`: backends with probes, directors with options and members, the default
// target. Within one VCL, names are unique across backends and directors, and a member
// may only name a backend or a director declared earlier (vcl_init creation order).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

void parse_probe_counts(const Ctx& ctx, const MapReader& m, ProbeSpec& p) {
  auto w = m.get("window"), t = m.get("threshold"), i = m.get("initial");
  if (w) p.window = static_cast<int>(read_int(ctx, *w, 1, 64));
  if (t) p.threshold = static_cast<int>(read_int(ctx, *t, 1, 64));
  if (t && !w) p.window = std::min(p.threshold + 1, 64);  // what VCC does (E1)
  if (p.threshold > p.window) {
    if (!t)
      fail(ctx, *w, fmt::format("window: {} is smaller than the default threshold {}; set "
                                "threshold too", p.window, p.threshold));
    fail(ctx, *t, fmt::format("threshold: {} is greater than window {}", p.threshold, p.window));
  }
  p.initial = p.threshold - 1;
  if (i) {
    int initial = static_cast<int>(read_int(ctx, *i, 0, 64));
    if (initial > p.window)
      fail(ctx, *i, fmt::format("initial: {} is greater than window {}", initial, p.window));
    p.initial = std::min(initial, p.threshold);  // E1: the runtime clamps it the same way
  }
}

}  // namespace

ProbeSpec parse_probe(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "probe", {"url", "interval", "timeout", "window", "threshold", "initial",
                                "expected_status"});
  ProbeSpec p;
  p.mark = m.mark();
  if (auto v = m.get("url")) {
    p.url = read_string(ctx, *v);
    if (p.url.empty() || p.url[0] != '/')
      fail(ctx, *v, fmt::format("url: must start with '/', got {}", describe(v->node)));
  }
  if (auto v = m.get("interval")) p.interval_ns = read_duration(ctx, *v, true);
  if (auto v = m.get("timeout")) p.timeout_ns = read_duration(ctx, *v, true);
  parse_probe_counts(ctx, m, p);
  if (auto v = m.get("expected_status"))
    p.expected_status = static_cast<int>(read_int(ctx, *v, 100, 599));
  return p;
}

namespace {

BackendDecl parse_backend(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "backend", {"name", "host", "probe", "max_connections"});
  BackendDecl b;
  b.mark = m.mark();
  b.name = read_name(ctx, m.require("name"));
  b.host = read_host_port(ctx, m.require("host"));
  if (auto v = m.get("probe")) b.probe = parse_probe(ctx, *v);
  if (auto v = m.get("max_connections"))
    b.max_connections = static_cast<int>(read_int(ctx, *v, 1, 1'000'000));
  return b;
}

const std::vector<std::string> kTypes = {"round_robin", "fallback", "random",
                                         "hash",        "shard",    "dynamic"};

void parse_director_type(const Ctx& ctx, const Field& f, Director& d) {
  d.type_text = read_string(ctx, f);
  const std::string& t = d.type_text;
  if (t.rfind("mutant:", 0) == 0) {
    d.type = DirectorType::mutant;
    d.mutant_name = t.substr(7);
    bool ok = !d.mutant_name.empty() && d.mutant_name.size() <= 128 &&
              std::all_of(d.mutant_name.begin(), d.mutant_name.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
              });
    if (!ok) fail(ctx, f, fmt::format("type: bad mutant name in '{}' (expected mutant:NAME)", t));
    return;
  }
  auto it = std::find(kTypes.begin(), kTypes.end(), t);
  if (it != kTypes.end()) {
    d.type = static_cast<DirectorType>(it - kTypes.begin());
    return;
  }
  if (vmod_type_shorthand(f, d)) return;  // "mydir.resolver" (loader_vmod.cpp)
  std::string hint = suggest(t, kTypes);
  fail(ctx, f, fmt::format("type: unknown director type '{}'; {}", t,
                           hint.empty() ? "expected " + one_of(kTypes) + " or mutant:NAME"
                                        : hint));
}

struct OptionSpec {
  const char* key;
  DirectorType type;
};
const std::vector<OptionSpec> kOptions = {
    {"sticky", DirectorType::fallback}, {"key", DirectorType::hash},
    {"replicas", DirectorType::shard},  {"by", DirectorType::shard},
    {"warmup", DirectorType::shard},    {"rampup", DirectorType::shard},
    {"resolver", DirectorType::dynamic}, {"ttl", DirectorType::dynamic},
    {"probe", DirectorType::dynamic}};

void apply_option(const Ctx& ctx, const Field& kv, DirectorOptions& o) {
  const std::string& k = kv.key;
  if (k == "sticky") o.sticky = read_bool(ctx, kv);
  if (k == "key") o.hash_key = std::vector<std::string>{"url", "host", "client_identity"}
                      [read_choice(ctx, kv, {"url", "host", "client_identity"})];
  if (k == "replicas") o.replicas = static_cast<int>(read_int(ctx, kv, 1, 1000));
  if (k == "by") o.shard_by = std::vector<std::string>{"hash", "url", "key"}
                     [read_choice(ctx, kv, {"hash", "url", "key"})];
  // directors/shard.c has neither (F8): a value that would change picks is refused.
  if (k == "warmup" && (o.warmup = read_number(ctx, kv, 0, 1)) != 0)
    fail(ctx, kv, "warmup: vdisim's shard director implements no warmup (only 0 is accepted)");
  if (k == "rampup" && (o.rampup_ns = read_duration(ctx, kv, false)) != 0)
    fail(ctx, kv, "rampup: vdisim's shard director implements no rampup (only 0 is accepted)");
  if (k == "resolver") o.resolver = read_name(ctx, kv);
  if (k == "ttl") o.ttl_ns = read_duration(ctx, kv, true);
  if (k == "probe") o.probe = parse_probe(ctx, kv);
}

void parse_options(const Ctx& ctx, const std::optional<Field>& f, Director& d) {
  std::vector<std::string> all;
  for (const auto& o : kOptions) all.push_back(o.key);
  if (f) {
    MapReader m(ctx, *f, "options", {}, true);
    for (const auto& kv : m.fields()) {
      auto spec = std::find_if(kOptions.begin(), kOptions.end(),
                               [&](const OptionSpec& o) { return kv.key == o.key; });
      if (spec == kOptions.end()) {
        std::string hint = suggest(kv.key, all);
        fail(ctx, kv.key_mark, fmt::format("unknown director option '{}'; {}", kv.key,
                                           hint.empty() ? "known options: " + one_of(all) : hint));
      }
      if (d.type != DirectorType::mutant && d.type != DirectorType::vmod && d.type != spec->type)
        fail(ctx, kv.key_mark, fmt::format("option '{}' does not apply to {} directors (it is "
                                           "a {} option)", kv.key, to_string(d.type),
                                           to_string(spec->type)));
      apply_option(ctx, kv, d.options);
      d.options.given[kv.key] = kv.mark();
    }
  }
  if (d.type == DirectorType::dynamic && d.options.resolver.empty())
    fail(ctx, f ? f->mark() : d.mark,
         fmt::format("dynamic director '{}' needs option 'resolver'", d.name));
}

bool takes_weights(DirectorType t) {
  return t != DirectorType::round_robin && t != DirectorType::fallback &&
         t != DirectorType::dynamic;
}

Member parse_member(const Ctx& ctx, const Field& item, const Director& d) {
  Member mem;
  mem.mark = item.mark();
  if (item.node.IsScalar()) {
    mem.name = read_name(ctx, Field{"member", item.key_mark, item.node});
    return mem;
  }
  if (!item.node.IsMap())
    fail(ctx, item, fmt::format("member: expected a name or a map with name and weight, got {}",
                                describe(item.node)));
  MapReader m(ctx, item, "member", {"name", "weight"});
  mem.name = read_name(ctx, m.require("name"));
  if (auto w = m.get("weight")) {
    if (!takes_weights(d.type))
      fail(ctx, *w, fmt::format("weight: {} directors do not use weights", to_string(d.type)));
    mem.weight = read_number(ctx, *w, 0, 1e6);
  }
  return mem;
}

Director parse_director(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "director", {"name", "type", "options", "members", "new", "init", "backend",
                                    "resolver", "update"});
  Director d;
  d.mark = m.mark();
  if (is_vmod_director(m)) {
    parse_vmod_director(ctx, m, d);  // loader_vmod.cpp
  } else {
    reject_vmod_keys(ctx, m);
    d.name = read_name(ctx, m.require("name"));
    parse_director_type(ctx, m.require("type"), d);
    parse_options(ctx, m.get("options"), d);
  }
  auto members = m.get("members");
  if (!members) return d;
  auto items = read_list(ctx, *members);
  if (d.type == DirectorType::dynamic && !items.empty())
    fail(ctx, *members, fmt::format("members: a dynamic director takes no members (its backends "
                                    "come from resolver '{}')", d.options.resolver));
  for (const auto& item : items) d.members.push_back(parse_member(ctx, item, d));
  return d;
}

// Name table of one VCL: every backend and director, for uniqueness and lookups.
struct NameEntry {
  TargetKind kind;
  std::size_t index;
  Mark mark;
};
using NameTable = std::map<std::string, NameEntry>;

void add_name(const Ctx& ctx, NameTable& names, const std::string& vcl, const std::string& name,
              NameEntry e, Mark at) {
  auto [it, fresh] = names.emplace(name, e);
  if (!fresh)
    fail(ctx, at, fmt::format("duplicate name '{}' in vcl '{}' (first at line {})", name, vcl,
                              it->second.mark.line));
}

std::vector<std::string> keys_of(const NameTable& names) {
  std::vector<std::string> out;
  for (const auto& [k, v] : names) out.push_back(k);
  return out;
}

const NameEntry& lookup(const Ctx& ctx, const NameTable& names, const std::string& vcl,
                        const std::string& what, const std::string& name, Mark at) {
  auto it = names.find(name);
  if (it != names.end()) return it->second;
  std::string hint = suggest(name, keys_of(names));
  fail(ctx, at, fmt::format("{} '{}' is not a backend or director of vcl '{}'{}", what, name, vcl,
                            hint.empty() ? "" : "; " + hint));
}

void resolve_members(const Ctx& ctx, const NameTable& names, Vcl& v) {
  for (std::size_t j = 0; j < v.directors.size(); ++j) {
    for (auto& mem : v.directors[j].members) {
      const NameEntry& e = lookup(ctx, names, v.name, "member", mem.name, mem.mark);
      mem.kind = e.kind;
      mem.index = e.index;
      if (e.kind == TargetKind::backend) continue;
      if (e.index == j)
        fail(ctx, mem.mark, fmt::format("member '{}': a director cannot be its own member",
                                        mem.name));
      if (e.index > j)
        fail(ctx, mem.mark, fmt::format("member '{}': director '{}' is declared after '{}' "
                                        "(line {}); directors are created in order, so declare "
                                        "it first", mem.name, mem.name, v.directors[j].name,
                                        e.mark.line));
    }
  }
}

void resolve_default(const Ctx& ctx, const NameTable& names, const std::optional<Field>& f,
                     Vcl& v) {
  Target& t = v.default_target;
  if (f) {
    t.name = read_name(ctx, *f);
    t.mark = f->mark();
    const NameEntry& e = lookup(ctx, names, v.name, "default", t.name, t.mark);
    t.kind = e.kind;
    t.index = e.index;
  } else if (!v.directors.empty()) {
    t = Target{{}, v.directors.back().name, TargetKind::director, v.directors.size() - 1, {}};
  } else if (!v.backends.empty()) {
    t = Target{{}, v.backends.front().name, TargetKind::backend, 0, {}};
  } else {
    fail(ctx, v.mark, fmt::format("vcl '{}' declares no backends and no directors", v.name));
  }
}

void parse_expect_events(const Ctx& ctx, const MapReader& m, Vcl& v) {
  if (auto e = m.get("expect_events"))
    for (const auto& item : read_list(ctx, *e))
      v.expect_events.push_back(static_cast<VclEvent>(read_choice(
          ctx, Field{"expect_events", item.key_mark, item.node},
          {"load", "warm", "cold", "discard"})));
}

Vcl parse_vcl(const Ctx& ctx, const Field& f) {
  MapReader m(ctx, f, "vcl", {"name", "file", "backends", "directors", "default", "expect_events"});
  Vcl v;
  v.mark = m.mark();
  v.name = read_name(ctx, m.require("name"));
  parse_expect_events(ctx, m, v);
  if (auto file = m.get("file")) {  // the VCL is a .vcl file (vcl_reader.hpp)
    for (const char* k : {"backends", "directors", "default"})
      if (auto other = m.get(k))
        fail(ctx, other->key_mark, fmt::format("'{}' does not go with 'file' (the VCL file declares it)", k));
    read_vcl_file(ctx, *file, v);
    return v;
  }
  NameTable names;
  if (auto b = m.get("backends"))
    for (const auto& item : read_list(ctx, *b)) {
      v.backends.push_back(parse_backend(ctx, item));
      const BackendDecl& be = v.backends.back();
      add_name(ctx, names, v.name, be.name, {TargetKind::backend, v.backends.size() - 1, be.mark},
               be.mark);
    }
  if (auto d = m.get("directors"))
    for (const auto& item : read_list(ctx, *d)) {
      v.directors.push_back(parse_director(ctx, item));
      const Director& di = v.directors.back();
      add_name(ctx, names, v.name, di.name,
               {TargetKind::director, v.directors.size() - 1, di.mark}, di.mark);
    }
  resolve_members(ctx, names, v);
  check_vmod_objects(ctx, v);
  resolve_default(ctx, names, m.get("default"), v);
  return v;
}

}  // namespace

std::string add_runtime_object(const Ctx& ctx, const Field& f, Vcl& v, bool backend) {
  std::string name;
  Mark at;
  if (backend) {
    BackendDecl b = parse_backend(ctx, f);
    b.made_at_runtime = true;
    name = b.name;
    at = b.mark;
    if (!v.find_backend(name) && !v.find_director(name)) v.backends.push_back(std::move(b));
  } else {
    Director d = parse_director(ctx, f);
    if (!d.members.empty())
      fail(ctx, d.members.front().mark, fmt::format("members: '{}' is made at run time; it gets members by "
                                                    "`call: {}.add_backend(...)`", d.name, d.name));
    d.made_at_runtime = true;
    name = d.name;
    at = d.mark;
    if (const Director* was = v.find_director(name); was && was->type_text != d.type_text)
      fail(ctx, at, fmt::format("new: '{}' was made as a {} before; an object keeps its type", name, was->type_text));
    if (!v.find_backend(name) && !v.find_director(name)) v.directors.push_back(std::move(d));
    check_vmod_objects(ctx, v);
  }
  // The same name made again (in another load of the VCL) is the same object, if it is one.
  const BackendDecl* b = v.find_backend(name);
  const Director* d = v.find_director(name);
  if ((backend && (!b || !b->made_at_runtime)) || (!backend && (!d || !d->made_at_runtime)))
    fail(ctx, at, fmt::format("duplicate name '{}' in vcl '{}': an object made at run time needs a name of its own",
                              name, v.name));
  return name;
}

std::vector<Vcl> parse_vcls(const Ctx& ctx, const Field& f) {
  std::vector<Vcl> out;
  auto items = read_list(ctx, f);
  if (items.empty()) fail(ctx, f, "vcls: at least one vcl is required");
  for (const auto& item : items) {
    Vcl v = parse_vcl(ctx, item);
    for (const auto& seen : out)
      if (seen.name == v.name)
        fail(ctx, v.mark, fmt::format("duplicate vcl name '{}' (first at line {})", v.name,
                                      seen.mark.line));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace vdisim::scenario::detail
