// VclRoutes (routes.hpp). Regexes use PCRE2 with the match and depth limits Varnish 8.0.0
// gives VCL's `~` by default (pcre2_match_limit 10000, pcre2_depth_limit 20); a match that
// hits a limit fails the request's task, as VRT_re_match does.
#include "sim/runner/routes.hpp"

#include <fmt/format.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "sim/runner/director_object.hpp"
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

std::string VclRoutes::check(const sc::RouteCond &c) {
  if (c.op != sc::RouteCond::Op::match) return "";
  std::string why;
  pcre2_code_free(compile(c.value, &why));
  return why;
}

VclRoutes::VclRoutes(const sc::Vcl &v) : v_(v) {
  for (const auto &r : v.routes) {
    auto &row = res_.emplace_back();
    for (const auto &c : r.when) {
      auto re = std::make_unique<Compiled>();
      if (c.op == sc::RouteCond::Op::match) {
        re->code = compile(c.value, nullptr);
        AN(re->code);  // check_scenario refused a bad one before the run
        re->limits = pcre2_match_context_create(nullptr);
        AN(re->limits);
        pcre2_set_match_limit(re->limits, 10000);
        pcre2_set_depth_limit(re->limits, 20);
      }
      row.push_back(std::move(re));
    }
  }
}

VclRoutes::~VclRoutes() = default;

bool VclRoutes::holds(VRT_CTX, const sc::RouteCond &c, const Compiled &re, const std::string &url,
                      const std::string &host) const {
  const std::string &subject = c.field == sc::RouteCond::Field::url ? url : host;
  bool yes = false;
  if (c.op == sc::RouteCond::Op::equal) {
    yes = subject == c.value;
  } else {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re.code, nullptr);
    AN(md);
    int r = pcre2_match(re.code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md,
                        re.limits);
    pcre2_match_data_free(md);
    if (r < PCRE2_ERROR_NOMATCH) VRT_fail(ctx, "Regexp matching failed: %s", pcre2_message(r).c_str());
    yes = r >= 0;
  }
  return yes != c.negate;
}

const sc::Target &VclRoutes::pick(VRT_CTX, const ClientRequest &req) const {
  const sc::Target *t = &v_.default_target;
  if (!t->label.empty()) return *t;  // an unconditional return (vcl(...)): nothing after it runs
  const std::string &url = req.http.url;
  const std::string host = req.host();
  for (std::size_t i = 0; i < v_.routes.size(); i++) {
    bool all = true;
    for (std::size_t j = 0; j < v_.routes[i].when.size() && all; j++)
      all = holds(ctx, v_.routes[i].when[j], *res_[i][j], url, host);
    if (!all) continue;
    t = &v_.routes[i].target;
    if (!t->label.empty()) break;  // return (vcl(...)) ends vcl_recv: no later set runs
  }
  return *t;
}

}  // namespace vdisim::runner
