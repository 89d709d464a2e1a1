// VCL file reader, part 3 (vcl_reader.hpp): the conditions of the `if`s around a
// selection (vcl_reader_subs.cpp), on what requests carry: URL, method, protocol and
// headers compared or matched, std.healthy() of a backend or director, combined with
// &&, || and !. Anything else leaves the condition unmodelled.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

#include "sim/scenario/vcl_reader.hpp"

namespace vdisim::scenario::detail {

// At '(' after `if`: the condition up to its ')', or nothing (pos_ at the first token that
// is not modelled) when it reads something requests do not carry.
std::optional<RouteCond> VclReader::if_condition(const std::string& sub) {
  expect_op("(", "'(' after if");
  std::optional<RouteCond> c = cond_chain(sub == "vcl_recv" ? "req" : "bereq", 0, 0);
  if (!c) return c;
  expect_op(")", "')' after the condition");
  return c;
}

// VCL's precedence: `||` (level 0) below `&&` (level 1) below `!` below a comparison.
std::optional<RouteCond> VclReader::cond_chain(const std::string& prefix, int depth, int level) {
  auto operand = [&] { return level == 0 ? cond_chain(prefix, depth, 1) : cond_not(prefix, depth); };
  const char* op = level == 0 ? "||" : "&&";
  std::optional<RouteCond> first = operand();
  if (!first || !at_op(op)) return first;
  RouteCond chain;
  chain.kind = level == 0 ? RouteCond::Kind::any : RouteCond::Kind::all;
  chain.mark = first->mark;
  chain.kids.push_back(std::move(*first));
  while (at_op(op)) {
    next();
    std::optional<RouteCond> c = operand();
    if (!c) return c;
    chain.kids.push_back(std::move(*c));
  }
  return chain;
}

std::optional<RouteCond> VclReader::cond_not(const std::string& prefix, int depth) {
  if (depth > 16) error(peek(), "a condition nested more than 16 deep");
  if (at_op("!")) {
    next();
    std::optional<RouteCond> c = cond_not(prefix, depth + 1);
    if (c) c->negate = !c->negate;
    return c;
  }
  if (at_op("(")) {
    next();
    std::optional<RouteCond> c = cond_chain(prefix, depth + 1, 0);
    if (c) expect_op(")", "')'");
    return c;
  }
  return comparison(prefix);
}

// `req.url ~ "re"`, `req.method == "GET"`, `req.http.X != "v"`, `req.http.X` (set):
// what requests carry. nullopt (pos_ left at it) for anything else.
std::optional<RouteCond> VclReader::comparison(const std::string& prefix) {
  const VclToken& f = peek();
  if (f.kind != Kind::id) return std::nullopt;
  RouteCond c;
  c.mark = f.mark;
  if (f.text == "std.healthy" && peek(1).is_op("(")) return healthy(prefix);
  if (!request_field(f, prefix, &c.field, &c.header)) return std::nullopt;
  const VclToken& op = peek(1);
  if (!op.is_op("~") && !op.is_op("!~") && !op.is_op("==") && !op.is_op("!=")) {
    if (c.field != RouteCond::Field::header) return std::nullopt;
    next();
    c.kind = RouteCond::Kind::present;
    return c;
  }
  const VclToken& val = peek(2);
  if (val.kind != Kind::str || peek(3).is_op("+")) return std::nullopt;
  next();
  next();
  next();
  c.op = op.is_op("~") || op.is_op("!~") ? RouteCond::Op::match : RouteCond::Op::equal;
  c.negate = op.is_op("!~") || op.is_op("!=");
  c.mark = val.mark;
  c.value = val.text;
  return c;
}

bool VclReader::request_field(const VclToken& t, const std::string& prefix, RouteCond::Field* field,
                              std::string* header) const {
  if (t.kind != Kind::id) return false;
  std::string lower = t.text;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string http = prefix + ".http.";
  if (lower == prefix + ".url") *field = RouteCond::Field::url;
  else if (lower == prefix + ".method") *field = RouteCond::Field::method;
  else if (lower == prefix + ".proto") *field = RouteCond::Field::proto;
  else if (lower.rfind(http, 0) == 0 && lower.size() > http.size()) *field = RouteCond::Field::header;
  else return false;
  if (*field == RouteCond::Field::header) *header = t.text.substr(http.size());
  return true;
}

// At `std.healthy(`: of the hint so far (req.backend_hint, bereq.backend), a backend, or
// an object's pick call (the object's one `backend:` call, as a selection's). nullopt for
// any other argument.
std::optional<RouteCond> VclReader::healthy(const std::string& prefix) {
  const VclToken& a = peek(2);
  if (a.kind != Kind::id || !(peek(3).is_op(")") || peek(3).is_op("("))) return std::nullopt;
  RouteCond c;
  c.kind = RouteCond::Kind::healthy;
  c.mark = peek().mark;
  std::string hint = prefix == "req" ? "req.backend_hint" : "bereq.backend";
  if (a.text == hint && peek(3).is_op(")")) {
    c.target.mark = a.mark;  // name "": the hint so far
  } else if (const BackendDecl* b = v_.find_backend(a.text); b && peek(3).is_op(")")) {
    c.target = Target{a.mark, a.text, TargetKind::backend, static_cast<std::size_t>(b - v_.backends.data()), {}};
  } else if (peek(3).is_op("(") && v_.find_director(a.text.substr(0, a.text.find('.')))) {
    next();
    next();
    VmodCall call_text = call(next());
    std::size_t i = static_cast<std::size_t>(v_.find_director(call_text.object) - v_.directors.data());
    c.target = Target{a.mark, call_text.object, TargetKind::director, i, {}};
    pick_call(i, std::move(call_text));
    expect_op(")", "')' after std.healthy's argument");
    healthy_used_ = true;
    return c;
  } else {
    return std::nullopt;
  }
  for (int k = 0; k < 4; k++) next();  // std.healthy ( ARG )
  healthy_used_ = true;
  return c;
}

// `return (vcl(` at token i: vcl_recv switching the request to a label's VCL.
bool VclReader::returns_vcl(std::size_t i) const {
  return toks_[i].is_id("return") && i + 3 < toks_.size() && toks_[i + 1].is_op("(") &&
         toks_[i + 2].is_id("vcl") && toks_[i + 3].is_op("(");
}

}  // namespace vdisim::scenario::detail
