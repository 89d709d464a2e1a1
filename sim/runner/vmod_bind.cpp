// Binding scenario values to .vcc parameters by VCL type (see vmod_bind.hpp).
#include "sim/runner/vmod_bind.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cmath>

#include "cache/cache.h"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/scenario/durations.hpp"

namespace vdisim::runner::vmod {

namespace sc = vdisim::scenario;
using Kind = sc::VmodArg::Kind;

namespace {

const char *kind_name(Kind k) {
  switch (k) {
    case Kind::string: return "a string";
    case Kind::number: return "a number";
    case Kind::duration: return "a duration";
    case Kind::boolean: return "a boolean";
    case Kind::ident: return "a name";
    case Kind::call: return "a call";
    case Kind::concat: return "a concatenation";
  }
  return "?";
}

std::string param_label(const Param &p, std::size_t i) {
  return p.name.empty() ? fmt::format("argument {} ({})", i + 1, p.type) : fmt::format("'{}' ({})", p.name, p.type);
}

// A .vcc default (`= 1.0`, `= "x"`, `= HASH`, `= 0`) as if it had been written in the file.
sc::VmodArg literal(const std::string &text) {
  sc::VmodArg a;
  a.text = text;
  if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'')) {
    a.kind = Kind::string;
    a.text = text.substr(1, text.size() - 2);
  } else if (text == "true" || text == "false") {
    a.kind = Kind::boolean;
    a.boolean = text == "true";
  } else if (!text.empty() && (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '.')) {
    std::string err;
    if (auto ns = sc::parse_duration(text, &err); ns && text.find_first_not_of("-0123456789.") != std::string::npos) {
      a.kind = Kind::duration;
      a.duration_ns = *ns;
    } else {
      a.kind = Kind::number;
      a.number = std::strtod(text.c_str(), nullptr);
    }
  } else {
    a.kind = Kind::ident;
  }
  return a;
}

std::string special_name(Special s) {
  switch (s) {
    case Special::answer: return "answer";
    case Special::req_url: return "req.url";
    case Special::req_host: return "req.http.host";
    case Special::client_identity: return "client.identity";
    default: return "";
  }
}

// "" if `a` fits parameter p; sets *sp for the runner's identifiers.
std::string check_value(const Param &p, const sc::VmodArg &a, const std::vector<Special> &specials,
                        const NameCheck &names, Special *sp) {
  const std::string &t = p.type;
  auto wrong = [&](const char *want) {
    return fmt::format("expected {}, got {} '{}'", want, kind_name(a.kind), a.text);
  };
  if (a.kind == Kind::ident && t != "HEADER")  // a HEADER is the header itself, not its value
    for (Special s : specials)
      if (a.text == special_name(s)) {
        if (t != "STRING" && t != "STRANDS") return fmt::format("'{}' is a STRING; this parameter is {}", a.text, t);
        *sp = s;
        return "";
      }
  // Any other header's value in a request (`cookie.parse(req.http.Cookie)`), as VCL passes it.
  if ((t == "STRING" || t == "STRANDS") && a.kind == Kind::ident &&
      std::find(specials.begin(), specials.end(), Special::header_value) != specials.end() &&
      header_problem(a.text).empty()) {
    *sp = Special::header_value;
    return "";
  }
  if (t == "STRING" || t == "STRANDS") return a.kind == Kind::string ? "" : wrong("a \"string\"");
  if (a.kind == Kind::concat) return fmt::format("'{}' is a STRING; this parameter is {}", a.text, t);
  if (t == "INT" || t == "BYTES") {
    if (t == "INT" && a.kind == Kind::call) return "";  // `key = sh.key(req.url)`: checked by the caller
    if (a.kind != Kind::number) return wrong("an integer");
    return a.number == std::floor(a.number) && std::fabs(a.number) < 9e15 ? "" : wrong("an integer");
  }
  if (t == "REAL") return a.kind == Kind::number ? "" : wrong("a number");
  if (t == "DURATION") return a.kind == Kind::duration || a.kind == Kind::number ? "" : wrong("a duration (1.5s)");
  if (t == "BOOL") {
    if (a.kind == Kind::boolean || (a.kind == Kind::number && (a.number == 0 || a.number == 1))) return "";
    return wrong("true or false");
  }
  if (t == "ENUM") {
    if (a.kind != Kind::ident && a.kind != Kind::string) return wrong("one of its values");
    if (std::find(p.enums.begin(), p.enums.end(), a.text) != p.enums.end()) return "";
    std::string all;
    for (const auto &e : p.enums) all += (all.empty() ? "" : ", ") + e;
    return fmt::format("'{}' is not a value of this ENUM (expected one of {})", a.text, all);
  }
  if (t == "BACKEND") {
    if (a.kind == Kind::number && a.number == 0) return "";  // NULL
    if (a.kind == Kind::call) return "";  // its object, method and arguments: checked by the caller
    if (a.kind != Kind::ident) return wrong("a backend or director name (or a call returning one)");
    return names ? names(a.text, t) : "";
  }
  if (t == "PROBE") {
    if (a.kind == Kind::number && a.number == 0) return "";  // none
    if (a.kind != Kind::ident) return wrong("0 or the name of a backend with a probe");
    return names ? names(a.text, t) : "";
  }
  if (t == "BLOB") return a.kind == Kind::string ? "" : wrong("a \"string\" (the BLOB's bytes)");
  if (t == "IP") {
    unsigned char buf[16];
    if (a.kind == Kind::string && (inet_pton(AF_INET, a.text.c_str(), buf) == 1 ||
                                   inet_pton(AF_INET6, a.text.c_str(), buf) == 1))
      return "";
    return wrong("an address in a string (\"10.0.0.1\", \"::1\")");
  }
  if (t == "HEADER") {
    if (a.kind != Kind::ident) return wrong("a header (req.http.X-Key)");
    return header_problem(a.text);
  }
  return fmt::format("VCL type {} is not supported by vdisim's vmod glue", t);
}

}  // namespace

