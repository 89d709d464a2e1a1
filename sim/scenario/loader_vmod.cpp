// Parses directors made by a vmod object, written in VCL syntax (docs/scenario-format.md,
// "vmod objects"): `new: mydir.resolver(ttl = 1s)`, `init: [d.add_backend(web1)]`,
// `backend: d.backend()`, `resolver` + `update: d.update(answer)`. Only the syntax and
// the object names are checked here; argument types are checked against the vmod's .vcc
// by the runner (sim/runner/vmod_registry.hpp), which reports file:line:col the same way.
#include <fmt/format.h>

#include <cctype>

#include "sim/scenario/durations.hpp"
#include "sim/scenario/loader_internal.hpp"

namespace vdisim::scenario::detail {
namespace {

constexpr std::size_t kMaxCallText = 4096;
constexpr std::size_t kMaxArgs = 64;
constexpr int kMaxDepth = 8;  // calls as arguments of calls

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A cursor over one call string; errors point at the character where parsing stopped.
class CallParser {
 public:
  CallParser(const Ctx& ctx, const Field& f, std::string text)
      : ctx_(ctx), f_(f), s_(std::move(text)), base_(f.mark()) {
    // A quoted YAML scalar starts one column before its text.
    if (f.node.IsScalar() && f.node.quoted()) base_.col += 1;
  }

  VmodCall call(bool is_new, std::string* lhs) {
    VmodCall c;
    c.text = s_;
    c.mark = f_.mark();
    skip();
    std::size_t start = i_;
    std::string first = ident("a name");
    skip();
    if (is_new && at('=')) {  // `d = mydir.resolver(...)`
      *lhs = first;
      i_++;
      skip();
      start = i_;
      first = ident("a vmod name");
      skip();
    }
    (void)start;
    expect('.', is_new ? "'.' between the vmod and the object (VMOD.OBJECT(...))"
                       : "'.' between the object and the method (OBJECT.METHOD(...))");
    c.object = first;
    c.method = ident(is_new ? "an object name" : "a method name");
    skip();
    expect('(', "'(' to start the arguments");
    skip();
    if (!at(')')) {
      for (;;) {
        if (c.args.size() >= kMaxArgs) error(fmt::format("more than {} arguments", kMaxArgs));
        c.args.push_back(arg());
        skip();
        if (at(',')) {
          i_++;
          skip();
          continue;
        }
        break;
      }
    }
    expect(')', "',' or ')' after an argument");
    skip();
    if (i_ < s_.size()) {
      if (at(';')) error("no ';' after a call (one call per entry)");
      error(fmt::format("unexpected '{}' after the call", s_.substr(i_, 1)));
    }
    return c;
  }

 private:
  [[noreturn]] void error(const std::string& msg) {
    Mark at = base_;
    at.col += static_cast<int>(i_);
    fail(ctx_, at, fmt::format("{}: {} in '{}'", f_.key, msg, s_));
  }
  Mark here() const { return Mark{base_.line, base_.col + static_cast<int>(i_)}; }
  bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) i_++;
  }
  void expect(char c, const std::string& what) {
    if (!at(c)) error(i_ < s_.size() ? fmt::format("expected {}, got '{}'", what, s_[i_]) : "expected " + what);
    i_++;
  }
  std::string ident(const std::string& what) {
    if (i_ >= s_.size() || !ident_start(s_[i_]))
      error(i_ < s_.size() ? fmt::format("expected {}, got '{}'", what, s_[i_]) : "expected " + what);
    std::size_t b = i_;
    while (i_ < s_.size() && ident_char(s_[i_])) i_++;
    return s_.substr(b, i_ - b);
  }

  VmodArg arg() {
    VmodArg a;
    a.mark = here();
    if (i_ < s_.size() && ident_start(s_[i_])) {  // `name = value` or an identifier value
      std::size_t save = i_;
      std::string id = ident("a name");
      skip();
      if (at('=')) {
        a.name = id;
        i_++;
        skip();
        a.mark = here();
      } else {
        i_ = save;
      }
    }
    value(a);
    return a;
  }

