// Parses `timeline`: CLI-like operations at virtual times, in a string form
// (`op: "vcl.state boot cold"`) or a map form (`op: vcl.state`, `vcl: boot`,
// `state: cold`), and VCL method calls (`call: "rr.remove_backend(web3)"`, `vcl:`
// optional). Positional arguments get their own column for error messages.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

struct OpSpec {
  std::string name;
  OpKind kind;
  std::vector<std::string> args;
};
const std::vector<OpSpec> kOps = {
    {"vcl.load", OpKind::vcl_load, {"vcl"}},
    {"vcl.inline", OpKind::vcl_load, {"vcl", "source"}},  // map form only: the VCL is `source:`
    {"vcl.use", OpKind::vcl_use, {"vcl"}},
    {"vcl.state", OpKind::vcl_state, {"vcl", "state"}},
    {"vcl.discard", OpKind::vcl_discard, {"vcl"}},
    {"vcl.label", OpKind::vcl_label, {"label", "vcl"}},
    {"backend.set_health", OpKind::backend_set_health, {"backend", "state"}},
    {"backend.add", OpKind::backend_add, {"director", "backend"}},
    {"backend.remove", OpKind::backend_remove, {"director", "backend"}},
    {"resolver.answer", OpKind::resolver_answer, {"resolver", "answer"}},
    {"backend.list", OpKind::backend_list, {}},   // [-p] [-j] [pattern]: positional_list
    {"vcl.list", OpKind::vcl_list, {}},           // [-j]
    {"vcl.show", OpKind::vcl_show, {}}};          // [-v] NAME
const std::vector<std::string> kArgKeys = {"vcl", "label", "state", "backend", "director",
                                           "resolver", "answer", "flags", "source"};

struct Token {
  std::string text;
  Mark mark;
};

// Splits `text` at any of `seps`; marks are exact for a single-line scalar.
std::vector<Token> tokenize(const Field& f, const std::string& text, std::string_view seps) {
  Mark base = f.mark();
  bool exact = text.find('\n') == std::string::npos;
  int shift = f.node.quoted() ? 1 : 0;  // quoted scalar: skip the quote
  std::vector<Token> out;
  for (std::size_t i = 0; i < text.size();) {
    if (seps.find(text[i]) != std::string_view::npos) { ++i; continue; }
    std::size_t b = i;
    while (i < text.size() && seps.find(text[i]) == std::string_view::npos) ++i;
    Mark m = exact ? Mark{base.line, base.col + shift + static_cast<int>(b)} : base;
    out.push_back({text.substr(b, i - b), m});
  }
  return out;
}

std::vector<std::string> op_names() {
  std::vector<std::string> out;
  for (const auto& o : kOps) out.push_back(o.name);
  return out;
}

const OpSpec& find_op(const Ctx& ctx, const Token& t) {
  for (const auto& o : kOps)
    if (o.name == t.text) return o;
  std::string hint = suggest(t.text, op_names());
  fail(ctx, t.mark, fmt::format("op: unknown operation '{}'; {}", t.text,
                                hint.empty() ? "expected " + one_of(op_names()) : hint));
}

Field token_field(const std::string& key, const Token& t) {
  return Field{key, t.mark, YNode(t.text)};
}

using Args = std::map<std::string, Field>;

// "resolver.answer NAME [a:80, b:80]": the answer is every token after NAME.
void positional_answer(const Ctx& ctx, const Field& opf, const std::string& text, Args& args,
                       std::vector<Field>& answer) {
  std::vector<Token> toks = tokenize(opf, text, " \t\n,[]");
  std::vector<Token> plain = tokenize(opf, text, " \t\n");
  if (plain.size() < 3)
    fail(ctx, opf, "op: resolver.answer takes a resolver and an answer, e.g. "
                   "'resolver.answer dns [10.0.0.1:80]'");
  args.emplace("resolver", token_field("resolver", toks.at(1)));
  for (std::size_t i = 2; i < toks.size(); ++i) answer.push_back(token_field("answer", toks[i]));
}

