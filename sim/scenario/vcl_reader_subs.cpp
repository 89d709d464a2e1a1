// VCL file reader, part 2 (vcl_reader.hpp): the subs. vcl_init's `new x = VMOD.OBJECT(...)`
// and `x.METHOD(...)` become vmod directors (the YAML `new:`/`init:` form, in the same
// order). In vcl_recv and vcl_backend_fetch every `set req.backend_hint` / `set
// bereq.backend`, `return (vcl(LABEL))` and `return (...)` that ends the sub becomes a
// route, under the conditions of the `if`s around it (on what requests carry: URL,
// method, protocol, headers); the last unconditional selection is the default target.
// Every other sub and statement is skipped and listed as ignored. The `if` conditions
// are read in vcl_reader_conds.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "sim/scenario/vcl_reader.hpp"

namespace vdisim::scenario::detail {

namespace {
// Tokens read through `call` in one VCL, as many as a file may hold (vcl_lexer.cpp).
constexpr std::size_t kMaxInlinedTokens = std::size_t{1} << 20;
}  // namespace

void VclReader::run_subs() {
  // Subs of one name are concatenated in file order (as varnishd does); objects must
  // exist before vcl_recv names them, whatever the order in the file.
  for (const char* name : {"vcl_init", "vcl_recv", "vcl_backend_fetch"}) {
    std::string sub = name;
    std::string var = sub == "vcl_recv" ? "req.backend_hint" : "bereq.backend";
    for (const auto& s : subs_) {
      if (s.name != sub) continue;
      pos_ = s.begin;
      while (pos_ < s.end) {
        if (sub == "vcl_init") init_statement();
        else select_statement(sub, var, {}, 0);
      }
      if (pos_ != s.end) error(toks_[s.end], "unexpected '}'");
    }
  }
  for (const auto& s : subs_)
    if (s.name != "vcl_init" && s.name != "vcl_recv" && s.name != "vcl_backend_fetch" &&
        std::find(called_.begin(), called_.end(), s.name) == called_.end())
      ignore(s.mark, "sub " + s.name);
}

template <typename F>
bool VclReader::inline_call(F statement) {
  if (!peek().is_id("call") || peek(1).kind != Kind::id || !peek(2).is_op(";")) return false;
  const VclToken& name = peek(1);
  const Sub* sub = nullptr;
  for (const auto& s : subs_)
    if (s.name == name.text) sub = &s;
  if (!sub) return false;
  if (++call_depth_ > 16) error(name, "subs called more than 16 deep");
  // Subs called from many places are read at each: a few calling each other many times
  // would be read exponentially often without a bound on what calls add up to.
  inlined_tokens_ += sub->end - sub->begin;
  if (inlined_tokens_ > kMaxInlinedTokens)
    error(name, fmt::format("subs read where they are called add up to more than {} tokens", kMaxInlinedTokens));
  pos_ += 3;
  std::size_t back = pos_;
  pos_ = sub->begin;
  while (pos_ < sub->end) statement();
  if (pos_ != sub->end) error(toks_[sub->end], "unexpected '}'");
  pos_ = back;
  call_depth_--;
  if (std::find(called_.begin(), called_.end(), name.text) == called_.end()) called_.push_back(name.text);
  return true;
}

// The vmods varnishd ships besides directors: vdisim has none of them built in.
bool VclReader::varnishd_only(const std::string& vmod) {
  static const std::vector<std::string> kBundled = {"blob", "cookie", "debug", "h2", "proxy",
                                                    "purge", "std", "unix", "vtc"};
  return std::find(kBundled.begin(), kBundled.end(), vmod) != kBundled.end();
}

// `import std;` and the like: when nothing vdisim models uses such a vmod, the import is
// ignored (listed) rather than refused, so an operator's VCL passes as written.
void VclReader::drop_unused_imports() {
  auto uses = [this](const std::string& vmod) {
    for (const auto& d : v_.directors) {
      if (d.vmod_new && d.vmod_new->object == vmod) return true;
      for (const auto& c : d.vmod_init)
        if (c.object == vmod || c.text.find(vmod + ".") != std::string::npos) return true;
      if (d.vmod_backend && d.vmod_backend->text.find(vmod + ".") != std::string::npos) return true;
    }
    return false;
  };
  std::vector<VclImport> kept;
  for (auto& imp : v_.imports) {
    if (imp.path.empty() && varnishd_only(imp.name) && !uses(imp.name))
      ignore(imp.mark, fmt::format("import {} (a vmod of varnishd that vdisim does not provide; {})", imp.name,
                                   imp.name == "std" && healthy_used_ ? "vdisim models std.healthy() in conditions "
                                                                        "itself, and nothing else it models uses it"
                                                                      : "nothing it models uses it"));
    else
      kept.push_back(std::move(imp));
  }
  v_.imports = std::move(kept);
}

bool VclReader::is_import(const std::string& vmod) const {
  for (const auto& i : v_.imports)
    if (i.name == vmod) return true;
  return false;
}

void VclReader::init_statement() {
  const VclToken& t = peek();
  if (t.is_id("new")) return new_object();
  if (inline_call([this] { init_statement(); })) return;
  if (t.kind == Kind::id && peek(1).is_op("(")) {
    std::string object = t.text.substr(0, t.text.find('.'));
    if (v_.find_director(object)) {
      next();
      VmodCall c = call(t);
      v_.directors.back().vmod_init.push_back(std::move(c));  // runs right after the last `new`
      expect_op(";", "';' after the call");
      return;
    }
    if (is_import(object) && !v_.directors.empty() && !varnishd_only(object)) {
      next();  // a vmod function: an `init:` call too, run in the file's order
      v_.directors.back().vmod_init.push_back(call(t));
      expect_op(";", "';' after the call");
      return;
    }
    if (is_import(object)) {
      skip_statement();
      return ignore(t.mark, fmt::format("vmod function {}() in vcl_init{}", t.text,
                                        varnishd_only(object) ? "" : " before any new"));
    }
    error(t, fmt::format("'{}' is not an object created so far in vcl_init", object));
  }
  skip_statement();
  ignore(t.mark, fmt::format("'{}' statements in vcl_init", t.kind == Kind::id ? t.text : describe(t)));
}

void VclReader::new_object() {
  next();
  const VclToken& name = expect(Kind::id, "an object name after 'new'");
  if (!is_name(name.text) || name.text.find_first_of(".-") != std::string::npos)
    error(name, fmt::format("bad object name '{}' (letters, digits and '_')", name.text));
  expect_op("=", "'=' after the object name");
  const VclToken& ctor = expect(Kind::id, "VMOD.OBJECT(...) after 'new NAME ='");
  std::string vmod = ctor.text.substr(0, ctor.text.find('.'));
  if (!is_import(vmod))
    error(ctor, fmt::format("vmod '{}' is not imported; add 'import {};' at the top", vmod, vmod));
  declare(name.text, name.mark);
  Director d;
  d.mark = name.mark;
  d.name = name.text;
  d.type = DirectorType::vmod;
  d.vmod_new = call(ctor);
  d.type_text = d.vmod_new->object + "." + d.vmod_new->method;
  expect_op(";", "';' after the constructor");
  v_.directors.push_back(std::move(d));
}

// At '(' after `id` (OBJ.METHOD or VMOD.OBJECT): the call, its text as written.
VmodCall VclReader::call(const VclToken& id) {
  auto dot = id.text.find('.');
  if (dot == std::string::npos || dot == 0 || id.text.find('.', dot + 1) != std::string::npos ||
      dot + 1 == id.text.size() || id.text.find('-') != std::string::npos)
    error(id, fmt::format("expected OBJECT.METHOD(...) or VMOD.OBJECT(...), got '{}'", id.text));
  VmodCall c;
  c.mark = id.mark;
  c.object = id.text.substr(0, dot);
  c.method = id.text.substr(dot + 1);
  const VclToken& open = peek();
  expect_op("(", "'('");
  while (!at_op(")")) {
    if (c.args.size() >= 64) error(peek(), "more than 64 arguments");
    c.args.push_back(arg());
    if (at_op(",")) next();
    else if (!at_op(")")) error(peek(), fmt::format("expected ',' or ')' after an argument, got {}", describe(peek())));
  }
  const VclToken& close = next();
  (void)open;
  std::string text(source_of(id).substr(id.begin, close.end - id.begin));
  for (char& ch : text)
    if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
  c.text = text;
  return c;
}

VmodArg VclReader::arg() {
  VmodArg a;
  a.mark = peek().mark;
  if (peek().kind == Kind::id && peek(1).is_op("=")) {
    a.name = next().text;
    next();
    a.mark = peek().mark;
  }
  arg_value(a);
  return a;
}

void VclReader::arg_value(VmodArg& a) {
  const VclToken& t = next();
  if (t.kind == Kind::str) {
    a.kind = VmodArg::Kind::string;
    a.text = t.text;
  } else if (t.kind == Kind::num || (t.is_op("-") && peek().kind == Kind::num)) {
    a.text = t.kind == Kind::num ? t.text : "-" + next().text;
    if (std::string why = read_vmod_number(a); !why.empty()) error(t, why);
  } else if (t.is_id("true") || t.is_id("false")) {
    a.kind = VmodArg::Kind::boolean;
    a.boolean = t.text == "true";
    a.text = t.text;
  } else if (t.kind == Kind::id && at_op("(")) {
    // A call as an argument (`fb.add_backend(d.backend("api"))`): made when the outer
    // call runs, as in VCL; the runner checks that it returns BACKEND.
    if (++depth_ > 8) error(t, "calls nested more than 8 deep");
    auto c = std::make_shared<VmodCall>(call(t));
    depth_--;
    a.kind = VmodArg::Kind::call;
    a.text = c->text;
    a.call = std::move(c);
  } else if (t.kind == Kind::id) {
    a.kind = VmodArg::Kind::ident;  // a backend, an ENUM value, req.url, req.http.X
    a.text = t.text;
  } else {
    error(t, fmt::format("expected an argument (a string, number, duration, true/false or a name), got {}",
                         describe(t)));
  }
  if (!at_op("+")) return;
  // `"a" + req.url + req.http.X`: a concatenation (STRING, STRANDS) of strings and names.
  if (a.kind != VmodArg::Kind::string && a.kind != VmodArg::Kind::ident)
    error(t, "only strings and names (req.url, req.http.X) join with '+' in an argument");
  VmodArg whole;
  whole.mark = a.mark;
  whole.name = a.name;
  whole.kind = VmodArg::Kind::concat;
  a.name.clear();
  whole.parts.push_back(std::move(a));
  std::size_t begin = t.begin;
  const VclToken* last = &t;
  while (at_op("+")) {
    next();
    const VclToken& p = next();
    if (p.kind != Kind::str && p.kind != Kind::id)
      error(p, "only strings and names (req.url, req.http.X) join with '+' in an argument");
    VmodArg part;
    part.mark = p.mark;
    part.kind = p.kind == Kind::str ? VmodArg::Kind::string : VmodArg::Kind::ident;
    part.text = p.text;
    whole.parts.push_back(std::move(part));
    last = &p;
    if (whole.parts.size() > 64) error(p, "more than 64 parts joined with '+'");
  }
  whole.text = std::string(source_of(t).substr(begin, last->end - begin));
  a = std::move(whole);
}

void VclReader::select_statement(const std::string& sub, const std::string& var,
                                 const std::vector<RouteCond>& guards, int depth) {
  const VclToken& t = peek();
  if (inline_call([&] { select_statement(sub, var, guards, depth); })) return;
  if (t.is_id("if") && if_selects(var)) return select_if(sub, var, guards, depth);
  if (var == "req.backend_hint" && returns_vcl(pos_)) return select_label(guards);
  if (t.is_id("return") && peek(1).is_op("(")) return select_return(sub, guards);
  if (sets_header(pos_, var) && header_statement(sub, guards)) return;
  if (sets(pos_, var)) {
    next();
    next();
    expect_op("=", fmt::format("'=' after {}", var));
    const VclToken& e = expect(Kind::id, fmt::format("a backend name or OBJECT.METHOD(...) after '{} ='", var));
    if (at_op("(")) {
      VmodCall c = call(e);
      std::size_t i = 0;
      while (i < v_.directors.size() && v_.directors[i].name != c.object) i++;
      if (i == v_.directors.size())
        error(e, fmt::format("'{}' is not an object created in vcl_init", c.object));
      set_target(Target{e.mark, c.object, TargetKind::director, i, {}}, guards, sub);
      pick_call(i, std::move(c));
    } else {
      std::size_t i = 0;
      while (i < v_.backends.size() && v_.backends[i].name != e.text) i++;
      if (i == v_.backends.size())
        error(e, v_.find_director(e.text)
                     ? fmt::format("'{}' is an object; pick a backend with {}.backend()", e.text, e.text)
                     : fmt::format("'{}' is not a backend of this VCL", e.text));
      set_target(Target{e.mark, e.text, TargetKind::backend, i, {}}, guards, sub);
    }
    expect_op(";", "';' after the backend");
    return;
  }
  std::string what = t.kind != Kind::id ? describe(t)
                     : t.is_id("set") || t.is_id("unset") ? t.text + " " + peek(1).text
                     : t.text;
  if (t.kind == Kind::id && peek(1).is_op("(") && v_.find_director(t.text.substr(0, t.text.find('.'))))
    what = "run-time method calls (" + t.text + "(); a scenario's traffic vcl_recv runs them)";
  skip_statement();
  ignore(t.mark, fmt::format("'{}' in {}", what, sub));
}

// `set VAR =` at token i (a read of VAR, as in `std.healthy(req.backend_hint)`, is not).
bool VclReader::sets(std::size_t i, const std::string& var) const {
  return toks_[i].is_id("set") && i + 1 < toks_.size() && toks_[i + 1].is_id(var);
}

// `set req.http.NAME` / `unset req.http.NAME` at token i (bereq.http in vcl_backend_fetch,
// whose selection variable is bereq.backend).
bool VclReader::sets_header(std::size_t i, const std::string& var) const {
  std::string http = var == "req.backend_hint" ? "req.http." : "bereq.http.";
  return (toks_[i].is_id("set") || toks_[i].is_id("unset")) && i + 1 < toks_.size() &&
         toks_[i + 1].kind == Kind::id && toks_[i + 1].text.rfind(http, 0) == 0 && toks_[i + 1].text.size() > http.size();
}

// Does the statement at token i decide where the request goes: a selection, a `return`
// (which ends the sub), or a header a later condition or pick may read?
bool VclReader::decides(std::size_t i, const std::string& var) const {
  return sets(i, var) || sets_header(i, var) ||
         (toks_[i].is_id("return") && i + 1 < toks_.size() && toks_[i + 1].is_op("("));
}

// `set req.http.NAME = VALUE;` with VALUE strings and request names joined by `+`, or
// `unset req.http.NAME;`: a route that changes the request's header when it applies, so
// later conditions, picks and the fetch see it. false (nothing read) for a VALUE vdisim
// does not evaluate (regsub(), a vmod function ...): the caller ignores the statement.
bool VclReader::header_statement(const std::string& sub, const std::vector<RouteCond>& guards) {
  std::size_t start = pos_;
  std::string prefix = sub == "vcl_recv" ? "req" : "bereq";
  const VclToken& kw = next();
  const VclToken& h = next();
  Route r;
  r.mark = kw.mark;
  r.when = guards;
  r.backend_fetch = sub != "vcl_recv";
  r.header = h.text.substr(prefix.size() + 6);
  r.action = kw.is_id("set") ? Route::Action::set_header : Route::Action::unset_header;
  if (kw.is_id("set")) {
    if (!at_op("=")) return pos_ = start, false;
    next();
    for (;;) {
      const VclToken& p = next();
      RequestPart part;
      part.mark = p.mark;
      part.literal = p.kind == Kind::str;
      if (part.literal) part.text = p.text;
      else if (!request_field(p, prefix, &part.field, &part.header)) return pos_ = start, false;
      r.value.push_back(std::move(part));
      if (!at_op("+")) break;
      next();
    }
  }
  if (!at_op(";")) return pos_ = start, false;
  next();
  v_.routes.push_back(std::move(r));
  return true;
}

bool VclReader::if_selects(const std::string& var) {
  std::size_t start = pos_;
  skip_statement();
  bool found = selects(start, pos_, var);
  pos_ = start;
  return found;
}

// Do tokens [begin, end) decide (decides()), themselves or in a sub they call?
bool VclReader::selects(std::size_t begin, std::size_t end, const std::string& var) {
  const std::set<std::string>& subs = subs_where("decides " + var, [&](std::size_t i) { return decides(i, var); });
  for (std::size_t i = begin; i < end; i++) {
    if (decides(i, var)) return true;
    if (toks_[i].is_id("call") && i + 1 < end && subs.count(toks_[i + 1].text)) return true;
  }
  return false;
}

bool VclReader::selects_here(std::size_t i, const std::string& var) const { return sets(i, var) || returns_vcl(i); }

// The subs in which `at` holds for a token or that call one that does, found once per key
// by walking the calls backwards from the subs where it holds: linear in the file however
// often subs call each other (following calls from every `if` was exponential in the nesting).
const std::set<std::string>& VclReader::subs_where(const std::string& key, const std::function<bool(std::size_t)>& at) {
  auto [it, fresh] = subs_where_.try_emplace(key);
  if (!fresh) return it->second;
  std::map<std::string, std::set<std::string>> callers;
  std::vector<std::string> todo;
  for (const auto& s : subs_) {
    for (std::size_t i = s.begin; i < s.end; i++) {
      if (at(i)) todo.push_back(s.name);
      if (toks_[i].is_id("call") && i + 1 < s.end) callers[toks_[i + 1].text].insert(s.name);
    }
  }
  std::set<std::string>& found = it->second;
  while (!todo.empty()) {
    std::string name = std::move(todo.back());
    todo.pop_back();
    if (!found.insert(name).second) continue;
    for (const auto& caller : callers[name]) todo.push_back(caller);
  }
  return found;
}

// An if / else if / else chain: each branch runs under the conditions around it, its own,
// and the negations of the branches before it. A chain whose conditions read what
// requests do not carry (`client.ip ~ acl`, `req.restarts > 0`, a function) cannot be
// decided: around a selection that is an error; around `return`s only, the chain is
// ignored (listed), as every `if` that selects nothing is.
void VclReader::select_if(const std::string& sub, const std::string& var, const std::vector<RouteCond>& guards,
                          int depth) {
  if (depth >= 16) error(peek(), "ifs nested deeper than 16 around a backend selection");
  std::size_t start = pos_;
  std::vector<RouteCond> path = guards;
  std::vector<std::pair<std::vector<RouteCond>, std::size_t>> branches;  // conditions, token of '{'
  for (;;) {
    next();  // if, elseif, elsif, elif
    std::optional<RouteCond> c = if_condition(sub);
    if (!c) return unmodelled_if(sub, var, start);
    std::vector<RouteCond> branch = path;
    branch.push_back(*c);
    branches.emplace_back(std::move(branch), pos_);
    skip_block();
    c->negate = !c->negate;
    path.push_back(std::move(*c));
    if (peek().is_id("else") && peek(1).is_id("if")) next();
    else if (!peek().is_id("elseif") && !peek().is_id("elsif") && !peek().is_id("elif")) break;
  }
  if (peek().is_id("else")) {
    next();
    branches.emplace_back(path, pos_);
    skip_block();
  }
  std::size_t after = pos_;
  for (auto& [when, open] : branches) {
    pos_ = open;
    select_block(sub, var, when, depth + 1);
  }
  pos_ = after;
}

void VclReader::unmodelled_if(const std::string& sub, const std::string& var, std::size_t start) {
  std::size_t stop = pos_;
  pos_ = start;
  skip_statement();
  // A selection in the chain, or in a sub it calls.
  const std::set<std::string>& subs =
      subs_where("selects " + var, [&](std::size_t i) { return selects_here(i, var); });
  bool selection = false;
  for (std::size_t i = start; i < pos_ && !selection; i++)
    selection = selects_here(i, var) || (toks_[i].is_id("call") && i + 1 < pos_ && subs.count(toks_[i + 1].text));
  const VclToken& f = toks_[stop];
  if (selection) {
    std::string p = sub == "vcl_recv" ? "req" : "bereq";
    error(f, fmt::format("a condition on '{}' is not modelled around a backend selection (requests carry "
                         "{}.url, {}.method, {}.proto and {}.http.*: comparisons with ~ !~ == != and a string, "
                         "a header alone, std.healthy(...), ! && || and parentheses)", f.text, p, p, p, p));
  }
  ignore(toks_[start].mark, fmt::format("'if' in {} on '{}' (not modelled; the returns and header changes under it "
                                        "are taken as not applying)", sub, f.text));
}

void VclReader::select_block(const std::string& sub, const std::string& var, const std::vector<RouteCond>& guards,
                             int depth) {
  const VclToken& open = peek();
  expect_op("{", "'{' to start the branch");
  while (!at_op("}")) {
    if (peek().kind == Kind::eof) error(open, "this '{' has no matching '}'");
    select_statement(sub, var, guards, depth);
  }
  next();
}

// `return (vcl(LABEL));`: the label must exist when the VCL is loaded (the timeline
// checks that, vcl_lifecycle.cpp).
void VclReader::select_label(const std::vector<RouteCond>& guards) {
  for (int i = 0; i < 4; i++) next();  // return ( vcl (
  const VclToken& l = expect(Kind::id, "a label name in return (vcl(...))");
  if (!is_name(l.text)) error(l, fmt::format("'{}' is not a label name", l.text));
  expect_op(")", "')' after the label");
  expect_op(")", "')' after vcl(...)");
  expect_op(";", "';' after return (...)");
  set_target(Target{l.mark, l.text, TargetKind::backend, 0, l.text}, guards, "vcl_recv");
}

// `return (ACTION);` in vcl_recv or vcl_backend_fetch: where the request goes from there.
// vcl_recv: pass, hash, pipe go on to the fetch with the hint so far (pipe skips
// vcl_backend_fetch), synth(N) and purge answer without one, fail fails the task.
// vcl_backend_fetch: fetch goes on, error(N) and abandon answer without a fetch (N, 503).
void VclReader::select_return(const std::string& sub, const std::vector<RouteCond>& guards) {
  const VclToken& kw = next();
  next();  // (
  const VclToken& a = expect(Kind::id, "an action in return (...)");
  Route r;
  r.mark = kw.mark;
  r.when = guards;
  r.backend_fetch = sub != "vcl_recv";
  bool recv = !r.backend_fetch;
  long status = -1;  // none given
  if (at_op("(")) {  // synth(N, "reason"), error(N, "reason")
    next();
    if (peek().kind == Kind::num && (peek(1).is_op(",") || peek(1).is_op(")")))
      status = std::min(std::strtol(peek().text.c_str(), nullptr, 10), 1000000L);
    else if (!at_op(")"))
      status = -2;  // an expression vdisim does not evaluate
    for (int d = 1; d > 0;) {
      if (peek().kind == Kind::eof) error(a, "this '(' has no matching ')'");
      const VclToken& t = next();
      d += t.is_op("(") ? 1 : t.is_op(")") ? -1 : 0;
    }
  }
  const std::string& what = a.text;
  bool synth = (recv && what == "synth") || (!recv && what == "error");
  if ((recv && (what == "pass" || what == "hash")) || (!recv && what == "fetch")) r.action = Route::Action::end;
  else if (recv && what == "pipe") r.action = Route::Action::pipe;
  else if (synth && status >= 0) r.action = Route::Action::synth, r.status = static_cast<int>(status);
  else if (!recv && what == "error" && status == -1) r.action = Route::Action::synth, r.status = 503;
  else if (recv && what == "purge") r.action = Route::Action::synth, r.status = 200;
  else if (!recv && what == "abandon") r.action = Route::Action::synth, r.status = 503;
  else if (what == "fail") r.action = Route::Action::fail;
  else {  // restart (a loop through vcl_recv), a status vdisim does not read, what VCC refuses here
    expect_op(")", "')' after the action");
    expect_op(";", "';' after return (...)");
    return ignore(kw.mark, fmt::format("'return ({})' in {}{}", what, sub,
                                       synth ? " (its status is not a number vdisim reads)" : ""));
  }
  expect_op(")", "')' after the action");
  expect_op(";", "';' after return (...)");
  v_.routes.push_back(std::move(r));
}

// A selection is a route in the order it runs; an unconditional one is also the
// default target (what requests get when nothing conditional applies), unless an
// unconditional return (vcl(...)) came first: nothing after it runs.
void VclReader::set_target(const Target& t, const std::vector<RouteCond>& guards, const std::string& sub) {
  Route r;
  r.mark = t.mark;
  r.when = guards;
  r.target = t;
  r.backend_fetch = sub != "vcl_recv";
  v_.routes.push_back(std::move(r));
  if (!guards.empty()) return;
  if (target_set_ && !v_.default_target.label.empty()) return;
  v_.default_target = t;
  target_set_ = true;
}

// The call that picks from an object (`h.backend(req.url)`) is the object's `backend:`;
// the model has one per object.
void VclReader::pick_call(std::size_t director, VmodCall c) {
  Director& d = v_.directors[director];
  auto [it, fresh] = picked_.emplace(director, c.mark);
  if (!fresh && d.vmod_backend && d.vmod_backend->text != c.text)
    fail(file_ctx(c.mark), c.mark, fmt::format("'{}': '{}' is picked with '{}' at {} too; vdisim models one pick "
                                               "call per object", c.text, d.name, d.vmod_backend->text,
                                               line_of(it->second)));
  d.vmod_backend = std::move(c);
}

void VclReader::default_target() {
  // Only unconditional selections: the last one (default_target) is all there is to it.
  bool program = std::any_of(v_.routes.begin(), v_.routes.end(), [](const Route& r) {
    return !r.when.empty() || r.action != Route::Action::select;
  });
  if (!program) v_.routes.clear();
  if (target_set_) return;
  // No selection: varnishd sends requests to the first backend declared.
  v_.default_target = Target{{}, v_.backends.front().name, TargetKind::backend, 0, {}};
}

}  // namespace vdisim::scenario::detail
