// Scenario runner: one (scenario, seed, strategy) -> one simulated run with actors for the
// CLI timeline, traffic, resolvers and VCL polling; returns the core report, statistics
// and the verdict on the scenario's expectations. simrun and the tests sit on top.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/scenario/model.hpp"
#include "sim/sim.hpp"

namespace vdisim::runner {

struct RequestRecord {  // one request as it ended
  std::int64_t start_ns = 0, end_ns = 0;
  std::string traffic;             // the generator that sent it
  std::string url, vcl, director;  // director: the one the VCL resolved through
  std::string backend;             // the leaf that served it, "(none)" if none
  std::string outcome;             // ok, no_backend, fetch_error, vcl_not_warm, failed, synth
  std::vector<std::string> chain;  // director, the directors it resolved through, the leaf
  int status = 0;                  // what the client got: the backend's status, else 503
};

// What a quiescent check sees (RunRequest::on_quiescent): the runtime, and every VCL the
// run loaded, in load order (the boot VCL first; a name loaded again is a new entry).
struct QuiescentView {
  vrt::Runtime &rt;
  std::vector<struct vcl *> loads;
};

struct RunRequest {
  std::uint64_t seed = 1;
  sim::StrategySpec strategy;
  bool keep_trace = false;  // keep every event (for --trace export)
  bool keep_choices = false;  // keep every choice (dfs and shrinking read them)
  bool keep_decisions = false;  // report.decisions (simrun --save-decisions)
  bool request_log = false;   // one record per request in the result (simrun --request-log)
  // Each event as it happens and each request as it ends: a report that watches the run
  // (simrun --html's timeline) without keeping its whole trace or request log.
  std::function<void(const sim::EventView &)> on_event;
  std::function<void(const RequestRecord &)> on_request;
  bool coverage = false;      // interleaving coverage: report.orders and report.ops (simrun --coverage)
  // At each of these times (ascending; none given: the scenario's run.quiescent), on
  // varnishd's CLI thread after a VCL poll: on_quiescent(i, view) (a model's check;
  // Sim::current()->fail() fails the run).
  std::vector<std::int64_t> quiescent_at;
  std::function<void(std::size_t, const QuiescentView &)> on_quiescent;
};

struct BackendSummary {
  std::string name;  // cli name "vcl.backend"
  std::string host;
  std::uint64_t fetches = 0, fetches_while_sick = 0, errors = 0, refused = 0;
  std::uint64_t went_sick = 0, went_healthy = 0, probes = 0;
  std::vector<std::pair<std::int64_t, bool>> health;
};

struct RunResult {
  sim::RunReport report;
  std::string outcome;  // "pass" or "fail"
  std::optional<std::string> rule;  // failing rule (core/runtime) or "EXPECT"
  std::string message;              // why it failed (runtime failure or unmet expectations)
  std::vector<std::string> unmet;   // expectation failures, one line each
  std::map<std::string, std::uint64_t> requests;  // outcome -> count
  // requested director "vcl.name" -> leaf backend that served ("(none)": no backend) -> count
  std::map<std::string, std::map<std::string, std::uint64_t>> picks;
  std::vector<BackendSummary> backends;
  std::vector<std::pair<std::int64_t, std::string>> vcl_log;  // lifecycle lines
  struct CliOutput {
    std::int64_t at_ns = 0;
    std::string command, output;  // "backend.list -p", what varnishadm would print
    std::string line() const;     // "t=1.000s COMMAND: OUTPUT" (cli_errors in the report)
  };
  std::vector<CliOutput> cli_output;
  std::vector<CliOutput> cli_errors;  // refused CLI commands, the refusal as their output
  std::uint64_t directors_added = 0, directors_destroyed = 0;
  using RequestRecord = runner::RequestRecord;
  std::vector<RequestRecord> request_log;  // when request_log, in the order the requests ended
  std::vector<sim::Event> trace;  // when keep_trace: the first run.max_trace_events events
  std::uint64_t trace_dropped = 0;  // events past run.max_trace_events, not in `trace`
  bool coverage = false;          // report.orders and ops were recorded (RunRequest::coverage)
  bool passed() const { return outcome == "pass"; }
};

RunResult run_scenario(const scenario::Scenario &sc, const RunRequest &req);
// A run's record (docs/report-format.md), as much of it as its reader shows: `brief`, what a
// summary reads (a run that passed without a failure is its seed and outcome; another, as
// `run`); `run`, the run without its statistics; `stats`, all of it.
enum class Detail { brief, run, stats };
nlohmann::json to_json(const RunResult &r, Detail detail);

}  // namespace vdisim::runner