// The read-only commands with varnishadm's flags: "backend.list [-p] [-j] [PATTERN]",
// "vcl.list [-j]", "vcl.show [-v] NAME". Flags first, then the one positional argument
// (`backend` or `vcl`); `flags` collects the flag tokens for apply_args. varnishd's CLI
// refuses more arguments than the command's maxarg ("Too many parameters"), flags
// included: `backend.list -p -j *.*` is refused, `backend.list -pj *.*` is not.
struct FlagCommand {
  OpKind kind;
  const char* usage;
  const char* positional;  // the argument key, or nullptr
  std::size_t max_args;    // varnishd 8.0.0's maxarg (include/tbl/cli_cmds.h)
};
const std::vector<FlagCommand> kFlagCommands = {
    {OpKind::backend_list, "backend.list takes [-p] [-j] and at most one pattern", "backend", 2},
    {OpKind::vcl_list, "vcl.list takes only [-j]", nullptr, 1},
    {OpKind::vcl_show, "vcl.show takes [-v] and one VCL name", "vcl", 2}};

const FlagCommand* flag_command(OpKind k) {
  for (const auto& c : kFlagCommands)
    if (c.kind == k) return &c;
  return nullptr;
}

void positional_flags(const Ctx& ctx, const Field& opf, const FlagCommand& cmd, const std::vector<Token>& toks,
                      Args& args) {
  std::string flags;
  const char* pos = cmd.positional;
  if (toks.size() - 1 > cmd.max_args)
    fail(ctx, toks[cmd.max_args + 1].mark,
         fmt::format("op: too many parameters: varnishd takes at most {} after {} (flags go in one word: -pj)",
                     cmd.max_args, toks[0].text));
  for (std::size_t i = 1; i < toks.size(); ++i) {
    if (toks[i].text[0] == '-' && !(pos && args.count(pos))) {
      flags += toks[i].text;
      args.insert_or_assign("flags", token_field("flags", toks[i]));
    } else if (pos && !args.count(pos)) {
      args.emplace(pos, token_field(pos, toks[i]));
    } else {
      fail(ctx, toks[i].mark, std::string("op: ") + cmd.usage);
    }
  }
  if (cmd.kind == OpKind::vcl_show && !args.count("vcl")) fail(ctx, opf, std::string("op: ") + cmd.usage);
  if (args.count("flags")) args.at("flags").node = YNode(flags);
}

// A read-only command's optional keys in the map form (`flags`, and its positional one).
bool takes_key(OpKind kind, const std::string& k) {
  const FlagCommand* c = flag_command(kind);
  return c && (k == "flags" || (c->positional && k == c->positional));
}

// The flags of a read-only command: varnishd toggles -p; an unknown letter is refused.
void read_flags(const Ctx& ctx, const Field& f, TimelineOp& op) {
  std::string flags = read_string(ctx, f);
  std::string allowed = op.kind == OpKind::backend_list ? "pj" : op.kind == OpKind::vcl_list ? "j" : "v";
  for (char c : flags) {
    if (c == '-') continue;
    if (allowed.find(c) == std::string::npos)
      fail(ctx, f, fmt::format("flags: invalid flag {} ({} takes {})", c, to_string(op.kind),
                               allowed.size() == 2 ? "-p and -j" : "-" + allowed));
    if (c == 'p') op.list_details = !op.list_details;
    else if (c == 'j') op.list_json = true;
    else op.show_verbose = true;
  }
}

