// dfs:P and --shrink in simrun: every schedule runs in a child process (a crash is a
// CRASH failure, never the end of the search), its choices come back in its record; the
// child goes on to the next schedule while they pass (runner::Workers).
#include "sim/simrun/explore_cli.hpp"

#include <fmt/format.h>

#include "sim/runner/isolate.hpp"
#include "sim/simrun/report_out.hpp"
#include "sim/simrun/sweep.hpp"

namespace vdisim::simrun {

sim::Probe probe_of(const nlohmann::json &record) {
  sim::Probe p;
  if (record.contains("failure")) p.rule = record["failure"].value("rule", "?");
  else if (record.value("outcome", "fail") == "fail") p.rule = record.value("rule", "EXPECT");
  if (record.contains("crash")) p.rule = "CRASH";
  for (const auto &c : record.value("choices", nlohmann::json::array())) {
    sim::Choice ch;
    ch.chosen = c.at(0).get<std::uint32_t>();
    ch.running = c.at(1).get<std::uint32_t>();
    ch.racing = c.at(2).get<int>() != 0;
    for (std::size_t i = 3; i < c.size(); i++) ch.ready.push_back(c.at(i).get<std::uint32_t>());
    p.choices.push_back(std::move(ch));
  }
  return p;
}

namespace {

nlohmann::json spec_json(const sim::StrategySpec &s) {
  return {{"kind", static_cast<int>(s.kind)}, {"depth", s.depth}, {"pct_steps", s.pct_steps},
          {"decisions", s.decisions}, {"keyed", s.keyed}, {"replay_file", s.replay_file}};
}

sim::StrategySpec spec_of(const nlohmann::json &j) {
  sim::StrategySpec s;
  s.kind = static_cast<sim::StrategySpec::Kind>(j.at("kind").get<int>());
  s.depth = j.at("depth");
  s.pct_steps = j.at("pct_steps");
  s.decisions = j.at("decisions").get<std::vector<std::uint32_t>>();
  s.keyed = j.at("keyed");
  s.replay_file = j.at("replay_file");
  return s;
}

// Each schedule in a child: one worker runs schedule after schedule while they pass, as a
// sweep's seeds (sweep.hpp), and a schedule that fails or crashes ends it.
class Isolated {
 public:
  Isolated(const ExploreOptions &o, const ScheduleRun &run)
      : workers_(1, [&o, &run](std::size_t, const nlohmann::json &spec) { return run(spec_of(spec), o.seed); },
                 ran_clean) {}
  nlohmann::json operator()(const sim::StrategySpec &spec) {
    runner::Workers::Done d = workers_.run(next_++, spec_json(spec));
    if (d.record) return std::move(*d.record);
    return {{"crash", d.crash_message()}};
  }
  sim::ProbeFn probe() {
    return [this](const sim::StrategySpec &spec) { return probe_of((*this)(spec)); };
  }

 private:
  runner::Workers workers_;
  std::size_t next_ = 0;
};

std::string write_decisions(const ExploreOptions &o, const std::vector<sim::Choice> &cs, const std::string &why) {
  std::string text = fmt::format("# decisions of {} seed {}: {}\n", o.scenario, o.seed, why);
  for (auto id : sim::chosen_ids(cs)) text += fmt::format("{}\n", id);
  write_atomically(o.out, text);
  return repro_command(fmt::format("{} --seed {} --replay {}", o.scenario, o.seed, o.out));
}

}  // namespace

int run_dfs(const ExploreOptions &o, int max_preemptions, const ScheduleRun &run) {
  sim::DfsOptions d;
  d.max_preemptions = max_preemptions;
  d.max_schedules = o.max_schedules;
  d.racing_only = o.racing_only;
  Isolated isolated(o, run);
  sim::DfsResult r = sim::dfs(d, isolated.probe());
  if (r.failure) {
    std::string repro = write_decisions(o, r.failure->choices,
                                        fmt::format("dfs:{} schedule {}, {} preemptions, fails with {}", max_preemptions,
                                                    r.schedules, sim::preemptions(r.failure->choices), r.failure->rule));
    std::printf("dfs:%d: FAIL %s at schedule %llu (%zu preemptions, %zu choices)\n  decisions: %s\n  repro: %s\n",
                max_preemptions, r.failure->rule.c_str(), static_cast<unsigned long long>(r.schedules),
                sim::preemptions(r.failure->choices), r.failure->choices.size(), o.out.c_str(), repro.c_str());
    return r.failure->rule == o.expect_failure ? 0 : 1;
  }
  if (r.exhausted) {
    std::printf("dfs:%d: exhausted: %llu schedules, %d preemptions, no failure (seed %llu)\n", max_preemptions,
                static_cast<unsigned long long>(r.schedules), max_preemptions, static_cast<unsigned long long>(o.seed));
    if (!o.expect_failure.empty())
      std::printf("dfs:%d: expected failure %s not reached within the bound\n", max_preemptions, o.expect_failure.c_str());
    return o.expect_failure.empty() ? 0 : 1;
  }
  std::printf("dfs:%d: not exhausted: stopped after %llu schedules (--max-schedules), no failure so far\n",
              max_preemptions, static_cast<unsigned long long>(r.schedules));
  return 3;
}

nlohmann::json shrink_failure(const ExploreOptions &o, const sim::StrategySpec &strategy, const ScheduleRun &run,
                              std::size_t max_runs) {
  // A sweep's records have no choices: rerun the seed's own schedule keeping them.
  Isolated isolated(o, run);
  sim::Probe failing = probe_of(isolated(strategy));
  nlohmann::json out = {{"seed", o.seed}};
  if (!failing.failed() || failing.choices.empty()) {
    std::printf("shrink: seed %llu did not fail again with its choices kept; nothing shrunk\n",
                static_cast<unsigned long long>(o.seed));
    out["shrunk"] = false;
    return out;
  }
  sim::ShrinkResult s = sim::shrink(failing, isolated.probe(), max_runs);
  std::string repro = write_decisions(
      o, s.probe.choices,
      fmt::format("shrunk, fails with {}, {} preemptions (was {}), {} choices (was {})", s.probe.rule,
                  s.preemptions_after, s.preemptions_before, s.steps_after, s.steps_before));
  std::printf("shrink: seed %llu %s: preemptions %zu -> %zu, choices %zu -> %zu (%zu runs)\n  decisions: %s\n  repro: %s\n",
              static_cast<unsigned long long>(o.seed), s.probe.rule.c_str(), s.preemptions_before,
              s.preemptions_after, s.steps_before, s.steps_after, s.runs, o.out.c_str(), repro.c_str());
  out.update({{"shrunk", true}, {"rule", s.probe.rule}, {"preemptions", {s.preemptions_before, s.preemptions_after}},
              {"choices", {s.steps_before, s.steps_after}}, {"runs", s.runs}, {"decisions", o.out}, {"repro", repro}});
  return out;
}

}  // namespace vdisim::simrun
