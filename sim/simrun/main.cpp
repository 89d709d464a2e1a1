// simrun: run a YAML scenario for one seed or a sweep of seeds and report.
// Exit 0: every run held every invariant and expectation; 1: some run failed; 2: bad
// input or flags (with file:line:col for scenario errors).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "sim/runner/short_types.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/vmod_load.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/loader.hpp"
#include "sim/seed_range.hpp"
#include "sim/simrun/chrome_trace.hpp"
#include "sim/simrun/coverage_out.hpp"
#include "sim/simrun/explore_cli.hpp"
#include "sim/simrun/html_report.hpp"
#include "sim/simrun/report_out.hpp"
#include "sim/simrun/sweep.hpp"
#include "sim/simrun/timeline.hpp"

using namespace vdisim;

namespace {

struct Args {
  std::string scenario;
  std::vector<std::string> vmods;  // --vmod: loaded before the scenario's own `vmods:`
  std::optional<std::uint64_t> seed;
  std::string seeds, strategy, shard, json_path, trace_path, trace_failure, replay, save_decisions, shrink, html_path;
  std::uint64_t max_schedules = 100000;
  std::size_t shrink_runs = 400;
  std::uint64_t until_coverage = 0;  // --until-coverage N (implies --coverage)
  int jobs = 1;
  bool quiet = false, no_fork = false, verbose = false, racing_only = false, request_log = false;
  bool coverage = false;
  runner::Detail detail = runner::Detail::stats;  // of the records: what the outputs show
};

[[noreturn]] void bad_input(const std::string &msg) {
  std::cerr << "simrun: " << msg << "\n";
  std::exit(2);
}

std::pair<std::uint64_t, std::uint64_t> parse_range(const std::string &s) {
  try {
    sim::SeedRange r = sim::SeedRange::parse(s);
    return {r.first, r.last};
  } catch (const std::invalid_argument &e) {
    bad_input(fmt::format("--seeds {}: {}", s, e.what()));
  }
}

std::vector<std::uint64_t> select_seeds(const Args &a, const scenario::Scenario &sc) {
  std::uint64_t first = sc.run.seed_first, last = sc.run.seed_last;
  if (a.seed) first = last = *a.seed;
  if (!a.seeds.empty()) std::tie(first, last) = parse_range(a.seeds);
  std::vector<std::uint64_t> seeds;
  std::uint64_t shard_i = 1, shard_n = 1;
  if (!a.shard.empty()) {
    auto slash = a.shard.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument("no slash");
      shard_i = std::stoull(a.shard.substr(0, slash));
      shard_n = std::stoull(a.shard.substr(slash + 1));
    } catch (const std::logic_error &) {
      bad_input(fmt::format("--shard '{}': expected I/N with 1 <= I <= N", a.shard));
    }
    if (shard_n == 0 || shard_i == 0 || shard_i > shard_n)
      bad_input(fmt::format("--shard '{}': expected I/N with 1 <= I <= N", a.shard));
  }
  for (std::uint64_t s = first, k = 0;; s++, k++) {
    if (k % shard_n == shard_i - 1) seeds.push_back(s);
    if (s == last) break;
  }
  return seeds;
}

sim::StrategySpec select_strategy(const Args &a, const scenario::Scenario &sc) {
  std::string text = a.strategy.empty() ? sc.run.strategy_text : a.strategy;
  if (!a.replay.empty()) text = "replay:" + a.replay;
  if (a.strategy.empty() && a.replay.empty() && sc.run.strategy == scenario::RunSpec::Strategy::replay) {
    auto dir = std::filesystem::path(sc.file).parent_path();
    text = "replay:" + (dir / sc.run.replay_file).string();
  }
  try {
    return sim::StrategySpec::parse(text);
  } catch (const std::invalid_argument &e) {
    bad_input(e.what());
  }
}

