// VclRoutes (routes.hpp). Regexes use PCRE2 with the match and depth limits Varnish 8.0.0
// gives VCL's `~` by default (pcre2_match_limit 10000, pcre2_depth_limit 20); a match that
// hits a limit fails the request's task, as VRT_re_match does.
#include "sim/runner/routes.hpp"

#include <algorithm>

#include <fmt/format.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sim/runner/director_object.hpp"
#include "sim/runner/vmod_bind.hpp"
#include "vas.h"

namespace vdisim::runner {

namespace sc = vdisim::scenario;

namespace {

std::string pcre2_message(int err) {
  PCRE2_UCHAR buf[256];
  if (pcre2_get_error_message(err, buf, sizeof buf) < 0) return fmt::format("PCRE2 error {}", err);
  return reinterpret_cast<const char *>(buf);
}

pcre2_code *compile(const std::string &re, std::string *why) {
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code *code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &err, &off, nullptr);
  if (!code && why) *why = fmt::format("bad regex \"{}\": {} at offset {}", re, pcre2_message(err), off);
  return code;
}

}  // namespace

struct VclRoutes::Compiled {
  pcre2_code *code = nullptr;  // match conditions only
  pcre2_match_context *limits = nullptr;
  ~Compiled() {
    pcre2_match_context_free(limits);
    pcre2_code_free(code);
  }
};

const sc::RouteCond *VclRoutes::bad_regex(const sc::RouteCond &c, std::string *why) {
  for (const auto &k : c.kids)
    if (const sc::RouteCond *bad = bad_regex(k, why)) return bad;
  if (c.kind != sc::RouteCond::Kind::compare || c.op != sc::RouteCond::Op::match) return nullptr;
  pcre2_code *code = compile(c.value, why);
  if (code) return pcre2_code_free(code), nullptr;
  return &c;
}

VclRoutes::VclRoutes(const sc::Vcl &v) : v_(v) {
  if (!v.backends.empty()) first_backend_ = sc::Target{{}, v.backends.front().name, sc::TargetKind::backend, 0, {}};
  changes_headers_ = std::any_of(v.routes.begin(), v.routes.end(), [](const sc::Route &r) {
    return r.action == sc::Route::Action::set_header || r.action == sc::Route::Action::unset_header;
  });
  for (const auto &r : v.routes)
    for (const auto &c : r.when) compile_all(c);
}

VclRoutes::~VclRoutes() = default;

void VclRoutes::compile_all(const sc::RouteCond &c) {
  for (const auto &k : c.kids) compile_all(k);
  if (c.kind != sc::RouteCond::Kind::compare || c.op != sc::RouteCond::Op::match) return;
  auto re = std::make_unique<Compiled>();
  re->code = compile(c.value, nullptr);
  AN(re->code);  // check_scenario refused a bad one before the run
  re->limits = pcre2_match_context_create(nullptr);
  AN(re->limits);
  pcre2_set_match_limit(re->limits, 10000);
  pcre2_set_depth_limit(re->limits, 20);
  res_.emplace(&c, std::move(re));
}

namespace {
// What a condition or a header value reads of the request; null for a header it lacks.
const std::string *field_value(const ClientRequest &req, sc::RouteCond::Field f, const std::string &header) {
  switch (f) {
    case sc::RouteCond::Field::url: return &req.http.url;
    case sc::RouteCond::Field::method: return &req.http.method;
    case sc::RouteCond::Field::proto: return &req.http.proto;
    case sc::RouteCond::Field::header: return req.header(header);
  }
  return nullptr;
}
}  // namespace

struct VclRoutes::Walk {
  const ClientRequest &came;
  const MakeTarget &make;
  RoutePick pick;  // the hint so far (and its backend, once made; the request, once changed)
  const ClientRequest &req() const { return pick.request ? *pick.request : came; }
};

