// Director types the property tests drive, with the traits the model needs: which take
// members, which can be a member (their .backend() returns the director itself), set or
// multiset membership, resolver-driven. Real types are built in; mutants register theirs
// with the traits of the director they copy. Names are those of the runner's table.
#pragma once
#include <string>
#include <vector>

namespace vdisim::runner::vmod {
struct ObjectType;
}

namespace prop {

struct TypeTraits {
  std::string name;          // "round_robin", "mutant:rr_stale_cursor"
  std::string base;          // the real type it behaves like ("round_robin")
  bool members = false;      // has add_backend/remove_backend
  bool nestable = false;     // .backend() returns the director itself (usable as a member)
  bool set_members = false;  // adding a present member is a no-op; remove drops all (shard)
  bool dynamic = false;      // resolver answers make its backends (.update())
  bool weighted = false;     // add_backend takes a weight
};

const std::vector<std::string> &real_types();  // round_robin fallback random hash shard dynamic
const TypeTraits &traits(const std::string &type);  // throws std::out_of_range if unknown
bool known_type(const std::string &type);
// Registers a mutant ("mutant:NAME") that behaves like `base` when it works.
void register_mutant_type(const std::string &name, const std::string &base);
// A vmod object as the model sees it ("directors.shard"), with the traits of `base` and
// set or multiset membership as the object declares it (identity_members()).
void register_vmod_type(const std::string &name, const std::string &base, bool set_members);
// Members keyed by an identity: add_backend or remove_backend takes a STRING beside the
// BACKEND (8.0.0's shard: `ident`, which defaults to the backend's name). Such an object
// keeps one member per identity: adding a present one is a no-op, removing drops it.
bool identity_members(const vdisim::runner::vmod::ObjectType &t);
// Mutant types found in the runner's table (runner::register_mutants), base from the manifest.
std::vector<std::string> mutant_types();

}  // namespace prop
