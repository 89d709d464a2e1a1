// Small pieces of run_case (executor.hpp): outcome text, regression switches by name,
// options as JSON, the check of a vcl.list -j.
#include "property_tests/executor_support.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <stdexcept>

namespace prop {

namespace vv = vdisim::vrt;

std::string Outcome::summary() const {
  if (ok) return "ok";
  return fmt::format("{} at t={:.3f}s in {}: {}", rule, static_cast<double>(time_ns) * 1e-9, actor, message);
}

bool runtime_rule(const std::string &rule) { return rule != "MODEL" && rule != "C3" && rule != "P-VCL" && !rule.empty(); }

std::int64_t pct_steps_default() {
  const char *e = std::getenv("VDISIM_PCT_STEPS");
  return e ? std::atoll(e) : 300;
}

vv::Regressions regressions_from(const std::vector<std::string> &names) {
  vv::Regressions r;
  for (const auto &n : names)
    if (!r.set(n)) throw std::invalid_argument("unknown regression switch " + n);
  return r;
}

nlohmann::json options_json(const ExecOptions &o) {
  return {{"regressions", o.regressions.enabled()}, {"pct_steps", o.pct_steps}, {"step_budget", o.step_budget}};
}

ExecOptions options_from(const nlohmann::json &j) {
  ExecOptions o;
  o.regressions = regressions_from(j.at("regressions").get<std::vector<std::string>>());
  o.pct_steps = j.at("pct_steps");
  o.step_budget = j.at("step_budget");
  return o;
}

std::string vcl_list_problem(const std::string &text, const std::vector<std::string> &loaded) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array() || j.size() < 3 || j[0] != 2 || j[1] != nlohmann::json{"vcl.list", "-j"} || !j[2].is_number())
    return "not varnishd's vcl.list -j envelope: " + text.substr(0, 80);
  std::set<std::string> vcls, names;
  int active = 0;
  for (std::size_t i = 3; i < j.size(); i++) {
    const auto &e = j[i];
    std::string name = e.value("name", "");
    if (!names.insert(name).second) return "listed twice: " + name;
    active += e.value("status", "") == "active";
    if (!e.contains("label")) vcls.insert(name);
  }
  if (active != 1) return fmt::format("{} active entries", active);
  for (std::size_t i = 3; i < j.size(); i++)
    if (j[i].contains("label") && !vcls.count(j[i]["label"].value("name", "")))
      return "label " + j[i].value("name", "") + " points at no listed VCL";
  for (const auto &n : loaded)
    if (!vcls.count(n)) return "loaded VCL " + n + " not listed";
  return "";
}

}  // namespace prop
