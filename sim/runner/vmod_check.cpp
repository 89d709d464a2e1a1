// check_scenario (vmod_registry.hpp): every vmod call of a scenario against the .vcc
// signature its glue registered, the imports of its VCL files and the regexes of their
// routes, before any run, with the file:line:col of the culprit.
#include <fmt/format.h>

#include <algorithm>

#include "sim/runner/routes.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/runner/vmod_bind.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace vdisim::runner::vmod {

namespace sc = vdisim::scenario;

namespace {

class Checker {
 public:
  explicit Checker(const sc::Scenario &s) : sc_(s) {}

  std::vector<std::string> run() {
    for (const auto &v : sc_.vcls) {
      in_vcl_ = &v;  // what a VCL declares is written in its file
      imports(v);
      for (const auto &r : v.routes)
        for (const auto &c : r.when) {
          std::string why;
          if (const sc::RouteCond *bad = VclRoutes::bad_regex(c, &why)) error(bad->mark, why);
        }
      for (std::size_t j = 0; j < v.directors.size(); j++)
        if (v.directors[j].type == sc::DirectorType::vmod) director(v, j);
    }
    in_vcl_ = nullptr;  // traffic and timeline calls are written in the scenario file
    sub_ = VCL_MET_RECV;  // a timeline call runs in a client task too
    for (const auto &t : sc_.traffic)
      for (const auto &c : t.vcl_recv) request_call(t.vcl, c);
    for (const auto &op : sc_.timeline)
      if (op.kind == sc::OpKind::vmod_call) request_call(op.vcl, op.call);
    sub_ = VCL_MET_BACKEND_RESPONSE;
    for (const auto &t : sc_.traffic)
      for (const auto &c : t.vcl_backend_response) request_call(t.vcl, c);
    return errors_;
  }

 private:
  // Marks of a VCL read from a .vcl file point into that file.
  void error(sc::Mark at, const std::string &msg) {
    const std::string &file = in_vcl_ && !in_vcl_->file.empty() ? in_vcl_->file_of(at) : sc_.file;
    errors_.push_back(fmt::format("{}:{}:{}: {}", file, at.line, at.col, msg));
  }

  // `import NAME;` of a VCL file: the vmod must be built in or loaded (--vmod, vmods:,
  // or an `import NAME from "PATH"` of any VCL of the scenario).
  void imports(const sc::Vcl &v) {
    for (const auto &imp : v.imports)
      if (!find_module(imp.name))
        error(imp.mark, fmt::format("import {}: no vmod '{}' is loaded; load it with 'simrun --vmod "
                                    "PATH/libvmod_{}.so', a 'vmods:' entry in the scenario, or "
                                    "'import {} from \"PATH/libvmod_{}.so\";'", imp.name, imp.name,
                                    imp.name, imp.name, imp.name));
  }

  // BACKEND names: a backend of the VCL or a director created before `limit`; PROBE
  // names: a backend of the VCL with a probe.
  NameCheck names(const sc::Vcl &v, std::size_t limit) const {
    return [&v, limit](const std::string &n, const std::string &type) -> std::string {
      if (type == "PROBE") {
        const sc::BackendDecl *b = v.find_backend(n);
        if (b && b->probe) return "";
        return fmt::format("'{}' is not a backend with a probe in vcl '{}' (a PROBE is 0 or such a backend's name)", n,
                           v.name);
      }
      if (v.find_backend(n)) return "";
      for (std::size_t k = 0; k < limit && k < v.directors.size(); k++)
        if (v.directors[k].name == n) return "";
      if (v.find_director(n)) return fmt::format("director '{}' is created later in vcl '{}'", n, v.name);
      return fmt::format("'{}' is not a backend or director of vcl '{}'", n, v.name);
    };
  }

  void call(const sc::Vcl &v, std::size_t limit, const ObjectType &t, const sc::VmodCall &c,
            const std::vector<Special> &sp, const char *want_ret) {
    const Method *m = t.method(c.method);
    if (!m) {
      std::string all;
      for (const auto &x : t.methods) all += (all.empty() ? "." : ", .") + x.name + "()";
      error(c.mark, fmt::format("{}: {} has no method .{}() (it has {})", c.text, t.object, c.method,
                                all.empty() ? "none" : all));
      return;
    }
    if (!m->callable_in(sub_)) return restricted(c, m->where);
    signature(v, limit, m->ret, m->params, c, sp, want_ret);
  }