// "vcl.inline NAME << TOKEN", the VCL's lines, then TOKEN alone on a line: varnishadm's
// here-document (what varnishtest sends varnishd), which makes the lines the command's
// last argument. A quoted one-line VCL (varnishadm's backslash escapes) is not read:
// the map form's `source:` says the same without a second layer of quoting.
void inline_heredoc(const Ctx& ctx, const Field& opf, const std::string& text, Args& args) {
  constexpr const char* kForms =
      "op: vcl.inline takes its VCL as a here-document (\"vcl.inline NAME << END\", the VCL's lines, "
      "\"END\") or as `source:` in the map form: {at: ..., op: vcl.inline, vcl: NAME, source: |, state: auto}";
  std::size_t eol = text.find('\n');
  if (eol == std::string::npos) fail(ctx, opf, kForms);
  std::vector<Token> toks = tokenize(opf, text.substr(0, eol), " \t");  // the command line
  if (toks.size() != 4 || toks[2].text != "<<") fail(ctx, opf, kForms);
  const std::string& end = toks[3].text;
  std::string source;
  std::size_t at = eol + 1;
  bool closed = false;
  while (at < text.size()) {
    std::size_t next = text.find('\n', at);
    std::string line = text.substr(at, next == std::string::npos ? std::string::npos : next - at);
    at = next == std::string::npos ? text.size() : next + 1;
    if (line == end) {
      closed = true;
      break;
    }
    source += line + "\n";
  }
  if (!closed) fail(ctx, opf, fmt::format("op: vcl.inline: no line \"{}\" ends the here-document", end));
  if (text.find_first_not_of(" \t\n", at) != std::string::npos)
    fail(ctx, opf, fmt::format("op: vcl.inline: text after the line \"{}\" that ends the here-document", end));
  args.emplace("vcl", token_field("vcl", toks[1]));
  args.emplace("source", Field{"source", opf.mark(), YNode(source)});
}

void positional_args(const Ctx& ctx, const Field& opf, const OpSpec& spec,
                     const std::vector<Token>& toks, Args& args) {
  if (spec.kind == OpKind::vcl_discard && toks.size() > 2) {  // vcl.discard NAME|GLOB...
    std::string all;
    for (std::size_t i = 1; i < toks.size(); ++i) all += (i > 1 ? " " : "") + toks[i].text;
    args.emplace("vcl", Field{"vcl", toks[1].mark, YNode(all)});
    return;
  }
  if (spec.kind == OpKind::vcl_load && toks.size() == 3) {  // vcl.load NAME [auto|cold|warm]
    args.emplace("vcl", token_field("vcl", toks[1]));
    args.emplace("state", token_field("state", toks[2]));
    return;
  }
  if (toks.size() - 1 != spec.args.size())
    fail(ctx, opf, fmt::format("op: {} takes {} argument{} ({}), got {}", spec.name,
                               spec.args.size(), spec.args.size() == 1 ? "" : "s",
                               fmt::join(spec.args, " and "), toks.size() - 1));
  for (std::size_t i = 0; i < spec.args.size(); ++i)
    args.emplace(spec.args[i], token_field(spec.args[i], toks[i + 1]));
}

void keyed_args(const MapReader& m, const OpSpec& spec, Args& args) {
  if (const FlagCommand* c = flag_command(spec.kind)) {  // flags optional; vcl.show needs `vcl`
    if (auto f = m.get("flags")) args.emplace("flags", *f);
    if (c->positional && spec.kind == OpKind::vcl_show) args.emplace("vcl", m.require("vcl"));
    else if (c->positional)
      if (auto f = m.get(c->positional)) args.emplace(c->positional, *f);
  }
  if (spec.kind == OpKind::vcl_load)  // optional, as varnishadm's vcl.load NAME FILE [STATE]
    if (auto f = m.get("state")) args.emplace("state", *f);
  for (const auto& a : spec.args) {
    auto f = m.get(a);
    if (!f) m.missing(a, fmt::format(" ({} needs {})", spec.name, fmt::join(spec.args, " and ")));
    args.emplace(a, *f);
  }
}

// A backend pattern is one CLI word that varnishd matches with fnmatch against
// "VCL.NAME" (VCL_IterDirector): any printable characters, since a dynamic director's
// backends are named "d1(192.0.2.1:80)".
std::string check_pattern(const std::string& p) {
  bool ok = !p.empty() && p.size() <= 256 && p.front() != '.' && p.back() != '.';
  for (char c : p) ok = ok && std::isgraph(static_cast<unsigned char>(c)) && c != '"' && c != '\\';
  return ok ? "" : "expected [vcl.]name, a glob as fnmatch reads it (* ? [...]), one word without quotes";
}