std::string header_problem(const std::string &text) {
  static const char *const wheres[] = {"req", "req_top", "resp", "obj", "bereq", "beresp", "obj_stale"};
  auto dot = text.find(".http.");
  std::string where = text.substr(0, dot);
  if (dot == std::string::npos || std::find(std::begin(wheres), std::end(wheres), where) == std::end(wheres))
    return fmt::format("'{}' is not a header (req.http.NAME, resp.http.NAME, bereq.http.NAME ...)", text);
  std::string name = text.substr(dot + 6);
  if (name.empty() || name.size() > 254 || name.find_first_of(": \t") != std::string::npos)
    return fmt::format("'{}': bad header name", text);
  return "";
}

const std::vector<Special> &request_specials() {
  static const std::vector<Special> s = {Special::req_url, Special::req_host, Special::client_identity,
                                         Special::header_value};
  return s;
}

std::string bind_call(const std::vector<Param> &params, const std::vector<sc::VmodArg> &args,
                 const std::vector<Special> &specials, const NameCheck &names, Bound *out, sc::Mark *at) {
  out->params = &params;
  out->args.assign(params.size(), BoundArg{});
  std::size_t next = 0;
  bool named_seen = false;
  for (const auto &a : args) {
    *at = a.mark;
    std::size_t i = 0;
    if (a.name.empty()) {
      if (named_seen) return "a positional argument after a named one";
      while (next < params.size() && is_priv(params[next].type)) next++;
      if (next >= params.size()) return fmt::format("too many arguments (takes {})", params.size());
      i = next++;
    } else {
      named_seen = true;
      auto it = std::find_if(params.begin(), params.end(), [&](const Param &p) { return p.name == a.name; });
      if (it == params.end()) {
        std::string all;
        for (const auto &p : params)
          if (!p.name.empty() && !is_priv(p.type)) all += (all.empty() ? "" : ", ") + p.name;
        return fmt::format("no parameter '{}' (parameters: {})", a.name, all.empty() ? "none named" : all);
      }
      i = static_cast<std::size_t>(it - params.begin());
      if (out->args[i].given) return fmt::format("'{}' given twice", a.name);
    }
    Special sp = Special::none;
    std::vector<Special> parts;  // a concatenation's, one per part
    std::string why;
    if (a.kind == Kind::concat && (params[i].type == "STRING" || params[i].type == "STRANDS")) {
      for (const auto &part : a.parts) {
        Special psp = Special::none;
        if (why.empty()) why = check_value(params[i], part, specials, names, &psp);
        parts.push_back(psp);
      }
    } else {
      why = check_value(params[i], a, specials, names, &sp);
    }
    if (!why.empty()) return param_label(params[i], i) + ": " + why;
    out->args[i] = BoundArg{true, a, sp, std::move(parts)};
  }
  for (std::size_t i = 0; i < params.size(); i++) {
    const Param &p = params[i];
    if (out->args[i].given || is_priv(p.type) || p.optional) continue;
    if (p.type == "PROBE" && p.deflt) continue;  // unset: the director's probe option, else none
    if (!p.deflt) return fmt::format("missing {}", param_label(p, i));
    out->args[i] = BoundArg{true, literal(*p.deflt), Special::none};
  }
  return "";
}