// `timeline`: watch the run for the HTML report (the record's "timeline"); the run is the same.
nlohmann::json run_one(const Args &a, const scenario::Scenario &sc, const sim::StrategySpec &strategy,
                       std::uint64_t seed, bool trace_this, bool keep_choices = false, bool timeline = false) {
  runner::RunRequest req;
  req.seed = seed;
  req.strategy = strategy;
  req.keep_trace = trace_this;
  req.keep_choices = keep_choices;
  req.keep_decisions = !a.save_decisions.empty();
  req.request_log = a.request_log;
  simrun::Timeline tl(sc.run.duration_ns);
  if (timeline) {
    req.on_event = [&tl](const sim::EventView &e) { tl.event(e); };
    req.on_request = [&tl](const runner::RequestRecord &q) { tl.request(q); };
  }
  req.coverage = a.coverage;
  runner::RunResult r = runner::run_scenario(sc, req);
  if (trace_this) {
    simrun::write_atomically(a.trace_path, simrun::chrome_trace(r.trace, r.trace_dropped).dump());
    if (r.trace_dropped > 0) {
      std::cerr << fmt::format("simrun: trace of seed {}: kept the first {} events, dropped {} (run.max_trace_events)\n",
                               seed, r.trace.size(), r.trace_dropped);
    }
  }
  if (!a.save_decisions.empty()) {
    std::string text = fmt::format("# decisions of {} seed {} ({})\n", sc.file, seed, strategy.to_string());
    for (auto d : r.report.decisions) text += fmt::format("{}\n", d);
    simrun::write_atomically(fmt::format("{}.seed{}", a.save_decisions, seed), text);
  }
  nlohmann::json rec = runner::to_json(r, a.detail);
  if (timeline) rec["timeline"] = tl.to_json();
  return rec;
}

// `simrun merge [--json OUT] [--html OUT] REPORT...`: folds shard reports into one, with the
// summary (and page) a single run over the same seeds gives.
int merge_main(int argc, char **argv) {
  CLI::App app{"simrun merge: fold sharded JSON reports into one"};
  std::vector<std::string> inputs;
  std::string out_path, html_path;
  bool quiet = false;
  app.add_option("reports", inputs, "JSON reports written by simrun --json")->required()->check(CLI::ExistingFile);
  app.add_option("--json", out_path, "write the merged report here");
  app.add_option("--html", html_path, "write the merged report's HTML page here (as simrun --html)");
  app.add_flag("--quiet,-q", quiet, "only the summary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return e.get_exit_code() == 0 ? app.exit(e) : (app.exit(e), 2);
  }
  nlohmann::json merged;
  std::map<std::uint64_t, nlohmann::json> runs;
  for (const auto &in : inputs) {
    nlohmann::json r;
    try {
      std::ifstream f(in);
      f >> r;
    } catch (const std::exception &e) {
      bad_input(fmt::format("{}: not a JSON report ({})", in, e.what()));
    }
    if (r.value("schema", "") != simrun::kReportSchema) bad_input(fmt::format("{}: not a {} report", in, simrun::kReportSchema));
    if (merged.is_null()) merged = r;
    if (r["scenario"] != merged["scenario"] || r["strategy"] != merged["strategy"])
      bad_input(fmt::format("{}: different scenario or strategy than {}", in, inputs.front()));
    for (auto &run : r["runs"]) runs[run["seed"].get<std::uint64_t>()] = run;
    merged["interrupted"] = merged["interrupted"].get<bool>() || r["interrupted"].get<bool>();
  }
  merged["runs"] = nlohmann::json::array();
  for (auto &[seed, run] : runs) merged["runs"].push_back(run);
  merged["summary"] = simrun::summarize(merged["runs"], merged["scenario"], merged["strategy"]);
  merged.erase("coverage");  // one shard's; folded again from every shard's runs
  bool coverage = std::any_of(merged["runs"].begin(), merged["runs"].end(), [](const auto &r) { return r.contains("orders"); });
  if (coverage) merged["coverage"] = simrun::coverage_block(merged["runs"]);
  if (!out_path.empty()) simrun::write_atomically(out_path, merged.dump(2) + "\n");
  if (!html_path.empty()) simrun::write_atomically(html_path, simrun::html_report(merged));
  simrun::print_summary(merged, false, quiet);
  return simrun::exit_code(merged);
}

// --trace-failure DIR: the first failing seed again, traced, in a child process as every
// seed runs (a crash of the code under test leaves the report as it is).
std::optional<nlohmann::json> trace_first_failure(const Args &a, const scenario::Scenario &sc,
                                                  const sim::StrategySpec &strategy, const nlohmann::json &runs) {
  for (const auto &rec : runs) {
    if (rec.value("outcome", "pass") != "fail") continue;
    std::uint64_t seed = rec.value("seed", std::uint64_t{1});
    std::filesystem::create_directories(a.trace_failure);
    Args traced = a;
    traced.trace_path = (std::filesystem::path(a.trace_failure) / fmt::format("trace-seed{}.json", seed)).string();
    traced.save_decisions.clear();
    simrun::SweepOptions one;
    one.fork = !a.no_fork;
    bool interrupted = false;
    simrun::sweep({seed}, [&](std::uint64_t s) { return run_one(traced, sc, strategy, s, true); }, one, interrupted);
    if (!std::filesystem::exists(traced.trace_path)) return std::nullopt;
    return nlohmann::json{{"seed", seed}, {"file", traced.trace_path}};
  }
  return std::nullopt;
}

