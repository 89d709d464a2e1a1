// Cross-section checks of the scenario loader: names that must exist in another
// section (vcls, resolvers, servers); the VCL lifecycle is vcl_lifecycle.cpp's.
// Errors point at the referring node and suggest the closest defined name.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <utility>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

std::string hint_suffix(std::string_view word, const std::vector<std::string>& names) {
  std::string h = suggest(word, names);
  return h.empty() ? "" : "; " + h;
}

std::vector<std::string> resolver_names(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& r : s.resolvers) out.push_back(r.name);
  return out;
}

[[noreturn]] void unknown_resolver(const Ctx& ctx, const Scenario& s, Mark at,
                                   const std::string& name) {
  if (s.resolvers.empty())
    fail(ctx, at, fmt::format("resolver: unknown resolver '{}' (no resolvers are defined)", name));
  fail(ctx, at, fmt::format("resolver: unknown resolver '{}'{}", name,
                            hint_suffix(name, resolver_names(s))));
}

bool known_host(const Scenario& s, const std::string& host) {
  for (const auto& v : s.vcls)
    for (const auto& b : v.backends)
      if (!b.none && b.host == host) return true;
  for (const auto& r : s.resolvers)
    for (const auto& a : r.answers)
      if (std::find(a.hosts.begin(), a.hosts.end(), host) != a.hosts.end()) return true;
  for (const auto& op : s.timeline)
    if ((op.kind == OpKind::backend_add && op.backend == host) ||
        std::find(op.answer.begin(), op.answer.end(), host) != op.answer.end())
      return true;
  return false;
}

bool glob(const std::string& pattern, const std::string& name) {
  return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

bool has_dynamic_director(const Scenario& s) {
  for (const auto& v : s.vcls)
    for (const auto& d : v.directors)
      if (d.type == DirectorType::dynamic || d.type == DirectorType::mutant || !d.options.resolver.empty())
        return true;
  return false;
}

void check_health_pattern(const Ctx& ctx, const Scenario& s, const std::string& pat, Mark at) {
  auto dot = pat.find('.');
  std::string vpat = dot == std::string::npos ? "*" : pat.substr(0, dot);
  std::string bpat = dot == std::string::npos ? pat : pat.substr(dot + 1);
  for (const auto& v : s.vcls) {
    for (const auto& b : v.backends)
      if (glob(vpat, v.name) && glob(bpat, b.name)) return;
    for (const auto& d : v.directors)  // varnishd's pattern matches every director (VCL_IterDirector)
      if (glob(vpat, v.name) && glob(bpat, d.name)) return;
  }
  if (has_dynamic_director(s)) return;  // may match backends a dynamic director creates
  fail(ctx, at, fmt::format("backend: pattern '{}' matches no backend or director", pat));
}

void check_dynamic_ref(const Ctx& ctx, const Scenario& s, const TimelineOp& op, Mark at) {
  if (!op.vcl.empty()) ref_vcl(ctx, s, Field{"director", at, YNode(op.vcl)});
  const Director* found = nullptr;
  for (const auto& v : s.vcls) {
    if (!op.vcl.empty() && v.name != op.vcl) continue;
    const Director* d = v.find_director(op.director);
    if (d && (!found || d->type == DirectorType::dynamic || d->type == DirectorType::mutant ||
              !d->options.resolver.empty()))  // a vmod object fed by a resolver
      found = d;
  }
  std::string where = op.vcl.empty() ? "no vcl has" : fmt::format("vcl '{}' has no", op.vcl);
  if (!found) fail(ctx, at, fmt::format("director: {} director '{}'", where, op.director));
  if (found->type != DirectorType::dynamic && found->type != DirectorType::mutant &&
      found->options.resolver.empty())
    fail(ctx, at, fmt::format("director: '{}' is a {} director; {} needs a dynamic one",
                              op.director, to_string(found->type), to_string(op.kind)));
}

Mark arg_mark(const ArgMarks& marks, const char* key, Mark fallback) {
  auto it = marks.find(key);
  return it == marks.end() ? fallback : it->second;
}

}  // namespace

void check_director_resolvers(const Ctx& ctx, const Scenario& s) {
  for (const auto& v : s.vcls)
    for (const auto& d : v.directors) {
      if (d.options.resolver.empty() || s.find_resolver(d.options.resolver)) continue;
      auto it = d.options.given.find("resolver");
      unknown_resolver(ctx, s, it == d.options.given.end() ? d.mark : it->second,
                       d.options.resolver);
    }
}

