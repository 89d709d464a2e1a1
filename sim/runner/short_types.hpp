// The short director types of scenarios: `type: round_robin` (and fallback, random, hash,
// shard, dynamic) is VCL on the objects of the module `directors` (vdisim's own, or a
// vmod's own module of that name), and `type: "mutant:NAME"` the same on module mut_NAME.
// Sugar only: each expands to the calls a VCL would make on the registered vmod object.
#pragma once
#include <string>
#include <vector>

#include "sim/runner/director_object.hpp"
#include "sim/runner/mutant_table.hpp"

namespace vdisim::runner {

void register_builtin_directors();
// Registers every mutant as module mut_NAME (type "mutant:NAME" is that module's object),
// loading libvdisim_mutants.so first if it is not loaded (mutant_table.hpp). False, with
// the reason in *error, when the module cannot be loaded (not built: it is part of the
// full build, not of simrun's); the process must export the fake VRT (vdisim_loads_vmods).
bool register_mutants(std::string *error = nullptr);
// register_mutants() when a director of the scenario is a mutant whose type is not
// registered yet; true when nothing was missing.
bool register_scenario_mutants(const scenario::Scenario &s, std::string *error = nullptr);
// "round_robin" for "mutant:rr_release_frees"; "" if there is no such mutant.
std::string mutant_object(const std::string &type);

// The registered object a short type stands for: "directors.round_robin" for
// "round_robin", "mut_NAME.round_robin" for "mutant:NAME"; "" for any other name.
std::string short_type_object(const std::string &type);
// The vmod object a director is made of: "directors.round_robin" for `type: round_robin`,
// "mod.obj" for `new: mod.obj(...)`, "mut_NAME.round_robin" for a mutant.
std::string vmod_object_of(const scenario::Director &spec);

}  // namespace vdisim::runner