void read_director_ref(const Ctx& ctx, const Field& f, TimelineOp& op) {
  std::string s = read_string(ctx, f);
  auto dot = s.find('.');
  std::string vcl = dot == std::string::npos ? "" : s.substr(0, dot);
  std::string dir = dot == std::string::npos ? s : s.substr(dot + 1);
  if ((dot != std::string::npos && !is_name(vcl)) || !is_name(dir))
    fail(ctx, f, fmt::format("director: bad director '{}' (expected [vcl.]name)", s));
  op.vcl = vcl;
  op.director = dir;
}

void apply_args(const Ctx& ctx, const Args& args, const std::vector<Field>& answer,
                TimelineOp& op) {
  auto arg = [&](const char* k) -> const Field& { return args.at(k); };
  switch (op.kind) {
    case OpKind::vcl_load:
      if (args.count("source")) {
        op.source = read_string(ctx, arg("source"));
        if (op.source.empty()) fail(ctx, arg("source"), "source: empty VCL");
      }
      if (args.count("state"))
        op.vcl_state = static_cast<VclState>(read_choice(ctx, arg("state"), {"cold", "warm", "auto"}));
      [[fallthrough]];
    case OpKind::vcl_use:
      op.vcl = read_name(ctx, arg("vcl"));
      break;
    case OpKind::vcl_label:
      op.label = read_name(ctx, arg("label"));
      op.vcl = read_name(ctx, arg("vcl"));
      break;
    case OpKind::vcl_discard:  // NAME|GLOB... (check_discard expands them)
      op.vcl = read_string(ctx, arg("vcl"));
      for (char c : op.vcl)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '*' || c == '?' || c == ' '))
          fail(ctx, arg("vcl"), fmt::format("vcl: bad name or glob '{}' (letters, digits, _ - * ?)", op.vcl));
      break;
    case OpKind::vcl_state:
      op.vcl_state = static_cast<VclState>(read_choice(ctx, arg("state"), {"cold", "warm", "auto"}));
      op.vcl = read_name(ctx, arg("vcl"));
      break;
    case OpKind::backend_set_health: {
      op.backend = read_string(ctx, arg("backend"));
      std::string why = check_pattern(op.backend);
      if (!why.empty())
        fail(ctx, arg("backend"), fmt::format("backend: bad pattern '{}' ({})", op.backend, why));
      op.health = static_cast<AdminHealth>(
          read_choice(ctx, arg("state"), {"auto", "sick", "healthy"}));
      break;
    }
    case OpKind::backend_add: case OpKind::backend_remove:
      read_director_ref(ctx, arg("director"), op);
      op.backend = read_host_port(ctx, arg("backend"));
      break;
    case OpKind::resolver_answer:
      op.resolver = read_name(ctx, arg("resolver"));
      for (const auto& h : answer) op.answer.push_back(read_host_port(ctx, h));
      break;
    case OpKind::vmod_call: break;  // parse_call
    case OpKind::object_new: case OpKind::object_fini: case OpKind::backend_new: case OpKind::backend_delete:
      break;  // parse_object_op
    case OpKind::request: break;  // parse_request_op
    case OpKind::backend_list: {
      if (args.count("backend")) {
        op.backend = read_string(ctx, arg("backend"));
        std::string why = op.backend == "*" ? "" : check_pattern(op.backend);
        if (!why.empty())
          fail(ctx, arg("backend"), fmt::format("backend: bad pattern '{}' ({})", op.backend, why));
      }
      if (args.count("flags")) read_flags(ctx, arg("flags"), op);
      break;
    }
    case OpKind::vcl_list:
    case OpKind::vcl_show:
      if (args.count("vcl")) op.vcl = read_name(ctx, arg("vcl"));
      if (args.count("flags")) read_flags(ctx, arg("flags"), op);
      break;
  }
}

