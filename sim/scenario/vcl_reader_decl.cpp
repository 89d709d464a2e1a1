// VCL file reader, part 1 (vcl_reader.hpp): the token cursor and the top-level
// declarations: `vcl 4.x;`, `import`, `backend`, `probe`, and where each `sub` is.
// Attribute sets and checks follow what varnishd's VCL compiler accepts; what vdisim
// does not model is accepted and listed in Vcl::ignored.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <glob.h>
#include <sstream>
#include <tuple>

#include "sim/fake_vrt/probe_window.hpp"
#include "sim/scenario/vcc_values.hpp"
#include "sim/scenario/vcl_reader.hpp"

namespace vdisim::scenario::detail {
namespace vrt = vdisim::vrt;
namespace {

// Backend attributes varnishd accepts that vdisim does not model (values are read and
// checked as VCC checks them, then listed as ignored), by the kind of value they take.
const std::vector<std::string> kIgnoredStrings = {"host_header", "authority"};
const std::vector<std::string> kIgnoredDurations = {"connect_timeout", "first_byte_timeout",
                                                    "between_bytes_timeout", "wait_timeout"};
const std::vector<std::string> kIgnoredOthers = {"proxy_header", "preamble", "via", "wait_limit"};
const std::vector<std::string> kBackendAttrs = {
    "host",          "port",     "path",  "host_header", "connect_timeout", "first_byte_timeout",
    "between_bytes_timeout", "probe", "max_connections", "proxy_header", "preamble", "via",
    "authority",     "wait_timeout", "wait_limit"};
const std::vector<std::string> kProbeAttrs = {"url",       "request",   "expected_response",
                                              "timeout",   "interval",  "window",
                                              "threshold", "initial",   "expect_close"};

// Names VCC's symbol table holds before it reads a VCL (Varnish 8.0): its top-level
// keywords, actions, functions and the variables that stand alone. A backend, probe or
// object may not take one (nor vcl_*, the subs' names).
const std::vector<std::string> kReservedNames = {
    "acl", "sub", "backend", "probe", "import", "vcl",                                       // top level
    "ban", "call", "hash_data", "if", "new", "return", "set", "synthetic", "unset",           // actions
    "regsub", "regsuball", "true", "false",                                                   // functions
    "req", "bereq", "beresp", "resp", "now"};                                                 // variables

bool among(const std::vector<std::string>& names, const std::string& n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

// VCC refuses a VCL that declares a backend, probe, acl or sub nothing refers to
// (vcc_feature +err_unref, on by default). A reference is any identifier naming it (or
// its first part: `rr.backend` refers to rr) but the name in its own declaration and an
// attribute name after '.'. Not counted: the first backend (the default one, unless a
// `backend default` follows), `backend default`, `probe default` and the vcl_* subs.
void check_references(const std::function<Ctx(Mark)>& ctx_of, const std::vector<VclToken>& toks) {
  struct Decl {
    std::string kind, name;
    Mark mark;
  };
  std::vector<Decl> decls;
  std::map<std::string, int> refs;
  bool first_backend_exempt = true;
  for (std::size_t i = 0; i < toks.size(); i++) {
    const VclToken& t = toks[i];
    if (t.kind != VclToken::Kind::id) continue;
    const VclToken* prev = i > 0 ? &toks[i - 1] : nullptr;
    bool declared = prev && prev->kind == VclToken::Kind::id &&
                    (prev->text == "backend" || prev->text == "probe" || prev->text == "acl" || prev->text == "sub") &&
                    (i < 2 || !toks[i - 2].is_op("."));
    if (declared) {
      if (prev->text == "backend" && t.text == "default") first_backend_exempt = false;
      decls.push_back(Decl{prev->text, t.text, t.mark});
      continue;
    }
    if (prev && prev->is_op(".")) continue;  // .host, .probe: attribute names
    refs[t.text.substr(0, t.text.find('.'))]++;
  }
  bool first_backend = true;
  for (const Decl& d : decls) {
    bool exempt = d.name == "default" || (d.kind == "sub" && d.name.rfind("vcl_", 0) == 0);
    if (d.kind == "backend") {
      exempt = exempt || (first_backend && first_backend_exempt);
      first_backend = false;
    }
    if (!exempt && refs[d.name] == 0)
      fail(ctx_of(d.mark), d.mark, fmt::format("unused {} '{}': nothing refers to it, and varnishd refuses such a VCL "
                                    "(\"Unused {} {}\", unless run with -p vcc_feature=-err_unref)",
                                    d.kind, d.name, d.kind, d.name));
  }
}

// Tokens of a VCL and the files it includes, all told (each file is bounded by the lexer).
constexpr std::size_t kMaxIncludedTokens = std::size_t{1} << 20;

}  // namespace

VclReader::VclReader(const Ctx& ctx, std::string_view src, Vcl& v)
    : ctx_(ctx), src_(src), v_(v) {
  std::vector<VclToken> main = lex_vcl(ctx, src);
  v_.includes.clear();
  splice_includes(main, 0);
  toks_.push_back(main.back());  // eof of the file itself
}

// `include "FILE";` and `include +glob "PATTERN";` anywhere, as Varnish 8.0.0's VCC
// resolves them: the tokens of each file in their place, 10 deep at most. "./NAME" is
// relative to the including file, "/NAME" absolute, any other NAME is looked for in
// vdisim's vcl_path: the directory of the VCL file the scenario names, then varnishd's
// default /etc/varnish and /usr/share/varnish/vcl. +glob takes absolute or "./" patterns
// only, its files in glob(3)'s order. Each file is read once; its tokens' marks name it.
void VclReader::splice_includes(const std::vector<VclToken>& in, int depth) {
  for (std::size_t i = 0; i + 1 < in.size(); i++) {  // not the eof
    const VclToken& t = in[i];
    if (!t.is_id("include")) {
      if (toks_.size() >= kMaxIncludedTokens)
        error(t, fmt::format("the VCL and the files it includes have more than {} tokens", kMaxIncludedTokens));
      toks_.push_back(t);
      continue;
    }
    bool glob = in[i + 1].is_op("+") && i + 2 < in.size() && in[i + 2].is_id("glob");
    std::size_t at = i + (glob ? 3 : 1);
    if (in[i + 1].is_op("+") && !glob) error(in[i + 2], "unknown include flag (8.0.0 knows +glob)");
    if (at >= in.size() || in[at].kind != Kind::str) error(in[std::min(at, in.size() - 1)], "include not followed by a string");
    if (at + 1 >= in.size() || !in[at + 1].is_op(";")) error(in[at], "include \"FILE\" not followed by ';'");
    const VclToken& name = in[at];
    if (depth >= 10) error(name, "includes nested more than 10 deep (does a file include itself?)");
    for (const std::string& file : include_files(name, glob)) {
      auto seen = std::find(v_.includes.begin(), v_.includes.end(), file);
      int index = static_cast<int>(seen - v_.includes.begin()) + 1;
      if (seen == v_.includes.end()) {
        std::error_code ec;  // not a device or a pipe, which could block the read
        std::optional<std::string> text;
        if (std::filesystem::is_regular_file(file, ec))
          text = read_file_prefix(file, kMaxVclFileBytes);  // the lexer refuses one byte more
        if (!text) error(name, fmt::format("include: cannot read '{}' (not a readable file)", file));
        v_.includes.push_back(file);
        sources_.push_back(std::move(*text));
      }
      std::vector<VclToken> toks = lex_vcl(Ctx{file}, sources_[static_cast<std::size_t>(index - 1)]);
      for (auto& tok : toks) tok.mark.file = index;
      splice_includes(toks, depth + 1);
    }
    i = at + 1;
  }
}

std::vector<std::string> VclReader::include_files(const VclToken& name, bool glob) const {
  namespace fs = std::filesystem;
  std::string pattern = name.text;
  if (pattern.rfind("./", 0) == 0)
    pattern = (fs::path(file_ctx(name.mark).file).parent_path() / pattern.substr(2)).lexically_normal().string();
  std::error_code ec;
  if (glob) {
    if (pattern.empty() || pattern[0] != '/')
      error(name, "+glob takes an absolute path or one starting with './'");
    glob_t g{};
    int r = ::glob(pattern.c_str(), 0, nullptr, &g);
    std::vector<std::string> files(g.gl_pathv, g.gl_pathv + (r == 0 ? g.gl_pathc : 0));
    globfree(&g);
    if (r == GLOB_NOMATCH) error(name, fmt::format("include +glob: '{}' matched no files", pattern));
    if (r != 0) error(name, fmt::format("include +glob: glob(3) failed on '{}' ({})", pattern, r));
    return files;
  }
  if (!pattern.empty() && pattern[0] == '/') return {pattern};
  std::vector<fs::path> path = {fs::path(ctx_.file).parent_path(), "/etc/varnish", "/usr/share/varnish/vcl"};
  for (const auto& dir : path)
    if (fs::is_regular_file(dir / pattern, ec)) return {(dir / pattern).lexically_normal().string()};
  std::string tried;
  for (const auto& dir : path) tried += (tried.empty() ? "" : ":") + dir.string();
  error(name, fmt::format("include: no file '{}' in vdisim's vcl_path {} (\"./{}\" is relative to the including "
                          "file)", pattern, tried, pattern));
}

Ctx VclReader::file_ctx(Mark m) const { return Ctx{m.file > 0 ? v_.includes.at(m.file - 1) : ctx_.file}; }

std::string_view VclReader::source_of(const VclToken& t) const {
  return t.mark.file > 0 ? std::string_view(sources_.at(static_cast<std::size_t>(t.mark.file - 1))) : src_;
}

std::string VclReader::line_of(Mark m) const {
  if (m.file == 0) return fmt::format("line {}", m.line);
  return fmt::format("{}:{}", std::filesystem::path(v_.includes.at(m.file - 1)).filename().string(), m.line);
}

const VclToken& VclReader::peek(std::size_t k) const {
  return toks_[std::min(pos_ + k, toks_.size() - 1)];  // the last token is eof
}

const VclToken& VclReader::next() {
  const VclToken& t = peek();
  if (pos_ + 1 < toks_.size()) pos_++;
  return t;
}

std::string VclReader::describe(const VclToken& t) const {
  switch (t.kind) {
    case Kind::eof: return "the end of the file";
    case Kind::str: return "a string";
    case Kind::csrc: return "inline C";
    default: return "'" + t.text + "'";
  }
}

void VclReader::error(const VclToken& t, const std::string& msg) const { fail(file_ctx(t.mark), t.mark, msg); }

void VclReader::expect_op(std::string_view op, const std::string& what) {
  if (!at_op(op)) error(peek(), fmt::format("expected {}, got {}", what, describe(peek())));
  next();
}

const VclToken& VclReader::expect(Kind k, const std::string& what) {
  if (peek().kind != k) error(peek(), fmt::format("expected {}, got {}", what, describe(peek())));
  return next();
}

std::size_t VclReader::skip_block() {
  const VclToken& open = peek();
  expect_op("{", "'{'");
  int depth = 1;
  while (peek().kind != Kind::eof) {
    const VclToken& t = next();
    if (t.is_op("{")) depth++;
    if (t.is_op("}") && --depth == 0) return pos_ - 1;
  }
  error(open, "this '{' has no matching '}'");
}

void VclReader::skip_statement() {
  if (peek().is_id("if")) {
    for (;;) {
      next();  // if / elseif / elsif / elif
      const VclToken& cond = peek();
      expect_op("(", "'(' after if");
      for (int depth = 1; depth > 0;) {
        if (peek().kind == Kind::eof) error(cond, "this '(' has no matching ')'");
        const VclToken& t = next();
        depth += t.is_op("(") ? 1 : t.is_op(")") ? -1 : 0;
      }
      skip_block();
      if (peek().is_id("else") && peek(1).is_id("if")) next();
      else if (!peek().is_id("elseif") && !peek().is_id("elsif") && !peek().is_id("elif")) break;
    }
    if (peek().is_id("else")) {
      next();
      skip_block();
    }
    return;
  }
  const VclToken& first = peek();
  int depth = 0;
  while (peek().kind != Kind::eof) {
    const VclToken& t = next();
    if (t.is_op("(") || t.is_op("{")) depth++;
    if (t.is_op(")") || t.is_op("}")) depth--;
    if (depth < 0) error(first, fmt::format("this statement has no ';' before the '{}' at line {}", t.text, t.mark.line));
    if (depth == 0 && t.is_op(";")) return;
  }
  error(first, "this statement has no ';' at its end");
}

void VclReader::ignore(Mark at, const std::string& what) {
  for (auto& i : v_.ignored)
    if (i.what == what) {
      i.count++;
      return;
    }
  v_.ignored.push_back(VclIgnored{at, what, 1});
}

void VclReader::declare(const std::string& name, Mark at) {
  if (name.rfind("vcl_", 0) == 0) fail(file_ctx(at), at, fmt::format("'{}': names vcl_* are reserved for VCL's subs", name));
  if (among(kReservedNames, name))
    fail(file_ctx(at), at, fmt::format("'{}' is a name VCL reserves (a keyword, action, function or variable)", name));
  for (const auto& imp : v_.imports)
    if (imp.name == name) fail(file_ctx(at), at, fmt::format("'{}' is already the name of an imported vmod (line {})", name, imp.mark.line));
  auto [it, fresh] = names_.emplace(name, at);
  if (!fresh)
    fail(file_ctx(at), at, fmt::format("'{}' is already declared ({})", name, line_of(it->second)));
}

// ---------------------------------------------------------------- top level

void VclReader::read() {
  version();
  while (peek().kind != Kind::eof) top_level();
  resolve_probes();
  if (v_.backends.empty())
    error(peek(), "this VCL declares no backend (varnishd needs one; 'backend NAME none;' declares one that is "
                  "NULL)");
  run_subs();
  default_target();
  drop_unused_imports();
  check_references([this](Mark m) { return file_ctx(m); }, toks_);
  std::stable_sort(v_.ignored.begin(), v_.ignored.end(), [](const VclIgnored& a, const VclIgnored& b) {
    return std::tie(a.mark.file, a.mark.line, a.mark.col) < std::tie(b.mark.file, b.mark.line, b.mark.col);
  });
}

void VclReader::version() {
  const VclToken& kw = peek();
  if (!kw.is_id("vcl"))
    error(kw, fmt::format("expected 'vcl 4.0;' or 'vcl 4.1;' first (varnishd requires it), got {}", describe(kw)));
  next();
  const VclToken& ver = expect(Kind::num, "a VCL version (4.0 or 4.1)");
  if (ver.text != "4.0" && ver.text != "4.1")
    error(ver, fmt::format("VCL version {} is not supported (4.0 or 4.1)", ver.text));
  expect_op(";", "';' after the VCL version");
}

void VclReader::top_level() {
  const VclToken& kw = peek();
  if (kw.kind == Kind::csrc) {
    next();
    return ignore(kw.mark, "inline C (C{ ... }C)");
  }
  if (kw.is_id("import")) return import();
  if (kw.is_id("backend")) return backend();
  if (kw.is_id("probe")) return probe_decl();
  if (kw.is_id("sub") || kw.is_id("acl")) {
    next();
    const VclToken& name = expect(Kind::id, fmt::format("a name after '{}'", kw.text));
    while (kw.is_id("acl") && !at_op("{") && peek().kind != Kind::eof) next();  // acl flags
    std::size_t begin = pos_ + 1;
    std::size_t end = skip_block();
    if (kw.is_id("sub")) subs_.push_back(Sub{kw.mark, name.text, begin, end});
    else ignore(kw.mark, "acl " + name.text);
    return;
  }
  error(kw, fmt::format("expected import, backend, probe, acl or sub at the top level, got {}", describe(kw)));
}

void VclReader::import() {
  next();
  const VclToken& name = expect(Kind::id, "a vmod name after 'import'");
  if (!is_name(name.text) || name.text.find_first_of("-.") != std::string::npos)
    error(name, fmt::format("bad vmod name '{}'", name.text));
  if (auto it = names_.find(name.text); it != names_.end())
    error(name, fmt::format("'{}' is already declared (line {})", name.text, it->second.line));
  VclImport imp{name.mark, name.text, ""};
  if (peek().is_id("from")) {
    next();
    const VclToken& p = expect(Kind::str, "a path string after 'from'");
    namespace fs = std::filesystem;
    fs::path path(p.text);
    if (path.is_relative()) path = fs::path(file_ctx(p.mark).file).parent_path() / path;
    imp.path = path.lexically_normal().string();
    std::error_code ec;
    if (!fs::is_regular_file(imp.path, ec))
      error(p, fmt::format("import {}: no such file '{}'{}", name.text, imp.path,
                           p.text == imp.path ? "" : " (relative to the VCL file that imports it)"));
    std::string want = "libvmod_" + name.text + ".so";
    if (path.filename() != want)
      error(p, fmt::format("import {}: vdisim loads vmod '{}' from a file named {}, not {}", name.text, name.text,
                           want, path.filename().string()));
  }
  expect_op(";", "';' after the import");
  for (const auto& seen : v_.imports)
    if (seen.name == imp.name) {
      if (seen.path != imp.path)
        error(name, fmt::format("vmod '{}' is imported twice, differently (line {})", imp.name, seen.mark.line));
      return;
    }
  v_.imports.push_back(std::move(imp));
}

// ---------------------------------------------------------------- backend, probe

void VclReader::backend() {
  next();
  const VclToken& name = expect(Kind::id, "a backend name");
  if (!is_name(name.text) || name.text.find('.') != std::string::npos)
    error(name, fmt::format("bad backend name '{}'", name.text));
  declare(name.text, name.mark);
  BackendDecl b;
  b.mark = name.mark;
  b.name = name.text;
  if (peek().is_id("none") || peek().is_id("None")) {  // VCC's NULL backend: nothing to reach
    next();
    expect_op(";", "';' after 'none'");
    b.none = true;
    v_.backends.push_back(std::move(b));
    return;
  }
  std::map<std::string, Mark> seen;
  std::string host, port;
  Mark host_mark;
  expect_op("{", "'{' after the backend name");
  while (!at_op("}")) backend_attr(b, seen, host, port, host_mark);
  next();
  if (!seen.count("host")) fail(file_ctx(b.mark), b.mark, fmt::format("backend {}: .host is required", b.name));
  std::string why;
  auto addr = vcc_address(host, seen.count("port") ? std::optional<std::string>(port) : std::nullopt, &why);
  if (!addr) fail(file_ctx(host_mark), host_mark, fmt::format("backend {}: bad address: {}", b.name, why));
  b.host = *addr;
  v_.backends.push_back(std::move(b));
}

void VclReader::backend_attr(BackendDecl& b, std::map<std::string, Mark>& seen, std::string& host,
                             std::string& port, Mark& host_mark) {
  expect_op(".", "'.' and an attribute (.host = \"...\";) or '}'");
  const VclToken& attr = expect(Kind::id, "an attribute name after '.'");
  if (std::find(kBackendAttrs.begin(), kBackendAttrs.end(), attr.text) == kBackendAttrs.end()) {
    std::string hint = suggest(attr.text, kBackendAttrs);
    error(attr, fmt::format("unknown backend attribute '.{}'{}", attr.text, hint.empty() ? "" : "; " + hint));
  }
  if (auto [it, fresh] = seen.emplace(attr.text, attr.mark); !fresh)
    error(attr, fmt::format(".{} is given twice (line {})", attr.text, it->second.line));
  expect_op("=", fmt::format("'=' after .{}", attr.text));
  const std::string& a = attr.text;
  if (a == "path") error(attr, ".path (a Unix socket backend) is not modelled by vdisim: use .host");
  if (among(kIgnoredStrings, a) || among(kIgnoredDurations, a) || among(kIgnoredOthers, a)) {
    if (among(kIgnoredStrings, a)) expect(Kind::str, fmt::format("a string after .{} =", a));
    if (among(kIgnoredDurations, a)) duration_value("." + a);
    if (a == "wait_limit") uint_value(0, UINT32_MAX, ".wait_limit");
    if (a == "proxy_header") {
      const VclToken& t = peek();
      if (auto n = uint_value(0, UINT32_MAX, ".proxy_header"); n != 1 && n != 2)
        error(t, ".proxy_header must be 1 or 2");
    }
    if (a == "via") {  // a backend declared before this one
      const VclToken& t = expect(Kind::id, "a backend name after .via =");
      bool known = std::any_of(v_.backends.begin(), v_.backends.end(), [&](const BackendDecl& d) { return d.name == t.text; });
      if (!known) error(t, fmt::format(".via: no backend named '{}' is declared before this one", t.text));
    }
    if (a == "preamble") skip_value();  // a blob
    else expect_op(";", "';' after the value");
    return ignore(attr.mark, "backend ." + a);
  }
  if (a == "probe" && at_op("{")) {
    b.probe = probe_body();
    if (at_op(";"))  // VCC reads the next attribute right after the inline probe's '}'
      error(peek(), "no ';' after an inline probe's '}' (varnishd refuses it: .probe = { ... } )");
    return;
  }
  if (a == "probe") {
    const VclToken& p = expect(Kind::id, "a probe name or '{' after .probe =");
    probe_refs_.push_back(ProbeRef{v_.backends.size(), p.text, p.mark, pos_ - 1});
  } else if (a == "max_connections") {
    // VCC keeps the number's low 32 bits; 0 is no limit, as when the attribute is absent.
    auto n = static_cast<std::uint32_t>(uint_value(0, UINT32_MAX, ".max_connections"));
    if (n > 0) b.max_connections = static_cast<int>(std::min<std::uint32_t>(n, INT32_MAX));
  } else {  // host, port
    const VclToken& s = expect(Kind::str, fmt::format("a string after .{} =", a));
    (a == "host" ? host : port) = s.text;
    if (a == "host") host_mark = s.mark;
  }
  expect_op(";", "';' after the value");
}

void VclReader::skip_value() {
  const VclToken& first = peek();
  while (!at_op(";")) {
    if (peek().kind == Kind::eof || at_op("}")) error(first, "this attribute has no ';' at its end");
    next();
  }
  next();
}

// VCC stores a whole number in an unsigned field: its low 32 bits (vcc_unsigned); lo and
// hi bound that stored value.
std::int64_t VclReader::uint_value(std::int64_t lo, std::int64_t hi, const std::string& what) {
  const VclToken& t = expect(Kind::num, fmt::format("a whole number for {}", what));
  auto n = vcc_unsigned(t.text);
  if (!n) error(t, fmt::format("{}: expected a whole number (at most 18 digits), got '{}'", what, t.text));
  if (*n < lo || *n > hi) error(t, fmt::format("{}: must be between {} and {}, got {}", what, lo, hi, *n));
  return *n;
}

std::int64_t VclReader::duration_value(const std::string& what) {
  const VclToken& t = expect(Kind::num, fmt::format("a duration for {} (e.g. 5s)", what));
  std::size_t digits = t.text.find_first_not_of("0123456789.");
  std::string number = t.text.substr(0, digits), unit = digits == std::string::npos ? "" : t.text.substr(digits);
  if (unit.empty() && peek().kind == Kind::id && peek().text.find('.') == std::string::npos)
    unit = next().text;  // "1.5 s": VCC reads the number and the unit as two tokens
  std::string why;
  auto ns = vcc_duration(number, unit, &why);
  if (!ns) error(t, fmt::format("{}: {}", what, why));
  return *ns;  // VCC takes 0 (the runtime's default then); a '-' is not a number to it
}

void VclReader::probe_decl() {
  next();
  const VclToken& name = expect(Kind::id, "a probe name");
  declare(name.text, name.mark);
  std::size_t at = pos_ - 1;
  ProbeSpec p = probe_body();
  probes_.emplace(name.text, std::make_pair(p, name.mark));
  probe_at_.emplace(name.text, at);
}

ProbeSpec VclReader::probe_body() {
  ProbeSpec p;
  p.mark = peek().mark;
  expect_op("{", "'{' to start the probe");
  std::map<std::string, const VclToken*> given;
  vrt::VclProbeFields f;
  while (!at_op("}")) {
    expect_op(".", "'.' and a probe attribute (.url = \"/\";) or '}'");
    const VclToken& attr = expect(Kind::id, "a probe attribute name after '.'");
    const std::string& a = attr.text;
    if (std::find(kProbeAttrs.begin(), kProbeAttrs.end(), a) == kProbeAttrs.end()) {
      std::string hint = suggest(a, kProbeAttrs);
      error(attr, fmt::format("unknown probe attribute '.{}'{}", a, hint.empty() ? "" : "; " + hint));
    }
    if (given.count(a) || (a == "url" && given.count("request")) || (a == "request" && given.count("url")))
      error(attr, fmt::format(".{}: the probe's request is given twice", a));
    given[a] = &attr;
    expect_op("=", fmt::format("'=' after .{}", a));
    if (a == "url") p.url = expect(Kind::str, "a string after .url =").text;
    if (a == "request" || a == "expect_close") {
      skip_value();
      ignore(attr.mark, "probe ." + a);
      continue;
    }
    // VCC reads any unsigned number here; its rules on them come after the block.
    auto number = [&](const char* what) { return static_cast<unsigned>(uint_value(0, UINT32_MAX, what)); };
    if (a == "expected_response") f.expected_response = number(".expected_response");
    if (a == "timeout") p.timeout_ns = duration_value(".timeout");
    if (a == "interval") p.interval_ns = duration_value(".interval");
    if (a == "window") f.window = number(".window");
    if (a == "threshold") f.threshold = number(".threshold");
    if (a == "initial") f.initial = number(".initial");
    expect_op(";", "';' after the value");
  }
  next();
  // VCC's verdict and what it lowers the block to (vrt::vcc_check, the same model the
  // runtime's probe uses), then the runtime's defaults (E1).
  if (std::string why = vrt::vcc_check(f); !why.empty()) {
    const char* at = f.expected_response && why.find("expected_response") != std::string::npos ? "expected_response"
                     : !f.threshold                                                          ? "window"
                     : why.find("Window") != std::string::npos                               ? "window"
                                                                                             : "threshold";
    error(*given[at], why);
  }
  vrt::ProbeParams raw = vrt::vcc_lower(f);
  raw.timeout_s = static_cast<double>(p.timeout_ns) * 1e-9;
  raw.interval_s = static_cast<double>(p.interval_ns) * 1e-9;
  vrt::ProbeParams eff = vrt::ProbeParams::with_defaults(raw);
  p.window = static_cast<int>(eff.window);
  p.threshold = static_cast<int>(eff.threshold);
  p.initial = static_cast<int>(eff.initial);
  p.timeout_ns = std::llround(eff.timeout_s * 1e9);
  p.interval_ns = std::llround(eff.interval_s * 1e9);
  p.expected_status = static_cast<int>(eff.exp_status);
  return p;
}

void VclReader::resolve_probes() {
  for (const auto& r : probe_refs_) {
    auto it = probes_.find(r.probe);
    if (it == probes_.end()) fail(file_ctx(r.mark), r.mark, fmt::format("no probe named '{}' is declared", r.probe));
    if (r.at < probe_at_.at(r.probe))  // VCC looks the name up where it reads it (token order: includes too)
      fail(file_ctx(r.mark), r.mark, fmt::format("probe '{}' is declared after this backend ({}); varnishd wants it "
                                                 "before", r.probe, line_of(it->second.second)));
    v_.backends[r.backend].probe = it->second.first;
  }
  auto dflt = probes_.find("default");  // varnishd: backends without .probe use `probe default`
  if (dflt == probes_.end()) return;
  for (std::size_t i = 0; i < v_.backends.size(); i++) {
    bool has_ref = std::any_of(probe_refs_.begin(), probe_refs_.end(), [i](const ProbeRef& r) { return r.backend == i; });
    if (!v_.backends[i].probe && !has_ref) v_.backends[i].probe = dflt->second.first;
  }
}

// ---------------------------------------------------------------- entry points

void parse_vcl_text(const Ctx& vcl_ctx, std::string_view text, Vcl& v) {
  VclReader(vcl_ctx, text, v).read();
}

void read_vcl_file(const Ctx& ctx, const Field& f, Vcl& v) {
  namespace fs = std::filesystem;
  std::string text = read_string(ctx, f);
  if (text.empty()) fail(ctx, f, "file: empty path (expected a .vcl file)");
  fs::path p(text);
  if (p.is_relative()) p = fs::path(ctx.file).parent_path() / p;
  v.file = p.lexically_normal().string();
  auto vcl = read_file_prefix(v.file, kMaxVclFileBytes);  // the lexer refuses one byte more
  if (!vcl)
    fail(ctx, f, fmt::format("file: cannot read '{}'{}", v.file, text == v.file ? "" : " (relative to the scenario file)"));
  v.source = std::move(*vcl);
  parse_vcl_text(Ctx{v.file}, v.source, v);
}

}  // namespace vdisim::scenario::detail
