// The routes of a VCL file (scenario::Route: the selections and returns of vcl_recv and
// vcl_backend_fetch under their `if`s) for one loaded VCL: regexes compiled once with
// PCRE2, as VCL's `~`, and conditions decided per request on what it carries (URL,
// method, protocol, headers). Used by the runner to pick a request's target and by
// check_scenario to refuse a bad regex before any run. Never touches a director.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
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
  // The target's backend when a std.healthy() condition already made it (its pick call
  // ran then, once, as VCL's `set` runs it); else null and the caller makes it.
  VCL_BACKEND made = nullptr;
  // The request as `set/unset req.http.X` left it, when one applied (also set in the task's
  // req.http, for vmods and the hash); else the request as it came.
  std::optional<ClientRequest> request;
};

// Makes a target's backend in the request's task (a backend, or an object's pick call
// for the request as it is then).
using MakeTarget = std::function<VCL_BACKEND(const scenario::Target &, const ClientRequest &)>;

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
  // std.healthy() conditions make the backends they ask about with `make`.
  RoutePick pick(VRT_CTX, const ClientRequest &req, const MakeTarget &make) const;

  // The first comparison in c whose regex does not compile (why: PCRE2's reason), or null.
  static const scenario::RouteCond *bad_regex(const scenario::RouteCond &c, std::string *why);

 private:
  struct Compiled;
  struct Walk;  // one request's way through the routes
  bool holds(VRT_CTX, const scenario::RouteCond &c, Walk &w) const;
  void change_header(VRT_CTX, const scenario::Route &r, Walk &w) const;
  void compile_all(const scenario::RouteCond &c);

  const scenario::Vcl &v_;
  scenario::Target first_backend_;
  bool changes_headers_ = false;  // a route sets or unsets a header: picks are made where they stand
  // The compiled regex of each `~` condition, by the condition (looked up, never iterated).
  std::unordered_map<const scenario::RouteCond *, std::unique_ptr<Compiled>> res_;
};

}  // namespace vdisim::runner