const Vcl& ref_vcl(const Ctx& ctx, const Scenario& s, const Field& f) {
  std::string name = read_name(ctx, f);
  if (const Vcl* v = s.find_vcl(name)) return *v;
  std::vector<std::string> names;
  for (const auto& v : s.vcls) names.push_back(v.name);
  fail(ctx, f, fmt::format("{}: unknown vcl '{}'{}", f.key, name, hint_suffix(name, names)));
}

Vcl& ref_vcl(const Ctx& ctx, Scenario& s, const Field& f) {
  return const_cast<Vcl&>(ref_vcl(ctx, std::as_const(s), f));  // s is not const here
}

std::string ref_server(const Ctx& ctx, const Scenario& s, const Field& f) {
  const std::string key = read_string(ctx, f);
  if (key.find(':') != std::string::npos) {
    std::string why = host_port_problem(key);
    if (!why.empty()) fail(ctx, f, fmt::format("{}: bad address '{}': {}", f.key, key, why));
    if (!known_host(s, key))
      fail(ctx, f, fmt::format("{}: no backend, resolver answer or backend.add uses address '{}'",
                               f.key, key));
    return key;
  }
  std::vector<std::string> names;
  const BackendDecl* first = nullptr;
  const Vcl* first_vcl = nullptr;
  for (const auto& v : s.vcls)
    for (const auto& b : v.backends) {
      names.push_back(b.name);
      if (b.name != key) continue;
      if (first && first->host != b.host)
        fail(ctx, f, fmt::format("{}: backend '{}' is {} in vcl '{}' but {} in vcl '{}'; use "
                                 "host:port as the key", f.key, key, first->host,
                                 first_vcl->name, b.host, v.name));
      if (!first) first = &b, first_vcl = &v;
    }
  if (!first)
    fail(ctx, f, fmt::format("{}: unknown backend '{}'{}", f.key, key, hint_suffix(key, names)));
  if (first->none) fail(ctx, f, fmt::format("{}: backend '{}' is 'none' in vcl '{}': it has no server", f.key, key,
                                           first_vcl->name));
  return first->host;
}

void check_timeline_op(const Ctx& ctx, const Scenario& s, VclStates& st, TimelineOp& op,
                       const ArgMarks& marks) {
  switch (op.kind) {
    case OpKind::vcl_load: case OpKind::vcl_use: case OpKind::vcl_state: case OpKind::vcl_discard:
    case OpKind::vcl_label:
      check_vcl_op(ctx, s, st, op, marks);
      break;
    case OpKind::backend_set_health:
      check_health_pattern(ctx, s, op.backend, arg_mark(marks, "backend", op.mark));
      break;
    case OpKind::backend_add: case OpKind::backend_remove:
      check_dynamic_ref(ctx, s, op, arg_mark(marks, "director", op.mark));
      break;
    case OpKind::resolver_answer:
      if (!s.find_resolver(op.resolver))
        unknown_resolver(ctx, s, arg_mark(marks, "resolver", op.mark), op.resolver);
      break;
    case OpKind::backend_list: break;  // a pattern that matches nothing lists nothing
    case OpKind::vcl_list: break;
    case OpKind::vcl_show: {  // varnishd: 106 "No VCL named" (a discard may still wait: cli_errors)
      bool known = std::count(st.loaded.begin(), st.loaded.end(), op.vcl) > 0 ||
                   std::count(st.labels.begin(), st.labels.end(), op.vcl) > 0;
      if (!known)
        fail(ctx, arg_mark(marks, "vcl", op.mark),
             fmt::format("vcl: no VCL or label named '{}' at {}", op.vcl, format_duration(op.at_ns)));
      break;
    }
    case OpKind::object_new: case OpKind::object_fini: case OpKind::backend_new: case OpKind::backend_delete:
    case OpKind::request:
    case OpKind::vmod_call:  // the object and its signature: runner::vmod::check_scenario
      if (!op.vcl.empty() && std::find(st.loaded.begin(), st.loaded.end(), op.vcl) == st.loaded.end())
        fail(ctx, arg_mark(marks, "vcl", op.mark),
             fmt::format("vcl: vcl '{}' is not loaded at {}", op.vcl, format_duration(op.at_ns)));
      break;
  }
}

}  // namespace vdisim::scenario::detail
