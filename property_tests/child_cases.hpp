// Property cases in a child process: the vmod suites' code under test may crash, or keep
// globals that a failed case leaves pointing at freed memory. A case kind registers how a
// child runs it from its input (JSON: the case, made in this process by RapidCheck); the
// process's one worker child (runner::Workers) runs case after case while they pass,
// the code under test's static data set back between them, and a case that fails ends it
// (so does a vmod module registered in this process since the worker was forked).
#pragma once
#include <nlohmann/json.hpp>

namespace prop::child {

// Runs one case of a kind from its input; the record's "clean" (bool) says that the case
// passed, so the worker may run the next.
using RunFn = nlohmann::json (*)(const nlohmann::json &input);

// Registers a kind (at static initialisation: a worker knows the kinds registered when
// it was forked). Returns true, for `const bool x = add_kind(...)`.
bool add_kind(const char *kind, RunFn run);

// The record of `kind`'s case run in the worker child; if the child died,
// {"crash": "<how>[ in actor A at t=Ts] (the case ran in a child process)",
//  "trace_tail": [the run's last events, if it died in one]}.
nlohmann::json run(const char *kind, const nlohmann::json &input);

}  // namespace prop::child
