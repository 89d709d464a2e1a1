// The short director types as VCL on registered vmod objects (see short_types.hpp).
#include "sim/runner/short_types.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/runner/isolate.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "vcl.h"

// The glue scripts/vcc2if --glue generated from directors/vmod_directors.vcc (renamed
// by sim/runner/CMakeLists.txt so that a vmod of the same name can link beside it).
void vdisim_builtin_register_directors();

namespace vdisim::runner {

namespace sc = vdisim::scenario;

namespace {

sc::VmodArg ident_arg(const std::string &name, const std::string &text) {
  sc::VmodArg a;
  a.name = name;
  a.kind = sc::VmodArg::Kind::ident;
  a.text = text;
  return a;
}

sc::VmodArg number_arg(const std::string &name, double n) {
  sc::VmodArg a;
  a.name = name;
  a.kind = sc::VmodArg::Kind::number;
  a.number = n;
  a.text = fmt::format("{}", n);
  return a;
}

// `object.method(args)` as a scenario would write it (the text is what errors show).
sc::VmodCall method_call(const std::string &object, const std::string &method, std::vector<sc::VmodArg> args,
                         sc::Mark mark = {}) {
  sc::VmodCall c;
  c.mark = mark;
  c.object = object;
  c.method = method;
  c.args = std::move(args);
  std::string list;
  for (const auto &a : c.args) list += (list.empty() ? "" : ", ") + (a.name.empty() ? "" : a.name + " = ") + a.text;
  c.text = fmt::format("{}.{}({})", object, method, list);
  return c;
}

// `set req.backend_hint = s.backend(by=KEY, key=s.key(req.url));`: a request with key K
// asks for /obj/K, whichever shard vmod is registered as `directors`; a member removed
// at run time is `s.remove_backend(b); s.reconfigure();` as VCL writes it.
void shard_as_vcl(DirectorObject &obj, const std::string &name, int replicas) {
  auto *fn = dynamic_cast<FnDirector *>(&obj);
  if (!fn) return;
  fn->remove = [orig = fn->remove, name, replicas](VRT_CTX, VCL_BACKEND be) {
    if (orig) orig(ctx, be);
    (void)vmod::call_in_request(ctx, method_call(name, "reconfigure", {number_arg("", replicas)}), request_for_key(0));
  };
  fn->pick = [name](VRT_CTX, const ClientRequest &req) -> VCL_BACKEND {
    if (ctx->method & VCL_MET_TASK_H) {  // a member in vcl_init: `fb.add_backend(s.backend())`
      std::optional<vmod::Value> be = vmod::call_in_request(ctx, method_call(name, "backend", {}), req);
      return be ? be->backend : nullptr;
    }
    std::optional<vmod::Value> k = vmod::call_in_request(ctx, method_call(name, "key", {ident_arg("", "req.url")}), req);
    if (!k) return nullptr;
    sc::VmodArg by = ident_arg("by", "KEY");
    std::optional<vmod::Value> be = vmod::call_in_request(
        ctx, method_call(name, "backend", {by, number_arg("key", static_cast<double>(k->integer))}), req);
    return be ? be->backend : nullptr;
  };
}

// `type: fallback` + `options: {sticky: true}` is `new NAME = directors.fallback(sticky =
// true);`, a hash's `key` the argument of its pick: the short types are VCL on the
// registered vmod objects, made by the one factory every vmod object goes through.
sc::Director as_vcl(const sc::Director &spec, const std::string &name, const std::string &module,
                    const std::string &object) {
  sc::Director v = spec;
  v.name = name;  // the property suite names objects by the factory's argument only
  v.type = sc::DirectorType::vmod;
  v.type_text = module + "." + object;
  std::vector<sc::VmodArg> ctor_args;
  if (object == "fallback" && spec.options.sticky) {
    sc::VmodArg a;
    a.name = "sticky";
    a.kind = sc::VmodArg::Kind::boolean;
    a.boolean = true;
    a.text = "true";
    ctor_args.push_back(a);
  }
  v.vmod_new = method_call(module, object, std::move(ctor_args), spec.mark);
  if (object == "shard")  // the ring is built by reconfigure() at the end of vcl_init
    v.vmod_init.insert(v.vmod_init.begin(),
                       method_call(name, "reconfigure", {number_arg("", spec.options.replicas)}, spec.mark));
  if (object == "hash") {
    const std::string &k = spec.options.hash_key;
    std::string what = k == "host" ? "req.http.host" : k == "client_identity" ? "client.identity" : "req.url";
    v.vmod_backend = method_call(name, "backend", {ident_arg("", what)}, spec.mark);
  }
  return v;
}

void register_short_type(const std::string &type, const std::string &module, const std::string &object) {
  director_types()[type] = [type, module, object](VRT_CTX, const std::string &name, const sc::Director &spec) {
    auto it = director_types().find(module + "." + object);
    if (it == director_types().end())
      throw std::invalid_argument(fmt::format("type {}: vmod {} has no object {} (was it replaced?)", type, module, object));
    std::unique_ptr<DirectorObject> d = it->second(ctx, name, as_vcl(spec, name, module, object));
    if (object == "shard") shard_as_vcl(*d, name, spec.options.replicas);
    return d;
  };
  auto imp = director_vmods().find(module + "." + object);
  if (imp != director_vmods().end()) director_vmods()[type] = imp->second;
}

}  // namespace

// The short types: objects of the module `directors` (vdisim's, or a vmod's own).
const char *const kShortTypes[] = {"round_robin", "fallback", "random", "hash", "shard", "dynamic"};

std::string short_type_object(const std::string &type) {
  for (const char *t : kShortTypes)
    if (type == t) return std::string("directors.") + t;
  std::string object = mutant_object(type);
  return object.empty() ? "" : "mut_" + type.substr(7) + "." + object;  // after "mutant:"
}

std::string vmod_object_of(const sc::Director &spec) {
  if (spec.type == sc::DirectorType::vmod) return spec.type_text;
  return short_type_object(director_type_name(spec));
}

void register_builtin_directors() {
  if (director_types().count("round_robin")) return;
  vdisim_builtin_register_directors();
  for (const char *t : kShortTypes) register_short_type(t, "directors", t);
}

namespace {

std::vector<MutantModule> &mutant_table() {
  static std::vector<MutantModule> t;
  return t;
}

}  // namespace

const std::vector<MutantModule> &mutant_modules() { return mutant_table(); }
void add_mutant_module(const MutantModule &m) { mutant_table().push_back(m); }

// `type: "mutant:NAME"` is the short type of its object on the module mut_NAME.
bool register_mutants(std::string *error) {
  if (mutant_table().empty() && dlopen_code_under_test(VDISIM_MUTANTS_MODULE, RTLD_NOW | RTLD_LOCAL) == nullptr) {
    if (error)
      *error = fmt::format("the mutants are not built ({}); build them with `cmake --build build --target "
                           "vdisim_mutants` (scripts/test builds them)", dlerror());
    return false;
  }
  for (const MutantModule &m : mutant_modules()) {
    std::string type = std::string("mutant:") + m.name;
    if (director_types().count(type)) continue;
    m.register_module();
    register_short_type(type, std::string("mut_") + m.name, m.object);
  }
  return true;
}

bool register_scenario_mutants(const sc::Scenario &s, std::string *error) {
  for (const auto &v : s.vcls)
    for (const auto &d : v.directors)
      if (d.type == sc::DirectorType::mutant && !find_director_type(d)) return register_mutants(error);
  return true;
}

std::string mutant_object(const std::string &type) {
  for (const MutantModule &m : mutant_modules())
    if (type == std::string("mutant:") + m.name) return m.object;
  return "";
}

}  // namespace vdisim::runner