  // VCC refuses a call its $Restrict keeps out of the subroutine.
  void restricted(const sc::VmodCall &c, unsigned where) {
    error(c.mark, fmt::format("{}: not allowed in {} ($Restrict in the .vcc: only in {})", c.text,
                              subroutine_names(sub_), subroutine_names(where)));
  }

  // `vmod.function(...)`: c.object names no object of the VCL. False if it is no function.
  bool function_call(const sc::Vcl &v, std::size_t limit, const sc::VmodCall &c, const std::vector<Special> &sp,
                     const char *want_ret) {
    const Function *f = find_function(c.object, c.method);
    if (!f) return false;
    if (!f->callable_in(sub_)) {
      restricted(c, f->where);
      return true;
    }
    signature(v, limit, f->ret, f->params, c, sp, want_ret);
    return true;
  }

  void signature(const sc::Vcl &v, std::size_t limit, const std::string &ret, const std::vector<Param> &params,
                 const sc::VmodCall &c, const std::vector<Special> &sp, const char *want_ret) {
    if (want_ret && ret != want_ret) {
      error(c.mark, fmt::format("{}: .{}() returns {}, expected {}", c.text, c.method, ret, want_ret));
      return;
    }
    Bound b;
    sc::Mark at = c.mark;
    std::string why = bind_call(params, c.args, sp, names(v, limit), &b, &at);
    if (!why.empty()) error(at, fmt::format("{}: {}", c.text, why));
    else nested_calls(v, limit, params, b, sp);
  }

  // Neither an object of the VCL nor a function of a loaded vmod.
  void unknown(const sc::Vcl &v, const sc::VmodCall &c) {
    const Module *m = find_module(c.object);
    if (m) {
      std::string all;
      for (const auto &f : m->functions) all += (all.empty() ? "." : ", .") + f.name + "()";
      error(c.mark, fmt::format("{}: vmod {} has no function .{}() (it has {})", c.text, c.object, c.method,
                                all.empty() ? "none" : all));
    } else {
      error(c.mark, fmt::format("{}: '{}' is neither a vmod object of vcl '{}' nor a loaded vmod", c.text, c.object,
                                v.name));
    }
  }

  // Calls written as BACKEND or INT arguments: an object made before `limit` whose method
  // returns that type, with arguments that fit (themselves maybe calls).
  void nested_calls(const sc::Vcl &v, std::size_t limit, const std::vector<Param> &params, const Bound &b,
                    const std::vector<Special> &sp) {
    for (std::size_t i = 0; i < params.size() && i < b.args.size(); i++) {
      const sc::VmodArg &a = b.args[i].value;
      if (!b.args[i].given || a.kind != sc::VmodArg::Kind::call) continue;
      const char *want = params[i].type == "INT" ? "INT" : "BACKEND";
      bool vmod = !v.find_backend(a.call->object) && !v.find_director(a.call->object) &&
                  find_module(a.call->object) != nullptr;
      if (std::string why = names(v, limit)(a.call->object, "BACKEND"); !why.empty() && !vmod) {
        error(a.mark, fmt::format("{}: {}", a.text, why));
        continue;
      }
      const ObjectType *ot = type_of(v, a.call->object);
      if (ot) call(v, limit, *ot, *a.call, sp, want);
      else if (!v.find_director(a.call->object) && function_call(v, limit, *a.call, sp, want)) continue;
      else error(a.mark, fmt::format("{}: '{}' is not a vmod object (only an object's methods can be called)", a.text,
                                     a.call->object));
    }
  }

  const ObjectType *type_of(const sc::Vcl &v, const std::string &object) const {
    const sc::Director *d = v.find_director(object);
    return d ? find_object(vmod_object_of(*d)) : nullptr;
  }