std::string bind_member_call(const Method &m, bool with_weight, Bound *out) {
  out->params = &m.params;
  out->args.assign(m.params.size(), BoundArg{});
  bool have_be = false, have_w = false;
  for (std::size_t i = 0; i < m.params.size(); i++) {
    const Param &p = m.params[i];
    if (p.type == "BACKEND" && !have_be) {
      out->args[i].given = true;
      out->args[i].special = Special::member;
      have_be = true;
    } else if (p.type == "REAL" && !have_w && with_weight) {
      out->args[i].given = true;
      out->args[i].special = Special::weight;
      have_w = true;
    } else if (p.optional) {
      continue;  // [optional]: not passed (valid_<name> stays 0), its default is not used
    } else if (p.deflt) {
      out->args[i] = BoundArg{true, literal(*p.deflt), Special::none};
    } else if (!is_priv(p.type)) {
      return fmt::format(".{}() has a required {} besides the backend", m.name, param_label(p, i));
    }
  }
  if (!have_be) return fmt::format(".{}() takes no BACKEND", m.name);
  return "";
}

Bound bind_defaults(const std::vector<Param> &params) {
  Bound b;
  b.params = &params;
  b.args.assign(params.size(), BoundArg{});
  for (std::size_t i = 0; i < params.size(); i++) {
    const Param &p = params[i];
    if (is_priv(p.type) || (p.optional && !p.deflt) || p.type == "PROBE") continue;
    sc::VmodArg v = p.deflt ? literal(*p.deflt) : sc::VmodArg{};
    if (!p.deflt) {
      const std::string &t = p.type;
      v.kind = t == "STRING" || t == "STRANDS" ? Kind::string : t == "BOOL" ? Kind::boolean
               : t == "ENUM" && !p.enums.empty() ? Kind::ident : Kind::number;
      if (t == "ENUM" && !p.enums.empty()) v.text = p.enums.front();
    }
    b.args[i] = BoundArg{true, v, Special::none};
  }
  return b;
}

namespace {

// A request's string, copied to its task workspace (it lives as long as the task).
const char *on_workspace(VRT_CTX, const std::string &text) {
  if (ctx->ws == nullptr) return nullptr;
  return static_cast<const char *>(WS_Copy(ctx->ws, text.c_str(), -1));
}

// The value of one of the runner's identifiers in the call's request (nullopt: an unset header).
std::optional<std::string> request_value(VRT_CTX, Special s, const sc::VmodArg &v, const CallEnv &env) {
  switch (s) {
    case Special::answer: return *env.answer;
    case Special::req_url: return *env.url;
    case Special::req_host: return *env.host;
    case Special::client_identity: return *env.client_identity;
    case Special::header_value:
      if (const char *h = VRT_GetHdr(ctx, vcl_header(ctx, v.text))) return std::string(h);
      return std::nullopt;
    default: return std::nullopt;
  }
}

VCL_BACKEND lookup_backend(VRT_CTX, const std::string &name) {
  struct vcl *v = ctx->vcl;
  if (v == nullptr) throw std::invalid_argument("BACKEND '" + name + "' named outside a VCL");
  std::string cli = v->name + "." + name;
  for (auto it = v->dirs.rbegin(); it != v->dirs.rend(); ++it)
    if ((*it)->cli_name == cli && !(*it)->destroyed) return (*it)->dir;
  if (VCL_BACKEND be = nullptr; object_backend(ctx, name, &be)) return be;
  if (is_none_backend(ctx, name)) return nullptr;
  throw std::invalid_argument(fmt::format("no backend or director '{}' in vcl {}", name, v->name));
}

}  // namespace

