// The short director types of scenarios: `type: round_robin` (and fallback, random, hash,
// shard, dynamic) is VCL on the objects of the module `directors` (vdisim's own, or a
// vmod's own module of that name), and `type: "mutant:NAME"` the same on module mut_NAME.
// Sugar only: each expands to the calls a VCL would make on the registered vmod object.
#pragma once
#include <string>
#include <vector>

#include "sim/runner/director_object.hpp"

namespace vdisim::runner {

void register_builtin_directors();
// vdisim's mutants (directors/mutants/manifest.txt): each a copy of vmod_directors with
// one patch, registered as module mut_NAME; type "mutant:NAME" is that module's object.
struct MutantModule {
  const char *name;            // "rr_release_frees"
  const char *object;          // the object its scenarios use: "round_robin"
  void (*register_module)();   // the copy's glue
};
const std::vector<MutantModule> &mutant_modules();  // generated (sim/runner/CMakeLists.txt)
void register_mutants();
// "round_robin" for "mutant:rr_release_frees"; "" if there is no such mutant.
std::string mutant_object(const std::string &type);

// The registered object a short type stands for: "directors.round_robin" for
// "round_robin", "mut_NAME.round_robin" for "mutant:NAME"; "" for any other name.
std::string short_type_object(const std::string &type);
// The vmod object a director is made of: "directors.round_robin" for `type: round_robin`,
// "mod.obj" for `new: mod.obj(...)`, "mut_NAME.round_robin" for a mutant.
std::string vmod_object_of(const scenario::Director &spec);

}  // namespace vdisim::runner