// --html FILE: the page shows one run in full (simrun::expanded_run). The first seed
// watched its timeline as it ran; another seed runs again for it, in a child process as
// every seed runs, so a crash leaves the page with what the sweep found. Then the page.
void write_html(const Args &a, const scenario::Scenario &sc, const sim::StrategySpec &strategy, nlohmann::json &report) {
  auto &runs = report["runs"];
  std::optional<std::size_t> i = simrun::expanded_run(runs);
  if (i && !runs[*i].contains("timeline") && runs[*i].contains("stats") && !report.value("interrupted", false)) {
    Args again = a;
    again.save_decisions.clear();
    simrun::SweepOptions one;
    one.fork = !a.no_fork;
    bool interrupted = false;
    std::uint64_t seed = runs[*i].value("seed", std::uint64_t{1});
    auto recs = simrun::sweep({seed}, [&](std::uint64_t s) { return run_one(again, sc, strategy, s, false, false, true); },
                              one, interrupted);
    if (!recs.empty() && recs[0].contains("timeline") && recs[0].value("digest", "") == runs[*i].value("digest", ""))
      runs[*i]["timeline"] = recs[0]["timeline"];
  }
  simrun::write_atomically(a.html_path, simrun::html_report(report));
}

// What the scenario's VCL files say that vdisim does not model, once per file (not an
// error: the run models the rest).
void print_vcl_ignored(const scenario::Scenario &sc) {
  for (const auto &v : sc.vcls) {
    if (v.ignored.empty()) continue;
    std::cerr << fmt::format("simrun: {}: ignored (not modelled by vdisim):\n", v.file);
    for (const auto &i : v.ignored)
      std::cerr << fmt::format("  {}{}:{}: {}{}\n",
                               i.mark.file ? std::filesystem::path(v.file_of(i.mark)).filename().string() + ":" : "",
                               i.mark.line, i.mark.col, i.what, i.count > 1 ? fmt::format(" ({} times)", i.count) : "");
  }
}

void add_options(CLI::App &app, Args &a) {
  app.add_option("scenario", a.scenario, "scenario YAML file")->required();
  app.add_option("--seed", a.seed, "run this one seed");
  app.add_option("--seeds", a.seeds, "run seeds A..B (inclusive)");
  app.add_option("--strategy", a.strategy, "random | pct | pct:D | pos | portfolio | dfs:P | replay:FILE");
  app.add_option("--replay", a.replay, "rerun the decisions recorded in FILE (same as --strategy replay:FILE)");
  app.add_option("--jobs,-j", a.jobs, "seeds run in parallel (child processes)")->check(CLI::Range(1, 256));
  app.add_option("--shard", a.shard, "run only shard I of N of the seeds (I/N, 1-based)");
  app.add_option("--json", a.json_path, "write the JSON report here (atomically)");
  app.add_option("--trace", a.trace_path, "write a Chrome/Perfetto trace of the first seed here");
  app.add_option("--html", a.html_path,
                 "write a self-contained HTML page of the run here: health, request shares, VCL temperatures, "
                 "refcounts and director chains on one virtual-time axis; failures with repro lines (sweeps: a table of seeds)");
  app.add_option("--trace-failure", a.trace_failure,
                 "rerun the first failing seed and write its Chrome/Perfetto trace as DIR/trace-seedN.json");
  app.add_option("--save-decisions", a.save_decisions, "write each seed's scheduling decisions to PREFIX.seedN (for --replay)");
  app.add_option("--max-schedules", a.max_schedules, "dfs:P: stop (not exhausted) after this many schedules");
  app.add_flag("--racing-only", a.racing_only, "dfs:P: branch only where two ready actors' next steps conflict");
  app.add_option("--shrink", a.shrink, "shrink the first failing seed's schedule; write its decisions to FILE (for --replay)");
  app.add_option("--shrink-runs", a.shrink_runs, "runs --shrink may make (default 400)");
  app.add_flag("--quiet,-q", a.quiet, "only the summary and failures");
  app.add_flag("--verbose,-v", a.verbose, "per-seed statistics for every seed");
  app.add_option("--vmod", a.vmods, "load this libvmod_NAME.so first, as a scenario's `vmods:` does (repeatable)")
      ->check(CLI::ExistingFile)
      ->allow_extra_args(false);
  app.add_flag("--request-log", a.request_log,
               "one record per request in the JSON report (stats.request_log: times, url, vcl, director, "
               "backend, outcome)");
  app.add_flag("--coverage", a.coverage,
               "interleaving coverage: which orders of conflicting operations each run saw (JSON runs[].orders, "
               "report coverage block, summary)");
  app.add_option("--until-coverage", a.until_coverage,
                 "with --coverage: stop the sweep when N seeds in a row brought no new order")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
  app.add_flag("--no-fork", a.no_fork, "run seeds in this process (debugging; a crash ends simrun)");
}