  void value(VmodArg& a) {
    if (i_ >= s_.size()) error("expected an argument");
    char c = s_[i_];
    if (c == '"') {
      std::size_t end = s_.find('"', i_ + 1);
      if (end == std::string::npos) error("unterminated string");
      a.kind = VmodArg::Kind::string;
      a.text = s_.substr(i_ + 1, end - i_ - 1);
      i_ = end + 1;
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
      std::size_t b = i_;
      i_++;
      while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.')) i_++;
      a.text = s_.substr(b, i_ - b);
      number(a, b);
      return;
    }
    if (ident_start(c)) {
      std::size_t b = i_;
      // '-' as in backend names and header names (req.http.X-Key)
      while (i_ < s_.size() && (ident_char(s_[i_]) || s_[i_] == '.' || s_[i_] == '-')) i_++;
      a.text = s_.substr(b, i_ - b);
      std::size_t dot = a.text.find('.');
      skip();
      if (at('(') && dot != std::string::npos && a.text.find('.', dot + 1) == std::string::npos) {
        nested(a, b, dot);
        return;
      }
      if (a.text == "true" || a.text == "false") {
        a.kind = VmodArg::Kind::boolean;
        a.boolean = a.text == "true";
      } else {
        a.kind = VmodArg::Kind::ident;
      }
      return;
    }
    error(fmt::format("expected a string, number, duration, true/false or a name, got '{}'", c));
  }

  // OBJECT.METHOD(args) as an argument: the cursor is at '('; b is where the name began.
  void nested(VmodArg& a, std::size_t b, std::size_t dot) {
    if (++depth_ > kMaxDepth) error(fmt::format("calls nested more than {} deep", kMaxDepth));
    auto c = std::make_shared<VmodCall>();
    c->mark = a.mark;
    c->object = a.text.substr(0, dot);
    c->method = a.text.substr(dot + 1);
    i_++;  // '('
    skip();
    if (!at(')')) {
      for (;;) {
        if (c->args.size() >= kMaxArgs) error(fmt::format("more than {} arguments", kMaxArgs));
        c->args.push_back(arg());
        skip();
        if (!at(',')) break;
        i_++;
        skip();
      }
    }
    expect(')', "',' or ')' after an argument");
    depth_--;
    c->text = s_.substr(b, i_ - b);
    a.kind = VmodArg::Kind::call;
    a.text = c->text;
    a.call = std::move(c);
  }

  void number(VmodArg& a, std::size_t b) {
    std::string why = read_vmod_number(a);
    if (why.empty()) return;
    i_ = b;
    error(why);
  }

  const Ctx& ctx_;
  const Field& f_;
  std::string s_;
  Mark base_;
  std::size_t i_ = 0;
  int depth_ = 0;
};

}  // namespace

std::string read_vmod_number(VmodArg& a) {
  const std::string& t = a.text;
  if (t.find_first_not_of("+-0123456789.eE") != std::string::npos) {  // "1s", "1m30s", "250ms"
    std::string why;
    std::string_view body = t;
    bool neg = !body.empty() && body[0] == '-';
    if (neg) body.remove_prefix(1);
    auto ns = parse_duration(body, &why);
    if (!ns) return why;
    a.kind = VmodArg::Kind::duration;
    a.duration_ns = neg ? -*ns : *ns;
    return "";
  }
  try {
    std::size_t used = 0;
    a.number = std::stod(t, &used);
    if (used != t.size()) return fmt::format("bad number '{}'", t);
  } catch (const std::exception&) {
    return fmt::format("bad number '{}'", t);
  }
  a.kind = VmodArg::Kind::number;
  return "";
}

namespace {

VmodCall parse_call(const Ctx& ctx, const Field& f, bool is_new, std::string* lhs) {
  std::string text = read_string(ctx, f);
  if (text.size() > kMaxCallText) fail(ctx, f, fmt::format("{}: call longer than {} characters", f.key, kMaxCallText));
  return CallParser(ctx, f, text).call(is_new, lhs);
}

}  // namespace

VmodCall parse_method_call(const Ctx& ctx, const Field& f) { return parse_call(ctx, f, false, nullptr); }

bool is_vmod_director(const MapReader& m) { return m.get("new").has_value(); }

