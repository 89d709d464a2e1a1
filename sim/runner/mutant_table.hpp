// vdisim's mutants (directors/mutants/manifest.txt): each a copy of vmod_directors with one
// patch applied, registered as module mut_NAME. They live in their own shared module,
// libvdisim_mutants.so (sim/runner/CMakeLists.txt), so that simrun builds without them;
// register_mutants() (short_types.hpp) loads it the first time a mutant is asked for, and
// its generated table adds itself here as it is loaded. Nothing here needs more than the
// standard library: the module includes this header alone.
#pragma once
#include <vector>

namespace vdisim::runner {

struct MutantModule {
  const char *name;           // "rr_release_frees"
  const char *object;         // the object its scenarios use: "round_robin"
  void (*register_module)();  // the copy's glue
};
// The mutants loaded so far (empty until register_mutants() has loaded the module).
const std::vector<MutantModule> &mutant_modules();
void add_mutant_module(const MutantModule &m);

}  // namespace vdisim::runner
