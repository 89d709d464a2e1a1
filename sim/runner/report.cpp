// JSON form of one run's result (schema documented in docs/report-format.md).
#include <fmt/format.h>

#include "sim/runner/runner.hpp"

namespace vdisim::runner {

std::string RunResult::CliOutput::line() const {
  return fmt::format("t={:.3f}s {}: {}", static_cast<double>(at_ns) / 1e9, command, output);
}

namespace {

// The record's "stats": requests, picks, backends, the VCL log, the CLI, the request log.
nlohmann::json stats_json(const RunResult &r) {
  nlohmann::json st;
  st["requests"] = r.requests;
  st["picks"] = r.picks;
  std::uint64_t total = 0;
  for (const auto &b : r.backends) total += b.fetches;
  for (const auto &b : r.backends) {
    nlohmann::json health = nlohmann::json::array();
    for (const auto &[t, h] : b.health) health.push_back({static_cast<double>(t) * 1e-9, h ? "healthy" : "sick"});
    nlohmann::json one;  // member by member: an initializer list copies every value once more
    one["name"] = b.name;
    one["host"] = b.host;
    one["fetches"] = b.fetches;
    one["share"] = total ? static_cast<double>(b.fetches) / static_cast<double>(total) : 0.0;
    one["fetches_while_sick"] = b.fetches_while_sick;
    one["errors"] = b.errors;
    one["refused"] = b.refused;
    one["probes"] = b.probes;
    one["went_sick"] = b.went_sick;
    one["went_healthy"] = b.went_healthy;
    one["health"] = std::move(health);
    st["backends"].push_back(std::move(one));
  }
  for (const auto &[t, line] : r.vcl_log) st["vcl"].push_back({static_cast<double>(t) * 1e-9, line});
  st["cli_errors"] = nlohmann::json::array();
  for (const auto &e : r.cli_errors) st["cli_errors"].push_back(e.line());
  for (const auto &c : r.cli_output)
    st["cli_output"].push_back({{"at_s", static_cast<double>(c.at_ns) * 1e-9}, {"command", c.command}, {"output", c.output}});
  st["directors"] = {{"added", r.directors_added}, {"destroyed", r.directors_destroyed}};
  for (const auto &q : r.request_log) {
    nlohmann::json one;
    one["start_s"] = static_cast<double>(q.start_ns) * 1e-9;
    one["end_s"] = static_cast<double>(q.end_ns) * 1e-9;
    one["traffic"] = q.traffic;
    one["url"] = q.url;
    one["vcl"] = q.vcl;
    one["director"] = q.director;
    one["backend"] = q.backend;
    one["outcome"] = q.outcome;
    one["status"] = q.status;
    one["chain"] = q.chain;
    st["request_log"].push_back(std::move(one));
  }
  return st;
}

}  // namespace

nlohmann::json to_json(const RunResult &r, Detail detail) {
  nlohmann::json j;
  j["seed"] = r.report.seed;
  if (detail == Detail::brief && r.passed() && !r.report.failure && !r.coverage && r.report.choices.empty()) {
    j["outcome"] = r.outcome;
    return j;
  }
  j["strategy"] = r.report.strategy;
  j["outcome"] = r.outcome;
  j["digest"] = fmt::format("{:016x}", r.report.digest);
  j["steps"] = r.report.steps;
  j["racing_steps"] = r.report.racing_steps;
  j["events"] = r.report.events;
  j["end_s"] = static_cast<double>(r.report.end_ns) * 1e-9;
  if (r.rule) j["rule"] = *r.rule;
  if (!r.message.empty()) j["message"] = r.message;
  if (r.report.failure) {
    const auto &f = *r.report.failure;
    j["failure"] = {{"rule", f.rule}, {"message", f.message}, {"actor", f.actor},
                    {"time_s", static_cast<double>(f.time_ns) * 1e-9}, {"trace_tail", f.trace_tail}};
  }
  j["unmet"] = r.unmet;
  if (r.coverage) {
    j["orders"] = r.report.orders;
    j["ops"] = r.report.ops;
  }
  if (!r.report.choices.empty()) {  // kept for dfs and shrinking: [chosen, running, racing, ready...]
    nlohmann::json cs = nlohmann::json::array();
    for (const auto &c : r.report.choices) {
      nlohmann::json one = {c.chosen, c.running, c.racing ? 1 : 0};
      for (auto id : c.ready) one.push_back(id);
      cs.push_back(std::move(one));
    }
    j["choices"] = std::move(cs);
  }
  if (detail == Detail::stats) j["stats"] = stats_json(r);
  return j;
}

}  // namespace vdisim::runner