bool vmod_type_shorthand(const Field& f, Director& d) {
  const std::string& t = d.type_text;
  auto dot = t.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == t.size()) return false;
  for (std::size_t i = 0; i < t.size(); i++)
    if (i != dot && !ident_char(t[i])) return false;
  if (!ident_start(t[0]) || !ident_start(t[dot + 1])) return false;
  d.type = DirectorType::vmod;
  VmodCall c;
  c.mark = f.mark();
  c.object = t.substr(0, dot);
  c.method = t.substr(dot + 1);
  c.text = t + "()";
  d.vmod_new = c;
  return true;
}

void parse_vmod_director(const Ctx& ctx, const MapReader& m, Director& d) {
  for (const char* k : {"type", "options"})
    if (auto v = m.get(k))
      fail(ctx, v->key_mark, fmt::format("'{}' does not go with 'new' (a vmod object takes its arguments in the "
                                         "constructor call)", k));
  Field nf = m.require("new");
  std::string lhs;
  VmodCall nc = parse_call(ctx, nf, true, &lhs);
  auto name = m.get("name");
  if (name) d.name = read_name(ctx, *name);
  if (!lhs.empty()) {
    if (name && lhs != d.name)
      fail(ctx, nf, fmt::format("new: the object is called '{}' here but the entry's name is '{}'", lhs, d.name));
    d.name = lhs;
  }
  if (d.name.empty()) m.missing("name", " (or write new: NAME = VMOD.OBJECT(...))");
  if (!is_name(d.name) || d.name.find('-') != std::string::npos)
    fail(ctx, nf, fmt::format("new: invalid object name '{}' (letters, digits and '_')", d.name));
  d.type = DirectorType::vmod;
  d.type_text = nc.object + "." + nc.method;
  d.vmod_new = std::move(nc);
  if (auto v = m.get("init"))
    for (const auto& item : read_list(ctx, *v)) d.vmod_init.push_back(parse_call(ctx, item, false, nullptr));
  if (auto v = m.get("backend")) d.vmod_backend = parse_call(ctx, *v, false, nullptr);
  auto res = m.get("resolver"), upd = m.get("update");
  if (res && !upd) m.missing("update", " (a resolver's answers go to a method: update: NAME.METHOD(answer))");
  if (upd && !res) m.missing("resolver", " (update is called with the answers of a resolver)");
  if (res) {
    d.options.resolver = read_name(ctx, *res);
    d.options.given["resolver"] = res->mark();
    d.vmod_update = parse_call(ctx, *upd, false, nullptr);
  }
  for (const VmodCall* c : {d.vmod_backend ? &*d.vmod_backend : nullptr, d.vmod_update ? &*d.vmod_update : nullptr})
    if (c && c->object != d.name)
      fail(ctx, c->mark, fmt::format("'{}' calls '{}'; it must call a method of '{}' itself", c->text, c->object,
                                     d.name));
}

void reject_vmod_keys(const Ctx& ctx, const MapReader& m) {
  for (const char* k : {"init", "backend", "resolver", "update"})
    if (auto v = m.get(k))
      fail(ctx, v->key_mark, fmt::format("'{}' is for vmod objects (directors written with 'new: VMOD.OBJECT(...)')", k));
}

void check_vmod_objects(const Ctx& ctx, const Vcl& v) {
  for (std::size_t j = 0; j < v.directors.size(); ++j)
    for (const auto& c : v.directors[j].vmod_init) {
      std::size_t k = 0;
      while (k <= j && v.directors[k].name != c.object) k++;
      // A name of no director at all may be a vmod (`saintmode.denylist(...)` style
      // function calls): the runner checks it against the vmods it loaded.
      if (k > j && !v.find_director(c.object)) continue;
      if (k > j)
        fail(ctx, c.mark, fmt::format("init: '{}' is not an object created so far in vcl '{}'", c.object, v.name));
      if (v.directors[k].type != DirectorType::vmod)
        fail(ctx, c.mark, fmt::format("init: '{}' is a {} director, not a vmod object", c.object,
                                      to_string(v.directors[k].type)));
    }
}

}  // namespace vdisim::scenario::detail