std::string canonical(const TimelineOp& op) {
  const char* name = to_string(op.kind);
  switch (op.kind) {
    case OpKind::vcl_state: return fmt::format("{} {} {}", name, op.vcl, to_string(op.vcl_state));
    case OpKind::vcl_label: return fmt::format("{} {} {}", name, op.label, op.vcl);
    case OpKind::vcl_load: {
      const char* verb = op.source.empty() ? name : "vcl.inline";
      return op.vcl_state == VclState::auto_ ? fmt::format("{} {}", verb, op.vcl)
                                             : fmt::format("{} {} {}", verb, op.vcl, to_string(op.vcl_state));
    }
    case OpKind::backend_set_health:
      return fmt::format("{} {} {}", name, op.backend, to_string(op.health));
    case OpKind::backend_add: case OpKind::backend_remove:
      return fmt::format("{} {}{}{} {}", name, op.vcl, op.vcl.empty() ? "" : ".", op.director,
                         op.backend);
    case OpKind::resolver_answer:
      return fmt::format("{} {} [{}]", name, op.resolver, fmt::join(op.answer, ", "));
    case OpKind::vmod_call: return fmt::format("{} {}{}{}", name, op.vcl, op.vcl.empty() ? "" : " ", op.call.text);
    case OpKind::backend_list:
      return fmt::format("{}{}{}{}{}{}", name, op.list_details || op.list_json ? " -" : "",
                         op.list_details ? "p" : "", op.list_json ? "j" : "", op.backend.empty() ? "" : " ", op.backend);
    case OpKind::vcl_list: return fmt::format("{}{}", name, op.list_json ? " -j" : "");
    case OpKind::vcl_show: return fmt::format("{}{} {}", name, op.show_verbose ? " -v" : "", op.vcl);
    default: return fmt::format("{} {}", name, op.vcl);
  }
}

// `{at: 10s, call: "rr.remove_backend(web3)", vcl: boot}`: VCL's method call at that
// time, in a client task of its own (as vcl_recv would make it).
TimelineOp parse_call(const Ctx& ctx, MapReader& m, TimelineOp op, ArgMarks& marks) {
  op.kind = OpKind::vmod_call;
  for (const char* k : {"op", "label", "state", "backend", "director", "resolver", "answer", "flags", "source"})
    if (auto f = m.get(k))
      fail(ctx, f->key_mark, fmt::format("{}: a call takes only `vcl` beside `call` and `at`", k));
  op.call = parse_method_call(ctx, m.require("call"));
  if (auto v = m.get("vcl")) {
    op.vcl = read_name(ctx, *v);
    marks["vcl"] = v->mark();
  }
  op.text = canonical(op);
  return op;
}

// `{at: 1s, vcl: v0, new: {name: o7, type: round_robin}}` (a director entry, made at run
// time by its constructor in a task of the VCL), `fini: o7` (its __fini now), `backend_new:
// {name: n5, host: ...}` (VRT_new_backend in a task) and `backend_delete: n5`.
const char* const kObjectKeys[] = {"new", "fini", "backend_new", "backend_delete"};

TimelineOp parse_object_op(const Ctx& ctx, MapReader& m, TimelineOp op, ArgMarks& marks, Scenario& s) {
  std::vector<const char*> given;
  for (const char* k : kObjectKeys)
    if (m.get(k)) given.push_back(k);
  for (const auto& f : m.fields())
    if (f.key != "at" && f.key != "vcl" && f.key != "actor" && f.key != given.front())
      fail(ctx, f.key_mark, fmt::format("{}: `{}` takes only `vcl`, `at` and `actor` beside it", f.key, given.front()));
  std::string key = given.front();
  op.kind = key == "new" ? OpKind::object_new : key == "fini" ? OpKind::object_fini
            : key == "backend_new" ? OpKind::backend_new : OpKind::backend_delete;
  Field vf = m.require("vcl");
  Vcl* v = &ref_vcl(ctx, s, vf);
  op.vcl = v->name;
  marks["vcl"] = vf.mark();
  Field of = *m.get(key);
  if (op.kind == OpKind::object_new || op.kind == OpKind::backend_new) {
    op.object = add_runtime_object(ctx, of, *v, op.kind == OpKind::backend_new);
  } else {
    op.object = read_name(ctx, of);
    bool known = op.kind == OpKind::object_fini ? v->find_director(op.object) != nullptr
                                                : v->find_backend(op.object) && v->find_backend(op.object)->made_at_runtime;
    if (!known)
      fail(ctx, of, fmt::format("{}: '{}' is no {} of vcl '{}'", key, op.object,
                                op.kind == OpKind::object_fini ? "director" : "backend made by backend_new:", op.vcl));
  }
  marks[key] = of.mark();
  op.text = fmt::format("{} {}.{}", key, op.vcl, op.object);
  return op;
}

