// Director types the property tests drive, with the traits the model needs: which take
// members, which can be a member, set or multiset membership, resolver-driven, weighted.
// Every trait is read from the object's .vcc as the vmod registered it (the registry's
// ObjectType): nothing here is a table by type name. `base` names the pick rules the
// model checks (round_robin F4, fallback F5, hash F7, shard F8): the object's own name,
// or for a mutant the object its patch starts from (directors/mutants/manifest.txt).
#pragma once
#include <string>
#include <vector>

namespace vdisim::runner::vmod {
struct ObjectType;
}

namespace prop {

struct TypeTraits {
  std::string name;          // "round_robin", "mutant:rr_stale_cursor", "vmod.obj"
  std::string base;          // whose pick rules apply ("round_robin"; "" for none)
  bool members = false;      // .add_backend(BACKEND ...) and .remove_backend
  bool nestable = false;     // .backend() callable without arguments (usable as a member)
  bool set_members = false;  // adding a present member is a no-op; remove drops all (shard)
  bool dynamic = false;      // resolver answers make its backends (.update(STRING))
  bool weighted = false;     // add_backend takes a REAL weight
  // How a scenario's `call:` passes that weight after the member: ", {}" by position (the
  // REAL comes second), ", name = {}" by name; "" when it can be written neither way.
  std::string weight_arg;
};

// The traits an object declares in its .vcc.
TypeTraits traits_of(const std::string &name, const std::string &base, const vdisim::runner::vmod::ObjectType &t);

const std::vector<std::string> &real_types();  // the short types of the module `directors`
const TypeTraits &traits(const std::string &type);  // throws std::out_of_range if unknown
bool known_type(const std::string &type);
// Registers a vmod object ("directors.shard", as registered) as a type of the model whose
// pick rules are those of `base`.
void register_vmod_type(const std::string &name, const std::string &base);
// Members keyed by an identity: add_backend or remove_backend takes a STRING beside the
// BACKEND (8.0.0's shard: `ident`, which defaults to the backend's name). Such an object
// keeps one member per identity: adding a present one is a no-op, removing drops it.
bool identity_members(const vdisim::runner::vmod::ObjectType &t);
// Mutant types found in the runner's table (runner::register_mutants), base from the manifest.
std::vector<std::string> mutant_types();

}  // namespace prop
