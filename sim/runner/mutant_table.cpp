// Mutant director types ("mutant:<name>"): copies of real directors with one lifecycle
// bug each, from directors/mutants. Registered only when that library is built in.
#include "sim/runner/director_table.hpp"

#ifdef VDISIM_HAVE_MUTANTS
#include "mutant_registry.h"
#endif

namespace vdisim::runner {

void register_mutants() {
#ifdef VDISIM_HAVE_MUTANTS
  register_mutant_directors();
#endif
}

}  // namespace vdisim::runner
