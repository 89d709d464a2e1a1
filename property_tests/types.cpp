// Director type traits for the model, read from the registered .vcc (see types.hpp).
#include "property_tests/types.hpp"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "sim/runner/short_types.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace prop {

namespace vm = vdisim::runner::vmod;

namespace {

std::map<std::string, TypeTraits> &table() {
  static std::map<std::string, TypeTraits> t;
  return t;
}

bool takes(const vm::Method *m, const char *type) {
  if (m == nullptr) return false;
  for (const auto &p : m->params)
    if (p.type == type) return true;
  return false;
}

// runner::register_mutants(), throwing with its reason if the mutants module cannot load.
void register_mutants() {
  if (std::string e; !vdisim::runner::register_mutants(&e)) throw std::runtime_error(e);
}

// A short type ("round_robin") or a mutant ("mutant:NAME") is an object of a registered
// module; the model learns it the first time a test names it.
const TypeTraits *learn(const std::string &type) {
  vdisim::runner::register_builtin_directors();
  bool mutant = type.rfind("mutant:", 0) == 0;
  if (mutant) register_mutants();
  std::string base = mutant ? vdisim::runner::mutant_object(type) : type;
  const vm::ObjectType *o = vm::find_object(vdisim::runner::short_type_object(type));
  if (o == nullptr) return nullptr;
  return &(table()[type] = traits_of(type, base, *o));
}

}  // namespace

TypeTraits traits_of(const std::string &name, const std::string &base, const vm::ObjectType &t) {
  TypeTraits r;
  r.name = name;
  r.base = base;
  const vm::Method *add = t.method("add_backend"), *remove = t.method("remove_backend");
  // The model adds and removes members in vcl_init and from requests: both must be
  // allowed there ($Restrict), as VCC would check.
  const unsigned both = VCL_MET_INIT | VCL_MET_RECV;
  r.members = takes(add, "BACKEND") && remove != nullptr && (add->where & both) == both && (remove->where & both) == both;
  r.weighted = takes(add, "REAL");
  std::size_t at = 0;  // the REAL's position among the arguments VCL writes
  for (const auto &p : add ? add->params : std::vector<vm::Param>{}) {
    if (vm::is_priv(p.type)) continue;
    if (p.type == "REAL") {
      r.weight_arg = at == 1 ? ", {}" : p.name.empty() ? "" : ", " + p.name + " = {}";
      break;
    }
    at++;
  }
  r.set_members = identity_members(t);
  r.dynamic = takes(t.method("update"), "STRING");
  const vm::Method *pick = nullptr;  // as the registry picks: .backend(), else any BACKEND method
  for (const auto &m : t.methods)
    if (m.ret == "BACKEND" && m.callable_in(VCL_MET_RECV) && (pick == nullptr || m.name == "backend")) pick = &m;
  r.nestable = pick != nullptr && pick->callable_in(VCL_MET_INIT);  // a member in vcl_init calls it there
  for (const auto &p : pick ? pick->params : std::vector<vm::Param>{})
    if (!p.optional && !p.deflt && !vm::is_priv(p.type)) r.nestable = false;
  return r;
}

const std::vector<std::string> &real_types() {
  static const std::vector<std::string> t = {"round_robin", "fallback", "random", "hash", "shard", "dynamic"};
  return t;
}

const TypeTraits &traits(const std::string &type) {
  auto it = table().find(type);
  if (it != table().end()) return it->second;
  const TypeTraits *t = learn(type);
  if (t == nullptr) throw std::out_of_range(fmt::format("no director type {} is registered", type));
  return *t;
}

bool known_type(const std::string &type) { return table().count(type) > 0 || learn(type) != nullptr; }

void register_vmod_type(const std::string &name, const std::string &base) {
  const vm::ObjectType *o = vm::find_object(name);
  if (o == nullptr) throw std::out_of_range(fmt::format("no vmod object {} is registered", name));
  table()[name] = traits_of(name, base, *o);
}

bool identity_members(const vm::ObjectType &t) {
  for (const char *name : {"add_backend", "remove_backend"}) {
    const vm::Method *m = t.method(name);
    if (takes(m, "BACKEND") && takes(m, "STRING")) return true;
  }
  return false;
}

std::vector<std::string> mutant_types() {
  vdisim::runner::register_builtin_directors();
  register_mutants();
  std::vector<std::string> out;
  for (const auto &name : vdisim::runner::known_director_types())
    if (name.rfind("mutant:", 0) == 0 && known_type(name)) out.push_back(name);
  return out;
}

}  // namespace prop
