// Property cases in the worker child (see child_cases.hpp).
#include "property_tests/child_cases.hpp"

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/runner/isolate.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace prop::child {

namespace {

std::map<std::string, RunFn> &kinds() {
  static std::map<std::string, RunFn> k;
  return k;
}

nlohmann::json run_here(std::size_t, const nlohmann::json &in) {
  auto it = kinds().find(in.at("kind").get<std::string>());
  if (it == kinds().end()) throw std::logic_error("no property case kind " + in.at("kind").get<std::string>());
  return it->second(in.at("input"));
}

bool clean(const nlohmann::json &record) { return record.value("clean", false); }

}  // namespace

bool add_kind(const char *kind, RunFn run) {
  kinds()[kind] = run;
  return true;
}

nlohmann::json run(const char *kind, const nlohmann::json &input) {
  static std::unique_ptr<vdisim::runner::Workers> workers;
  static std::size_t next = 0;
  static std::uint64_t forked_at = 0;  // the vmod registry's generation the worker has
  if (workers && forked_at != vdisim::runner::vmod::registry_generation()) workers.reset();  // a module registered since
  if (!workers) {
    workers = std::make_unique<vdisim::runner::Workers>(1, run_here, clean);
    forked_at = vdisim::runner::vmod::registry_generation();
  }
  vdisim::runner::Workers::Done d = workers->run(next++, {{"kind", kind}, {"input", input}});
  if (d.record) return std::move(*d.record);
  return {{"crash", d.crash_message() + " (the case ran in a child process)"}, {"trace_tail", d.crash_tail}};
}

}  // namespace prop::child
