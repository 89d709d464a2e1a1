// The routes of a VCL file (scenario::Route: `set req.backend_hint` under `if (req.url ~
// "...")` / `req.http.host == "..."`) for one loaded VCL: regexes compiled once with
// PCRE2, as VCL's `~`, and matched per request against its URL and Host. Used by the
// runner to pick a request's target and by check_scenario to refuse a bad regex before
// any run. Never touches a director.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/runner/director_object.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace vdisim::runner {

class VclRoutes {
 public:
  explicit VclRoutes(const scenario::Vcl &v);
  ~VclRoutes();
  VclRoutes(const VclRoutes &) = delete;
  VclRoutes &operator=(const VclRoutes &) = delete;

  // The request's target: Vcl::default_target, then every route whose conditions hold for
  // the request (its URL and Host), in file order: the last wins, unless a `return
  // (vcl(LABEL))` (Target::label) applies first, which ends the sub.
  const scenario::Target &pick(VRT_CTX, const ClientRequest &req) const;

  // "" if the condition's regex compiles, else PCRE2's reason.
  static std::string check(const scenario::RouteCond &c);

 private:
  struct Compiled;
  bool holds(VRT_CTX, const scenario::RouteCond &c, const Compiled &re, const std::string &url,
             const std::string &host) const;

  const scenario::Vcl &v_;
  std::vector<std::vector<std::unique_ptr<Compiled>>> res_;  // per route, per condition
};

}  // namespace vdisim::runner