  void director(const sc::Vcl &v, std::size_t j) {
    const sc::Director &d = v.directors[j];
    const ObjectType *t = find_object(d.type_text);
    if (!t) {
      std::string all;
      for (const auto &k : registered_objects()) all += (all.empty() ? "" : ", ") + k;
      error(d.vmod_new->mark, fmt::format("new: unknown vmod object '{}' (this simrun knows {})", d.type_text,
                                          all.empty() ? "no vmod objects" : all));
      return;
    }
    sub_ = VCL_MET_INIT;  // the constructor, its arguments and init: calls
    Bound b;
    sc::Mark at = d.vmod_new->mark;
    std::string why = bind_call(t->init_params, d.vmod_new->args, {}, names(v, j), &b, &at);
    if (!why.empty()) error(at, fmt::format("{}: {}", d.vmod_new->text, why));
    else nested_calls(v, j, t->init_params, b, {});
    if (!d.members.empty()) {
      const Method *add = t->method("add_backend");
      Bound mb;
      std::string w = add ? bind_member_call(*add, true, &mb) : fmt::format("{} has no .add_backend()", t->object);
      if (w.empty() && !add->callable_in(VCL_MET_INIT))
        w = fmt::format(".add_backend() is not allowed in vcl_init ($Restrict in the .vcc: only in {})",
                        subroutine_names(add->where));
      if (!w.empty()) error(d.members.front().mark, fmt::format("members: {}", w));
    }
    for (const auto &c : d.vmod_init) {
      if (const ObjectType *ct = type_of(v, c.object)) call(v, j + 1, *ct, c, {}, nullptr);
      else if (!v.find_director(c.object) && !function_call(v, j + 1, c, {}, nullptr)) unknown(v, c);
    }
    if (d.vmod_backend) {
      sub_ = VCL_MET_RECV;  // `set req.backend_hint = d.METHOD(...)`
      call(v, j + 1, *t, *d.vmod_backend, request_specials(), "BACKEND");
    } else {
      // An object with no BACKEND method at all (blob.blob, shard_param) is no director:
      // VCL declares it for its other methods, and nothing resolves through it.
      Bound pb;
      bool picks = std::any_of(t->methods.begin(), t->methods.end(), [](const Method &m) { return m.ret == "BACKEND"; });
      if (picks && !default_pick(*t, &pb))
        error(d.vmod_new->mark, fmt::format("{} has no method returning BACKEND that takes no arguments but strings; say which "
                                            "call picks: backend: {}.METHOD(...)", d.type_text, d.name));
    }
    sub_ = VCL_MET_TASK_ALL;  // update: is vdisim's resolver feeding answers, not VCL
    if (d.vmod_update) call(v, j + 1, *t, *d.vmod_update, {Special::answer}, nullptr);
  }

  // A call in vcl_recv or on the timeline: checked in every VCL that has the object (or
  // only `vcl` when given; tasks in other VCLs skip it); an object no VCL has is an error.
  void request_call(const std::string &vcl, const sc::VmodCall &c) {
    bool found = false;
    for (const auto &v : sc_.vcls) {
      if (!vcl.empty() && v.name != vcl) continue;
      const ObjectType *ot = type_of(v, c.object);
      if (!ot) continue;
      found = true;
      call(v, v.directors.size(), *ot, c, request_specials(), nullptr);
    }
    if (found || !find_module(c.object)) {
      if (!found) error(c.mark, fmt::format("{}: no vcl has a vmod object '{}' and no vmod of that name is loaded",
                                            c.text, c.object));
      return;
    }
    // A function: its BACKEND arguments are checked in every VCL it may run in.
    for (const auto &v : sc_.vcls) {
      if (!vcl.empty() && v.name != vcl) continue;
      if (!function_call(v, v.directors.size(), c, request_specials(), nullptr)) {
        unknown(v, c);
        return;
      }
    }
  }

  const sc::Scenario &sc_;
  const sc::Vcl *in_vcl_ = nullptr;  // the VCL whose declarations are being checked
  unsigned sub_ = VCL_MET_INIT;       // VCL_MET_* of the subroutine the checked calls run in
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<std::string> check_scenario(const sc::Scenario &sc) { return Checker(sc).run(); }

}  // namespace vdisim::runner::vmod
