// Runs of code under test in child processes: a crash (SIGSEGV, abort) or a process left
// in a state no varnishd child would continue from (vmod globals pointing at freed memory
// after a failed run) stays in the child, and the caller gets a record of it. simrun's
// seed sweeps and the vmod property suites both go through here. Fork only where no fiber
// runs in the caller.
#pragma once
#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace vdisim::runner {

// Forks a child that runs one() and writes its JSON to `result`; returns the child's pid.
pid_t start_child(const std::filesystem::path &result, const std::function<nlohmann::json()> &one);
// What the child that wrote `result` returned (waitpid status `status`); nullopt when it
// died or exited without one (crash_text says why). Removes the file.
std::optional<nlohmann::json> child_result(const std::filesystem::path &result, int status);
// "the run crashed: killed by signal 11 (Segmentation fault)", or the exit status.
std::string crash_text(int status);
// start_child + wait + child_result: one() in a child; {"crash": crash_text} if it died.
nlohmann::json run_isolated(const std::function<nlohmann::json()> &one);

// The file of the running program (/proc/self/exe), `fallback` if it cannot be read: what
// repro lines name, and where programs installed beside it are found.
std::filesystem::path this_program(const std::filesystem::path &fallback);

}  // namespace vdisim::runner