// Loads the scenario and every vmod it or --vmod names, and checks what the loader could
// not (director types, `new:` calls): false after saying why on stderr (exit 2).
bool prepare(const Args &a, scenario::Scenario &sc) {
  try {
    sc = scenario::load_file(a.scenario);
  } catch (const scenario::LoadError &e) {
    std::cerr << e.what() << "\n";
    return false;
  }
  print_vcl_ignored(sc);
  // `vmods:` first: a vmod named `directors` replaces the built-in one, in either order.
  for (const auto &v : a.vmods) {
    try {
      runner::vmod::load_vmod(v);
      simrun::add_repro_vmod(std::filesystem::absolute(v).lexically_normal().string());
    } catch (const runner::vmod::VmodLoadError &e) {
      std::cerr << "simrun: --vmod " << e.what() << "\n";
      return false;
    }
  }
  if (auto errors = runner::vmod::load_scenario_vmods(sc); !errors.empty()) {
    for (const auto &e : errors) std::cerr << e << "\n";
    return false;
  }
  runner::register_builtin_directors();
  if (std::string err; !runner::register_scenario_mutants(sc, &err)) {
    std::cerr << "simrun: " << a.scenario << ": " << err << "\n";
    return false;
  }
  for (const auto &n : runner::vmod::registry_notices()) std::cerr << "simrun: " << n << "\n";
  if (auto errors = runner::vmod::check_scenario(sc); !errors.empty()) {  // `new: VMOD.OBJECT(...)` calls
    for (const auto &e : errors) std::cerr << e << "\n";
    return false;
  }
  for (const auto &v : sc.vcls)
    for (const auto &d : v.directors)
      if (!runner::find_director_type(d)) {
        std::string known;
        for (const auto &k : runner::known_director_types()) known += (known.empty() ? "" : ", ") + k;
        std::cerr << fmt::format("{}:{}:{}: unknown director type '{}' (known: {})\n",
                                 v.file.empty() ? a.scenario : v.file_of(d.mark), d.mark.line,
                                 d.mark.col, d.type_text, known);
        return false;
      }
  return true;
}

// dfs:P: one seed, every schedule within the bound.
int explore(const Args &a, const scenario::Scenario &sc, const std::vector<std::uint64_t> &seeds,
            const sim::StrategySpec &strategy, const simrun::ScheduleRun &schedule_run) {
  simrun::ExploreOptions eo;
  eo.scenario = a.scenario;
  eo.seed = seeds.empty() ? 1 : seeds.front();
  eo.max_schedules = a.max_schedules;
  eo.expect_failure = sc.expect.failure.value_or("");
  eo.racing_only = a.racing_only;
  eo.out = !a.shrink.empty() ? a.shrink : fmt::format("{}.seed{}.dfs", std::filesystem::path(a.scenario).stem().string(), eo.seed);
  if (seeds.size() > 1) std::cerr << fmt::format("simrun: {} explores one seed: {}\n", strategy.to_string(), eo.seed);
  if (!a.html_path.empty()) std::cerr << fmt::format("simrun: --html: {} prints a verdict, not a report; no page\n", strategy.to_string());
  return simrun::run_dfs(eo, strategy.depth, schedule_run);
}