// `{at: 1s, actor: a0, vcl: v0, request: {director: rr, key: 3, count: 2, hint_again: 200us}}`:
// requests sent from the timeline (on the entry's actor, in its order), one after another.
TimelineOp parse_request_op(const Ctx& ctx, MapReader& m, TimelineOp op, ArgMarks& marks, const Scenario& s) {
  for (const auto& f : m.fields())
    if (f.key != "at" && f.key != "vcl" && f.key != "actor" && f.key != "request")
      fail(ctx, f.key_mark, fmt::format("{}: `request` takes only `vcl`, `at` and `actor` beside it", f.key));
  op.kind = OpKind::request;
  auto t = std::make_shared<Traffic>();
  t->mark = op.mark;
  if (auto v = m.get("vcl")) {
    t->vcl = op.vcl = ref_vcl(ctx, s, *v).name;
    marks["vcl"] = v->mark();
  }
  MapReader r(ctx, *m.get("request"), "request", {"director", "key", "count", "hint_again"});
  Field d = r.require("director");
  check_target(ctx, s, d, t->vcl);
  t->director = read_name(ctx, d);
  if (auto v = r.get("key")) op.key = read_int(ctx, *v, 0, std::int64_t{1} << 40);
  if (auto v = r.get("count")) op.count = read_int(ctx, *v, 1, 1000);
  if (auto v = r.get("hint_again")) t->hint_again_ns = read_duration(ctx, *v, false);
  t->name = op.actor.empty() ? "request" : op.actor;  // the request log's `traffic`
  t->concurrency = 1;
  t->requests = op.count;
  op.requests = t;
  op.text = fmt::format("request {} key {} x{}", t->director, op.key, op.count);
  return op;
}

TimelineOp parse_entry(const Ctx& ctx, const Field& item, Scenario& s, ArgMarks& marks) {
  std::vector<std::string> keys = {"at", "op", "call", "actor", "request"};
  keys.insert(keys.end(), kArgKeys.begin(), kArgKeys.end());
  keys.insert(keys.end(), std::begin(kObjectKeys), std::end(kObjectKeys));
  MapReader m(ctx, item, "timeline entry", keys);
  TimelineOp op;
  op.mark = m.mark();
  op.at_ns = read_time_in_run(ctx, m.require("at"), s.run);
  if (auto a = m.get("actor")) op.actor = read_name(ctx, *a);
  if (m.get("call")) return parse_call(ctx, m, op, marks);
  if (m.get("request")) return parse_request_op(ctx, m, op, marks, s);
  for (const char* k : kObjectKeys)
    if (m.get(k)) return parse_object_op(ctx, m, op, marks, s);
  Field opf = m.require("op");
  std::string text = read_string(ctx, opf);
  std::vector<Token> toks = tokenize(opf, text, " \t\n");
  if (toks.empty()) fail(ctx, opf, "op: empty operation");
  const OpSpec& spec = find_op(ctx, toks[0]);
  op.kind = spec.kind;
  Args args;
  std::vector<Field> answer;
  if (toks.size() > 1) {
    for (const auto& k : kArgKeys)
      if (auto f = m.get(k))
        fail(ctx, f->key_mark, fmt::format("{}: the op string already has the arguments; use "
                                           "either 'op: \"{} ...\"' or keys", k, spec.name));
    if (spec.kind == OpKind::resolver_answer) positional_answer(ctx, opf, text, args, answer);
    else if (spec.name == "vcl.inline") inline_heredoc(ctx, opf, text, args);
    else if (const FlagCommand* c = flag_command(spec.kind)) positional_flags(ctx, opf, *c, toks, args);
    else positional_args(ctx, opf, spec, toks, args);
  } else {
    for (const auto& k : kArgKeys)
      if (auto f = m.get(k); f && std::find(spec.args.begin(), spec.args.end(), k) ==
                                      spec.args.end() &&
                             !takes_key(spec.kind, k) &&
                             !(spec.kind == OpKind::vcl_load && k == "state"))
        fail(ctx, f->key_mark, fmt::format("{}: not an argument of {} (it takes {})", k,
                                           spec.name, one_of(spec.args)));
    keyed_args(m, spec, args);
    if (spec.kind == OpKind::resolver_answer) answer = read_list(ctx, args.at("answer"));
  }
  apply_args(ctx, args, answer, op);
  for (const auto& [k, f] : args) marks[k] = f.mark();
  op.text = canonical(op);
  return op;
}

}  // namespace

