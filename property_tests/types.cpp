// Director type traits for the model (see types.hpp).
#include "property_tests/types.hpp"

#include <map>
#include <stdexcept>

#include "sim/runner/director_table.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace prop {

namespace {

std::map<std::string, TypeTraits> &table() {
  static std::map<std::string, TypeTraits> t = [] {
    std::map<std::string, TypeTraits> m;
    //                 name           base           members nest  set    dyn    weighted
    m["round_robin"] = {"round_robin", "round_robin", true, true, false, false, false};
    m["fallback"] = {"fallback", "fallback", true, true, false, false, false};
    m["random"] = {"random", "random", true, true, false, false, true};
    m["hash"] = {"hash", "hash", true, false, false, false, true};     // .backend() picks a leaf
    m["shard"] = {"shard", "shard", true, false, true, false, true};  // NOW outside vcl_init
    m["dynamic"] = {"dynamic", "dynamic", false, true, false, true, false};
    return m;
  }();
  return t;
}

}  // namespace

const std::vector<std::string> &real_types() {
  static const std::vector<std::string> t = {"round_robin", "fallback", "random", "hash", "shard", "dynamic"};
  return t;
}

const TypeTraits &traits(const std::string &type) { return table().at(type); }

bool known_type(const std::string &type) { return table().count(type) > 0; }

void register_mutant_type(const std::string &name, const std::string &base) {
  TypeTraits t = traits(base);
  t.name = name;
  t.base = base;
  table()[name] = t;
}

void register_vmod_type(const std::string &name, const std::string &base, bool set_members) {
  register_mutant_type(name, base);
  table()[name].set_members = set_members;
}

bool identity_members(const vdisim::runner::vmod::ObjectType &t) {
  for (const char *name : {"add_backend", "remove_backend"}) {
    const vdisim::runner::vmod::Method *m = t.method(name);
    if (m == nullptr) continue;
    bool backend = false, identity = false;
    for (const auto &p : m->params) {
      backend = backend || p.type == "BACKEND";
      identity = identity || p.type == "STRING";
    }
    if (backend && identity) return true;
  }
  return false;
}

std::vector<std::string> mutant_types() {
  vdisim::runner::register_builtin_directors();
  vdisim::runner::register_mutants();
  std::vector<std::string> out;
  for (const auto &name : vdisim::runner::known_director_types()) {
    if (name.rfind("mutant:", 0) != 0) continue;
    if (!known_type(name)) register_mutant_type(name, vdisim::runner::mutant_object(name));
    out.push_back(name);
  }
  return out;
}

}  // namespace prop