void fill(VRT_CTX, const Bound &b, const CallEnv &env, Args &a) {
  const auto &params = *b.params;
  for (std::size_t i = 0; i < params.size(); i++) {
    const Param &p = params[i];
    const BoundArg &ba = b.args[i];
    Args::Slot &s = a.slot(i);
    if (p.type == "PRIV_VCL") s.priv = env.priv_vcl;
    if (p.type == "PRIV_CALL") s.priv = env.priv_call;
    if (p.type == "PRIV_TASK") s.priv = VRT_priv_task(ctx, env.task_id);
    if (p.type == "PRIV_TOP") s.priv = VRT_priv_task(ctx, env.task_id);  // no ESI: the top request is the task
    if (p.type == "PROBE" && !ba.given && env.probe) {
      s.given = true;
      s.probe = env.probe;
    }
    if (!ba.given) continue;
    s.given = true;
    const sc::VmodArg &v = ba.value;
    if (v.kind == Kind::concat) {  // each part's value, an unset header as "" (VCL's NULL part)
      s.text.clear();
      for (std::size_t k = 0; k < v.parts.size(); k++)
        if (ba.parts[k] == Special::none) s.text += v.parts[k].text;
        else if (auto part = request_value(ctx, ba.parts[k], v.parts[k], env)) s.text += *part;
      s.stable = on_workspace(ctx, s.text);
      continue;
    }
    switch (ba.special) {
      case Special::answer:
      case Special::req_url:
      case Special::req_host:
      case Special::client_identity:
      case Special::header_value:
        if (auto value = request_value(ctx, ba.special, v, env)) {
          s.text = *value;
          s.stable = on_workspace(ctx, s.text);  // a request's value: its task's workspace
        } else {
          s.null = true;  // an unset header is a NULL STRING, as in VCL
        }
        continue;
      case Special::member: s.backend = env.member; continue;
      case Special::weight: s.real = env.weight; continue;
      case Special::none: break;
    }
    // `= 0` / `= NULL` of a STRING or BACKEND in the .vcc is a NULL pointer, as in VCL.
    bool is_null = (v.kind == Kind::ident && v.text == "NULL") || (v.kind == Kind::number && v.number == 0 &&
                                                                    (p.type == "STRING" || p.type == "BACKEND"));
    if (is_null && (p.type == "STRING" || p.type == "STRANDS" || p.type == "BACKEND")) {
      s.null = true;
      continue;
    }
    s.text = v.text;
    if (p.type == "STRING" || p.type == "STRANDS") s.stable = vcl_literal(ctx, s.text);
    s.real = v.kind == Kind::duration ? static_cast<double>(v.duration_ns) * 1e-9 : v.number;
    s.i = v.kind == Kind::boolean ? (v.boolean ? 1 : 0) : static_cast<std::int64_t>(v.number);
    if (p.type == "BACKEND" && v.kind == Kind::ident) s.backend = lookup_backend(ctx, v.text);
    if (p.type == "BACKEND" && v.kind == Kind::call) s.backend = call_backend(ctx, *v.call, env);
    if (p.type == "INT" && v.kind == Kind::call) s.i = call_integer(ctx, *v.call, env);
    if (p.type == "PROBE" && v.kind == Kind::ident) s.probe = vcl_probe(ctx, v.text);
    if (p.type == "BLOB" && v.kind == Kind::string) s.blob = vcl_blob(ctx, v.text);
    if (p.type == "IP" && v.kind == Kind::string) s.ip = vcl_ip(ctx, v.text);
    if (p.type == "HEADER" && v.kind == Kind::ident) s.header = vcl_header(ctx, v.text);
  }
}

VCL_STRANDS Args::strands(std::size_t i) {
  Slot &s = slots_.at(i);
  static const struct strands empty {STRANDS_MAGIC, 0, nullptr};
  if (!s.given || s.null) return &empty;
  s.part = s.stable ? s.stable : s.text.c_str();
  s.strands.magic = STRANDS_MAGIC;
  s.strands.n = 1;
  s.strands.p = &s.part;
  return &s.strands;
}

}  // namespace vdisim::runner::vmod