// `cli_poll: [{cmd: "backend.list -p *.*", every: 1s, start: 0s}]`: what monitoring runs
// (varnishadm's read-only commands; vdisim has backend.list).
std::vector<CliPoll> parse_cli_polls(const Ctx& ctx, const Field& f, const Scenario& s) {
  std::vector<CliPoll> out;
  for (const auto& item : read_list(ctx, f)) {
    MapReader m(ctx, item, "cli_poll entry", {"cmd", "every", "start"});
    CliPoll p;
    p.mark = m.mark();
    Field cmd = m.require("cmd");
    std::string text = read_string(ctx, cmd);
    std::vector<Token> toks = tokenize(cmd, text, " \t\n");
    if (toks.empty()) fail(ctx, cmd, "cmd: empty command");
    const OpSpec& spec = find_op(ctx, toks[0]);
    const FlagCommand* c = flag_command(spec.kind);
    if (!c)
      fail(ctx, toks[0].mark, fmt::format("cmd: {} changes varnishd; only backend.list, vcl.list and vcl.show "
                                          "can be polled (put changes in the timeline)", spec.name));
    Args args;
    positional_flags(ctx, cmd, *c, toks, args);
    p.op.mark = p.mark;
    p.op.kind = spec.kind;
    apply_args(ctx, args, {}, p.op);
    p.op.text = canonical(p.op);
    p.every_ns = read_duration(ctx, m.require("every"), true);
    if (auto v = m.get("start")) p.start_ns = read_time_in_run(ctx, *v, s.run);
    out.push_back(std::move(p));
  }
  return out;
}

// vcl.inline: the VCL text becomes a Vcl of its own (read like a `file:` VCL, its
// positions relative to the text), which the op then loads like vcl.load.
void add_inline_vcl(const Ctx& ctx, Scenario& s, const TimelineOp& op, const ArgMarks& marks) {
  if (s.find_vcl(op.vcl))
    fail(ctx, marks.at("vcl"), fmt::format("vcl.inline: vcl '{}' exists already (in vcls: or an earlier "
                                           "vcl.inline); load it with vcl.load or pick a new name", op.vcl));
  Vcl v;
  v.name = op.vcl;
  v.mark = op.mark;
  v.file = fmt::format("{} (vcl.inline {} at line {})", ctx.file, op.vcl, op.mark.line);
  v.source = op.source;
  parse_vcl_text(Ctx{v.file}, v.source, v);
  s.vcls.push_back(std::move(v));
}

std::vector<TimelineOp> parse_timeline(const Ctx& ctx, const Field& f, Scenario& s) {
  std::vector<TimelineOp> out;
  VclStates states;
  states.loaded = {s.vcls.at(0).name};
  states.active = s.vcls.at(0).name;
  for (const auto& item : read_list(ctx, f)) {
    ArgMarks marks;
    TimelineOp op = parse_entry(ctx, item, s, marks);
    if (!out.empty() && op.at_ns < out.back().at_ns)
      fail(ctx, op.mark, fmt::format("at: {} is before the previous entry ({}); keep the "
                                     "timeline in time order", format_duration(op.at_ns),
                                     format_duration(out.back().at_ns)));
    if (!op.source.empty()) add_inline_vcl(ctx, s, op, marks);
    check_timeline_op(ctx, s, states, op, marks);
    out.push_back(std::move(op));
  }
  return out;
}

}  // namespace vdisim::scenario::detail
