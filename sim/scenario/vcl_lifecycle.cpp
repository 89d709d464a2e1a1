// The VCL lifecycle the timeline drives, checked op by op in time order as varnishd's
// manager would refuse it: loads, vcl.use, vcl.state, vcl.discard (names and globs) and
// labels (docs/cli-rules.md, L1..L6). A refusal is a LoadError at the op's argument.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void erase(std::vector<std::string>& v, const std::string& x) {
  v.erase(std::remove(v.begin(), v.end(), x), v.end());
}

bool is_label(const VclStates& st, const std::string& name) { return has(st.labels, name); }

// The label pointing at `vcl`, or "" (the first in creation order when there are several).
std::string label_of(const VclStates& st, const std::string& vcl) {
  for (const auto& [from, to] : st.deps)
    if (to == vcl && is_label(st, from)) return from;
  return "";
}

// Whether `to` is reached from `from` over the dependencies (label -> VCL -> label ...).
bool reaches(const VclStates& st, const std::string& from, const std::string& to, int depth = 0) {
  if (from == to) return true;
  if (depth > 64) return false;  // names are finite; a bound all the same
  for (const auto& [f, t] : st.deps)
    if (f == from && reaches(st, t, to, depth + 1)) return true;
  return false;
}

// L3: vcl.use and vcl.label warm the VCL they name, which its state must allow.
void require_warm(const Ctx& ctx, const VclStates& st, const std::string& vcl, const char* op, Mark at) {
  if (has(st.cold, vcl))
    fail(ctx, at, fmt::format("{}: vcl '{}' is cold; set it auto or warm first (vcl.state {} auto)", op, vcl, vcl));
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  for (std::size_t b = 0; b < text.size();) {
    std::size_t e = text.find(' ', b);
    if (e == std::string::npos) e = text.size();
    if (e > b) out.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// L4: a VCL or label goes only with everything that depends on it (the labels pointing
// at a VCL, the VCLs switching to a label) in the same command.
void check_dependents(const Ctx& ctx, const VclStates& st, const std::vector<std::string>& marked, Mark at) {
  for (const auto& m : marked)
    for (const auto& [from, to] : st.deps) {
      if (to != m || has(marked, from)) continue;
      if (is_label(st, m))
        fail(ctx, at, fmt::format("vcl.discard: cannot discard label '{}': vcl '{}' switches to it; discard that "
                                  "vcl too", m, from));
      fail(ctx, at, fmt::format("vcl.discard: cannot discard vcl '{}': label '{}' points at it; discard or "
                                "repoint the label first", m, from));
    }
}

// The discard order: as varnishd, whatever depends on a name goes right before it.
void discard_in_order(const VclStates& st, const std::string& name, std::vector<std::string>& out, int depth = 0) {
  if (has(out, name) || depth > 64) return;
  for (const auto& [from, to] : st.deps)
    if (to == name) discard_in_order(st, from, out, depth + 1);
  out.push_back(name);
}

// vcl.discard NAME|GLOB...: as varnishadm, every pattern must match a loaded VCL or a
// label and none the active one; all the matched ones are discarded.
void check_discard(const Ctx& ctx, VclStates& st, TimelineOp& op, Mark at) {
  std::vector<std::string> names = st.loaded, marked;
  names.insert(names.end(), st.labels.begin(), st.labels.end());
  for (const auto& p : split_words(op.vcl)) {
    bool any = false;
    for (const auto& v : names) {
      if (fnmatch(p.c_str(), v.c_str(), 0) != 0) continue;
      any = true;
      if (v == st.active)
        fail(ctx, at, fmt::format("vcl.discard: cannot discard the active vcl '{}'; vcl.use another one first", v));
      if (!has(marked, v)) marked.push_back(v);
    }
    if (!any)
      fail(ctx, at, fmt::format("vcl.discard: no loaded vcl matches '{}' at {}", p, format_duration(op.at_ns)));
  }
  check_dependents(ctx, st, marked, at);
  for (const auto& m : marked) discard_in_order(st, m, op.discard);
  for (const auto& m : op.discard) {
    erase(st.loaded, m);
    erase(st.labels, m);
    erase(st.cold, m);
    std::erase_if(st.deps, [&](const auto& d) { return d.first == m; });
  }
}

// vcl.label LABEL VCL (L1..L3): creates the label or repoints it; its reference moves.
void check_label(const Ctx& ctx, const Scenario& s, VclStates& st, const TimelineOp& op, Mark label_at,
                 Mark vcl_at) {
  if (has(st.loaded, op.label))
    fail(ctx, label_at, fmt::format("vcl.label: '{}' is a vcl, not a label", op.label));
  if (is_label(st, op.vcl))
    fail(ctx, vcl_at, fmt::format("vcl.label: '{}' is a label; a label points at a vcl, never at a label",
                                  op.vcl));
  ref_vcl(ctx, s, Field{"vcl", vcl_at, YNode(op.vcl)});
  if (!has(st.loaded, op.vcl))
    fail(ctx, vcl_at, fmt::format("vcl.label: vcl '{}' is not loaded at {}", op.vcl, format_duration(op.at_ns)));
  if (is_label(st, op.label) && reaches(st, op.vcl, op.label))
    fail(ctx, vcl_at, fmt::format("vcl.label: pointing label '{}' at '{}' would make a loop ('{}' switches "
                                  "to it)", op.label, op.vcl, op.vcl));
  require_warm(ctx, st, op.vcl, "vcl.label", vcl_at);
  std::erase_if(st.deps, [&](const auto& d) { return d.first == op.label; });
  if (!is_label(st, op.label)) st.labels.push_back(op.label);
  st.deps.emplace_back(op.label, op.vcl);
}

// The `return (vcl(LABEL))` selections of a VCL file, in file order.
std::vector<const Target*> label_targets(const Vcl& v) {
  std::vector<const Target*> out;
  if (!v.default_target.label.empty()) out.push_back(&v.default_target);
  for (const auto& r : v.routes)
    if (!r.target.label.empty()) out.push_back(&r.target);
  return out;
}

std::string vcl_place(const Ctx& ctx, const Vcl& v, Mark m) {
  std::string file = std::filesystem::path(v.file.empty() ? ctx.file : v.file_of(m)).filename().string();
  return fmt::format("{}:{}:{}", file, m.line, m.col);
}

// L6: as VCC compiles vcl(LABEL), the label exists when the VCL loads; the VCL then
// depends on it (it cannot go while the VCL is loaded, L4; a repoint may not loop, L2).
void load_label_deps(const Ctx& ctx, const Scenario& s, VclStates& st, const TimelineOp& op, Mark at) {
  const Vcl& v = *s.find_vcl(op.vcl);
  for (const Target* t : label_targets(v)) {
    if (!is_label(st, t->label))
      fail(ctx, at, fmt::format("vcl.load: vcl '{}' switches to label '{}' ({}), which does not exist at {}; "
                                "vcl.label it first", op.vcl, t->label, vcl_place(ctx, v, t->mark),
                                format_duration(op.at_ns)));
    if (std::find(st.deps.begin(), st.deps.end(), std::pair{op.vcl, t->label}) == st.deps.end())
      st.deps.emplace_back(op.vcl, t->label);
  }
}

// vcl.use / vcl.state / vcl.load on a name that is a label (L1, L5, L6).
void check_label_op(const Ctx& ctx, VclStates& st, const TimelineOp& op, Mark at) {
  switch (op.kind) {
    case OpKind::vcl_load:
      fail(ctx, at, fmt::format("vcl.load: '{}' is already a label (labels and vcls share one name space)",
                                op.vcl));
    case OpKind::vcl_state:
      fail(ctx, at, fmt::format("vcl.state: '{}' is a label; labels are always warm", op.vcl));
    case OpKind::vcl_use: st.active = op.vcl; break;  // labels are warm: nothing to require
    default: break;
  }
}

}  // namespace

void check_vcl_op(const Ctx& ctx, const Scenario& s, VclStates& st, TimelineOp& op, const ArgMarks& marks) {
  auto mark = [&](const char* key) {
    auto it = marks.find(key);
    return it == marks.end() ? op.mark : it->second;
  };
  Mark at = mark("vcl");
  if (op.kind == OpKind::vcl_discard) return check_discard(ctx, st, op, at);
  if (op.kind == OpKind::vcl_label) return check_label(ctx, s, st, op, mark("label"), at);
  if (is_label(st, op.vcl)) return check_label_op(ctx, st, op, at);
  const char* name = to_string(op.kind);
  ref_vcl(ctx, s, Field{"vcl", at, YNode(op.vcl)});
  bool loaded = has(st.loaded, op.vcl);
  if (op.kind == OpKind::vcl_load) {
    if (loaded)
      fail(ctx, at, fmt::format("vcl.load: vcl '{}' is already loaded{}", op.vcl,
                                op.vcl == s.vcls[0].name ? " (the first vcl is loaded at start)" : ""));
    load_label_deps(ctx, s, st, op, at);
    st.loaded.push_back(op.vcl);
    if (op.vcl_state == VclState::cold) st.cold.push_back(op.vcl);
    return;
  }
  if (!loaded)
    fail(ctx, at, fmt::format("{}: vcl '{}' is not loaded at {}", name, op.vcl, format_duration(op.at_ns)));
  if (op.kind == OpKind::vcl_use) {
    require_warm(ctx, st, op.vcl, name, at);
    st.active = op.vcl;
    return;
  }
  if (op.kind != OpKind::vcl_state) return;
  erase(st.cold, op.vcl);
  if (op.vcl_state != VclState::cold) return;
  if (std::string l = label_of(st, op.vcl); !l.empty())
    fail(ctx, at, fmt::format("vcl.state: cannot set vcl '{}' cold: label '{}' points at it", op.vcl, l));
  if (st.active == op.vcl) fail(ctx, at, fmt::format("vcl.state: cannot set the active vcl '{}' cold", op.vcl));
  st.cold.push_back(op.vcl);
}

void check_first_vcl(const Ctx& ctx, const Scenario& s) {
  const Vcl& v = s.vcls.at(0);
  for (const Target* t : label_targets(v))
    fail(Ctx{v.file.empty() ? ctx.file : v.file}, t->mark,
         fmt::format("return (vcl({})): vcl '{}' is loaded at start, before any vcl.label; load a VCL that "
                     "switches to a label in the timeline, after the label", t->label, v.name));
}

std::vector<std::pair<std::string, std::int64_t>> active_vcls(const Scenario& s) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (s.vcls.empty()) return out;
  out.emplace_back(s.vcls[0].name, 0);
  // Requests of an active label go to the VCL it points at then; a relabel moves them.
  std::map<std::string, std::string> labels;
  std::string active = s.vcls[0].name;
  for (const auto& op : s.timeline) {
    if (op.kind == OpKind::vcl_label) labels[op.label] = op.vcl;
    if (op.kind == OpKind::vcl_use) active = op.vcl;
    if (op.kind == OpKind::vcl_use || (op.kind == OpKind::vcl_label && op.label == active))
      out.emplace_back(labels.count(active) ? labels[active] : active, op.at_ns);
  }
  return out;
}

}  // namespace vdisim::scenario::detail
