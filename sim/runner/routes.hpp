// The routes of a VCL file (scenario::Route: the selections and returns of vcl_recv and
// vcl_backend_fetch under their `if`s) for one loaded VCL: regexes compiled once with
// PCRE2, as VCL's `~`, and conditions decided per request on what it carries (URL,
// method, protocol, headers). Used by the runner to pick a request's target and by
// check_scenario to refuse a bad regex before any run. Never touches a director.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "sim/runner/director_object.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace vdisim::runner {

// Where the routes sent a request: a target to fetch from (a backend or director of the
// VCL, or a label's VCL: Target::label), an answer without a fetch, or a failed task.
struct RoutePick {
  const scenario::Target *target = nullptr;  // select
  scenario::Route::Action action = scenario::Route::Action::select;  // select, synth or fail
  int status = 0;                            // synth
};

class VclRoutes {
 public:
  explicit VclRoutes(const scenario::Vcl &v);
  ~VclRoutes();
  VclRoutes(const VclRoutes &) = delete;
  VclRoutes &operator=(const VclRoutes &) = delete;

  // The request starts at the VCL's first backend (varnishd's default hint) and goes
  // through the routes in order: a selection that applies picks (a `return (vcl(LABEL))`
  // also ends vcl_recv), a `return` that applies ends its sub (pass, hash: on to
  // vcl_backend_fetch's routes; pipe, fetch: the fetch; synth, fail: no fetch). A VCL
  // whose routes are empty has only Vcl::default_target.
  RoutePick pick(VRT_CTX, const ClientRequest &req) const;

  // The first comparison in c whose regex does not compile (why: PCRE2's reason), or null.
  static const scenario::RouteCond *bad_regex(const scenario::RouteCond &c, std::string *why);

 private:
  struct Compiled;
  bool holds(VRT_CTX, const scenario::RouteCond &c, const ClientRequest &req) const;
  void compile_all(const scenario::RouteCond &c);

  const scenario::Vcl &v_;
  scenario::Target first_backend_;
  // The compiled regex of each `~` condition, by the condition (looked up, never iterated).
  std::unordered_map<const scenario::RouteCond *, std::unique_ptr<Compiled>> res_;
};

}  // namespace vdisim::runner