// After a sweep: the shrunk schedule of the first failing seed, its trace, the HTML page
// and the JSON report, then the summary. Returns the exit status.
int finish(const Args &a, const scenario::Scenario &sc, const sim::StrategySpec &strategy,
           const simrun::ScheduleRun &schedule_run, simrun::Reporter &out, nlohmann::json &report,
           bool interrupted) {
  const nlohmann::json &runs = report["runs"];  // by seed, as the sweep ran them
  if (!a.shrink.empty() && !interrupted) {
    // The first seed that failed, or that hit the failure an `expect: failure` asks for.
    for (const auto &rec : runs) {
      if (!rec.contains("failure") && rec.value("outcome", "pass") != "fail") continue;
      simrun::ExploreOptions eo;
      eo.scenario = a.scenario;
      eo.seed = rec.value("seed", std::uint64_t{1});
      eo.out = a.shrink;
      report["shrink"] = simrun::shrink_failure(eo, strategy, schedule_run, a.shrink_runs);
      break;
    }
  }
  if (!a.trace_failure.empty() && !interrupted)
    if (auto t = trace_first_failure(a, sc, strategy, runs)) report["failure_trace"] = *t;
  if (!a.html_path.empty()) write_html(a, sc, strategy, report);
  if (!a.json_path.empty()) simrun::write_atomically(a.json_path, report.dump(2) + "\n");
  out.summary(report);
  if (report.contains("failure_trace"))
    std::printf("trace of seed %llu: %s (open in https://ui.perfetto.dev)\n",
                static_cast<unsigned long long>(report["failure_trace"]["seed"].get<std::uint64_t>()),
                report["failure_trace"]["file"].get<std::string>().c_str());
  if (interrupted) return 130;
  return simrun::exit_code(report);
}

}  // namespace

int main(int argc, char **argv) {
  if (argc > 1 && std::string(argv[1]) == "merge") return merge_main(argc - 1, argv + 1);
  Args a;
  CLI::App app{"simrun: run a vdisim scenario on virtual time, deterministically"};
  add_options(app, a);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return 2;
  }
  if (a.until_coverage > 0) a.coverage = true;
  scenario::Scenario sc;
  if (!prepare(a, sc)) return 2;
  std::vector<std::uint64_t> seeds = select_seeds(a, sc);
  // The JSON report, the page and the detail of one seed (or --verbose) show each run in
  // full; a sweep that prints only its summary is spared building and sending the rest.
  if (a.json_path.empty() && a.html_path.empty() && !a.verbose && !a.request_log && seeds.size() > 1)
    a.detail = runner::Detail::brief;
  sim::StrategySpec strategy = select_strategy(a, sc);
  simrun::ScheduleRun schedule_run = [&](const sim::StrategySpec &spec, std::uint64_t seed) {
    return run_one(a, sc, spec, seed, false, true);
  };
  if (strategy.kind == sim::StrategySpec::Kind::Dfs) return explore(a, sc, seeds, strategy, schedule_run);
  simrun::Reporter out(a.scenario, sc, strategy.to_string(), a.quiet, a.verbose);
  out.header(seeds);
  auto start = std::chrono::steady_clock::now();  // progress display only; never reaches a run
  simrun::SweepOptions so;
  so.jobs = a.jobs;
  so.fork = !a.no_fork;
  so.progress = [&](std::size_t done, std::size_t total, std::size_t failed, std::size_t not_hit) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.progress(done, total, failed, not_hit, secs);
  };
  std::optional<simrun::CoverageStop> until;
  if (a.until_coverage > 0) {
    until.emplace(a.until_coverage);
    so.stop_after = [&until](const nlohmann::json &rec) { return until->stop_after(rec); };
  }
  std::size_t processes = 0;
  so.processes = &processes;
  bool interrupted = false;
  std::uint64_t trace_seed = seeds.empty() ? 0 : seeds.front();
  std::vector<nlohmann::json> records;
  try {
    records = simrun::sweep(seeds, [&](std::uint64_t seed) {
      return run_one(a, sc, strategy, seed, !a.trace_path.empty() && seed == trace_seed, false,
                   !a.html_path.empty() && seed == trace_seed);
    }, so, interrupted);
  } catch (const std::exception &e) {
    std::cerr << "simrun: " << e.what() << "\n";
    return 2;
  }
  if (a.verbose && so.fork)
    std::cerr << fmt::format("simrun: {} seed(s) ran in {} child process(es)\n", records.size(), processes);
  nlohmann::json report = out.report(std::move(records), interrupted);
  if (a.coverage) report["coverage"] = simrun::coverage_block(report["runs"], a.until_coverage, seeds.size());
  int status = finish(a, sc, strategy, schedule_run, out, report, interrupted);
  // The report (the sweep's records moved into it) is left to the process's end: freeing a
  // long sweep's JSON node by node was a third of simrun's own time (glibc consolidating
  // its heap).
  new nlohmann::json(std::move(report));
  return status;
}