// A header the request lacks is VCL's NULL string: `~` matches it as "", `==` is false.
bool VclRoutes::holds(VRT_CTX, const sc::RouteCond &c, Walk &w) const {
  const ClientRequest &req = w.req();
  bool yes = false;
  switch (c.kind) {
    case sc::RouteCond::Kind::all:
      yes = std::all_of(c.kids.begin(), c.kids.end(), [&](const sc::RouteCond &k) { return holds(ctx, k, w); });
      break;
    case sc::RouteCond::Kind::any:
      yes = std::any_of(c.kids.begin(), c.kids.end(), [&](const sc::RouteCond &k) { return holds(ctx, k, w); });
      break;
    case sc::RouteCond::Kind::present: yes = req.header(c.header) != nullptr; break;
    case sc::RouteCond::Kind::healthy: {  // std.healthy(): VRT_Healthy(ctx, be, NULL)
      VCL_BACKEND be;
      if (!c.target.name.empty()) {
        be = w.make(c.target, req);
      } else {  // the hint so far: made once, when first asked about
        if (!w.pick.made) w.pick.made = w.make(*w.pick.target, req);
        be = w.pick.made;
      }
      yes = VRT_Healthy(ctx, be, nullptr) != 0;
      break;
    }
    case sc::RouteCond::Kind::compare: {
      const std::string *subject = field_value(req, c.field, c.header);
      if (c.op == sc::RouteCond::Op::equal) {
        yes = subject != nullptr && *subject == c.value;
        break;
      }
      static const std::string kNull;
      if (!subject) subject = &kNull;
      const Compiled &re = *res_.at(&c);
      pcre2_match_data *md = pcre2_match_data_create_from_pattern(re.code, nullptr);
      AN(md);
      int r = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(subject->data()), subject->size(), 0, 0, md,
                          re.limits);
      pcre2_match_data_free(md);
      if (r < PCRE2_ERROR_NOMATCH) VRT_fail(ctx, "Regexp matching failed: %s", pcre2_message(r).c_str());
      yes = r >= 0;
      break;
    }
  }
  return yes != c.negate;
}

RoutePick VclRoutes::pick(VRT_CTX, const ClientRequest &req, const MakeTarget &make) const {
  using A = sc::Route::Action;
  if (v_.routes.empty()) return {&v_.default_target};
  Walk w{req, make, RoutePick{&first_backend_}};
  RoutePick &p = w.pick;
  bool recv_ended = false;
  for (const auto &r : v_.routes) {
    if (recv_ended && !r.backend_fetch) continue;
    bool all = true;
    for (std::size_t j = 0; j < r.when.size() && all; j++) all = holds(ctx, r.when[j], w);
    if (!all) continue;
    switch (r.action) {
      case A::select:
        p.target = &r.target;
        p.made = nullptr;
        if (!r.target.label.empty()) return p;  // return (vcl(...)) ends vcl_recv: no later set runs
        // With headers that change later, the pick call reads them as they are now, as
        // VCL's `set req.backend_hint = h.backend(req.http.X)` does.
        if (changes_headers_) p.made = w.make(r.target, w.req());
        break;
      case A::end:
        if (r.backend_fetch) return p;
        recv_ended = true;
        break;
      case A::pipe: return p;  // vcl_pipe, not vcl_backend_fetch
      case A::synth:  // VRT_synth fails a status it cannot send; the status line is its last 3 digits
        if (r.status > 65535 || r.status % 1000 < 100) return {nullptr, A::fail, r.status, nullptr};
        return {nullptr, A::synth, r.status % 1000, nullptr};
      case A::fail: return {nullptr, r.action, r.status, nullptr};
      case A::set_header:
      case A::unset_header: change_header(ctx, r, w); break;
    }
  }
  return p;
}

// `set req.http.NAME = ...` / `unset`: in the request the routes read and in the task's
// req.http (bereq.http in vcl_backend_fetch: the fetch's copy of req, here req itself).
void VclRoutes::change_header(VRT_CTX, const sc::Route &r, Walk &w) const {
  if (!w.pick.request) w.pick.request = w.came;
  ClientRequest &req = *w.pick.request;
  VCL_HEADER hdr = vmod::vcl_header(ctx, "req.http." + r.header);
  if (r.action == sc::Route::Action::unset_header) {
    req.unset_header(r.header);
    VRT_UnsetHdr(ctx, hdr);
    return;
  }
  std::string value;
  for (const auto &part : r.value)
    if (part.literal) value += part.text;
    else if (const std::string *v = field_value(req, part.field, part.header)) value += *v;  // unset: ""
  req.set_header(r.header, value);
  const char *p = value.c_str();
  struct strands s {STRANDS_MAGIC, 1, &p};
  VRT_SetHdr(ctx, hdr, nullptr, &s);
}

}  // namespace vdisim::runner
