// Human and JSON output of simrun.
#include "sim/simrun/report_out.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/runner/isolate.hpp"
#include "sim/simrun/coverage_out.hpp"

namespace vdisim::simrun {

void write_atomically(const std::string &path, const std::string &text) {
  std::string tmp = fmt::format("{}.tmp.{}", path, getpid());
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    if (!f) throw std::runtime_error(fmt::format("cannot write {}", tmp));
  }
  std::filesystem::rename(tmp, path);
}

Reporter::Reporter(std::string file, const scenario::Scenario &sc, std::string strategy, bool quiet, bool verbose)
    : file_(std::move(file)), sc_(sc), strategy_(std::move(strategy)), quiet_(quiet), verbose_(verbose),
      tty_(isatty(STDERR_FILENO) != 0) {}

void Reporter::header(const std::vector<std::uint64_t> &seeds) const {
  if (!sc_.runtime.regressions.empty()) {
    std::string names;
    for (const auto &r : sc_.runtime.regressions) names += " " + r.name;
    std::fprintf(stderr, "WARNING: runtime regression switches ON (pre-fix Varnish behaviour):%s\n", names.c_str());
  }
  if (quiet_) return;
  std::printf("simrun %s (%s): %zu seed(s) %s, strategy %s, %.3f s virtual each\n", file_.c_str(), sc_.name.c_str(),
              seeds.size(), seeds.empty() ? "" : fmt::format("{}..{}", seeds.front(), seeds.back()).c_str(),
              strategy_.c_str(), static_cast<double>(sc_.run.duration_ns) * 1e-9);
  std::fflush(stdout);
}

std::string not_hit_clause(std::uint64_t not_hit) {
  return not_hit > 0 ? fmt::format(", {} did not reach the expected failure", not_hit) : "";
}

void Reporter::progress(std::size_t done, std::size_t total, std::size_t failed, std::size_t not_hit,
                        double wall_s) {
  if (quiet_ || total <= 1) return;
  // A terminal's bar is drawn again at most every 0.1 s (a write per short seed cost more
  // than the seed); a plain line comes every tenth of the seeds, or at least every 5 s.
  const bool end = done == total;
  if (tty_ ? !end && done > 1 && wall_s - last_line_s_ < 0.1
           : !end && done - last_line_ < std::max<std::size_t>(1, total / 10) && wall_s - last_line_s_ < 5.0)
    return;
  last_line_ = done;
  last_line_s_ = wall_s;
  double rate = wall_s > 0 ? static_cast<double>(done) / wall_s : 0.0;
  // As the summary counts: a seed that missed an expected failure did not fail.
  std::string counts = fmt::format("{}/{} seeds, {} failed{}", done, total, failed, not_hit_clause(not_hit));
  if (tty_) {
    int width = 30, fill = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r[%s%s] %s, %.1f runs/s%s", std::string(fill, '#').c_str(),
                 std::string(width - fill, ' ').c_str(), counts.c_str(), rate, end ? "\n" : "");
  } else {
    std::fprintf(stderr, "progress: %s, %.1f runs/s\n", counts.c_str(), rate);
  }
  std::fflush(stderr);
}

namespace {
// How a repro line starts: the program that ran (simrun, or a test's simrun_crashtest),
// unless VDISIM_REPRO_PROGRAM names a wrapper (scripts/simrun sets it to itself).
std::string repro_program() {
  const char *p = std::getenv("VDISIM_REPRO_PROGRAM");
  if (p && *p) return p;
  return runner::this_program("simrun").string();
}

std::vector<std::string> &repro_vmods() {
  static std::vector<std::string> v;
  return v;
}
}  // namespace

void add_repro_vmod(const std::string &path) { repro_vmods().push_back(path); }

std::string repro_command(const std::string &args) {
  std::string cmd = repro_program();
  for (const auto &v : repro_vmods()) cmd += " --vmod " + v;
  return cmd + " " + args;
}

std::string seed_repro(const std::string &file, std::uint64_t seed, const std::string &strategy) {
  return repro_command(fmt::format("{} --seed {} --strategy {}", file, seed, strategy));
}

nlohmann::json summarize(const nlohmann::json &runs, const std::string &file, const std::string &strategy) {
  nlohmann::json s;
  std::uint64_t failed = 0;
  std::map<std::string, std::uint64_t> rules;
  nlohmann::json failures = nlohmann::json::array();
  std::uint64_t not_hit = 0;
  for (const auto &r : runs) {
    if (r.value("outcome", "fail") == "pass") continue;
    if (r.value("outcome", "fail") == "not_hit") {
      not_hit++;
      continue;
    }
    failed++;
    std::string rule = r.value("rule", "?");
    rules[rule]++;
    std::uint64_t seed = r.value("seed", std::uint64_t{0});
    std::string strat = r.value("strategy", strategy);
    failures.push_back({{"seed", seed}, {"rule", rule}, {"message", r.value("message", "")},
                        {"repro", seed_repro(file, seed, strat)}});
  }
  s["total"] = runs.size();
  s["passed"] = runs.size() - failed - not_hit;
  s["failed"] = failed;
  s["not_hit"] = not_hit;
  s["rules"] = rules;
  s["failures"] = failures;
  return s;
}

nlohmann::json Reporter::report(std::vector<nlohmann::json> runs, bool interrupted) const {
  auto by_seed = [](const auto &x, const auto &y) { return x["seed"] < y["seed"]; };
  if (!std::is_sorted(runs.begin(), runs.end(), by_seed))  // a sweep's come in seed order
    std::sort(runs.begin(), runs.end(), by_seed);
  nlohmann::json j;
  j["schema"] = kReportSchema;
  j["scenario"] = file_;
  j["scenario_name"] = sc_.name;
  j["strategy"] = strategy_;
  nlohmann::json regs = nlohmann::json::array();
  for (const auto &r : sc_.runtime.regressions) regs.push_back(r.name);
  j["regressions"] = regs;
  j["interrupted"] = interrupted;
  nlohmann::json ignored = nlohmann::json::array();  // what VCL files say that is not modelled
  for (const auto &v : sc_.vcls)
    for (const auto &i : v.ignored)
      ignored.push_back({{"vcl", v.name}, {"file", v.file_of(i.mark)}, {"line", i.mark.line}, {"col", i.mark.col},
                         {"what", i.what}, {"count", i.count}});
  if (!ignored.empty()) j["vcl_ignored"] = ignored;
  j["runs"] = std::move(runs);
  j["summary"] = summarize(j["runs"], file_, strategy_);
  if (sc_.expect.failure) j["expect_failure"] = *sc_.expect.failure;
  j["verbose"] = verbose_;
  j["quiet"] = quiet_;
  return j;
}

namespace {

void print_stats(const nlohmann::json &run) {
  const auto &st = run["stats"];
  std::printf("  VCL lifecycle:\n");
  const nlohmann::json vcl_log = st.value("vcl", nlohmann::json::array());
  for (const auto &v : vcl_log)
    std::printf("    t=%9.3fs  %s\n", v[0].get<double>(), v[1].get<std::string>().c_str());
  std::printf("  requests:");
  for (const auto &[k, n] : st["requests"].items()) std::printf(" %s=%llu", k.c_str(), static_cast<unsigned long long>(n.get<std::uint64_t>()));
  std::printf("\n");
  const nlohmann::json picks = st.value("picks", nlohmann::json::object());
  for (const auto &[dir, leaves] : picks.items()) {
    std::printf("  picks via %s:", dir.c_str());
    for (const auto &[leaf, n] : leaves.items())
      std::printf(" %s=%llu", leaf.c_str(), static_cast<unsigned long long>(n.get<std::uint64_t>()));
    std::printf("\n");
  }
  std::printf("  backends:%-14s %-22s %8s %6s %6s %5s %5s  health timeline\n", "", "host", "fetches", "share", "sick", "down", "up");
  const nlohmann::json backends = st.value("backends", nlohmann::json::array());
  for (const auto &b : backends) {
    std::string timeline;
    for (const auto &h : b["health"]) timeline += fmt::format(" {:.0f}s:{}", h[0].get<double>(), h[1].get<std::string>());
    if (timeline.size() > 60) timeline = timeline.substr(0, 57) + "...";
    std::printf("    %-20s %-22s %8llu %5.1f%% %6llu %5llu %5llu %s\n", b["name"].get<std::string>().c_str(),
                b["host"].get<std::string>().c_str(), static_cast<unsigned long long>(b["fetches"].get<std::uint64_t>()),
                100.0 * b["share"].get<double>(), static_cast<unsigned long long>(b["fetches_while_sick"].get<std::uint64_t>()),
                static_cast<unsigned long long>(b["went_sick"].get<std::uint64_t>()),
                static_cast<unsigned long long>(b["went_healthy"].get<std::uint64_t>()), timeline.c_str());
  }
  std::printf("  directors: %llu added, %llu destroyed\n",
              static_cast<unsigned long long>(st["directors"]["added"].get<std::uint64_t>()),
              static_cast<unsigned long long>(st["directors"]["destroyed"].get<std::uint64_t>()));
  const nlohmann::json cli_errors = st.value("cli_errors", nlohmann::json::array());
  for (const auto &e : cli_errors)
    std::printf("  CLI refused: %s\n", e.get<std::string>().c_str());
  for (const auto &c : st.value("cli_output", nlohmann::json::array())) {
    std::printf("  t=%.3fs %s:\n", c["at_s"].get<double>(), c["command"].get<std::string>().c_str());
    std::string out = c["output"].get<std::string>();
    for (std::size_t at = 0; at < out.size();) {
      std::size_t nl = out.find('\n', at);
      if (nl == std::string::npos) nl = out.size();
      std::printf("    %s\n", out.substr(at, nl - at).c_str());
      at = nl + 1;
    }
  }
}

}  // namespace

void print_summary(const nlohmann::json &report, bool verbose, bool quiet) {
  const auto &runs = report["runs"];
  bool detail = !quiet && (verbose || runs.size() == 1);
  for (const auto &r : runs) {
    bool pass = r.value("outcome", "fail") != "fail";
    if (!detail && pass) continue;
    std::printf("%s seed %llu: %s", pass ? "PASS" : "FAIL", static_cast<unsigned long long>(r.value("seed", std::uint64_t{0})),
                pass ? "every invariant and expectation held" : (r.value("rule", "?") + ": " + r.value("message", "")).c_str());
    if (r.contains("digest")) std::printf(" (digest %s, %llu steps)", r["digest"].get<std::string>().c_str(),
                                          static_cast<unsigned long long>(r["steps"].get<std::uint64_t>()));
    std::printf("\n");
    const nlohmann::json unmet = r.value("unmet", nlohmann::json::array());
    for (const auto &u : unmet) std::printf("  unmet: %s\n", u.get<std::string>().c_str());
    if (!pass && r.contains("failure") && !quiet) {
      std::printf("  last events:\n");
      const auto &tail = r["failure"]["trace_tail"];
      std::size_t from = tail.size() > 12 ? tail.size() - 12 : 0;
      for (std::size_t i = from; i < tail.size(); i++) std::printf("    %s\n", tail[i].get<std::string>().c_str());
    }
    if (detail && r.contains("stats")) print_stats(r);
  }
  if (report.contains("coverage")) print_coverage(report["coverage"]);
  const auto &s = report["summary"];
  std::printf("summary: %llu seed(s), %llu passed, %llu failed%s (strategy %s)%s\n",
              static_cast<unsigned long long>(s["total"].get<std::uint64_t>()),
              static_cast<unsigned long long>(s["passed"].get<std::uint64_t>()),
              static_cast<unsigned long long>(s["failed"].get<std::uint64_t>()),
              not_hit_clause(s.value("not_hit", std::uint64_t{0})).c_str(),
              report["strategy"].get<std::string>().c_str(),
              report.value("interrupted", false) ? " [INTERRUPTED: partial results]" : "");
  if (!s["rules"].empty()) {
    std::printf("rules violated:");
    for (const auto &[k, n] : s["rules"].items()) std::printf(" %s x%llu", k.c_str(), static_cast<unsigned long long>(n.get<std::uint64_t>()));
    std::printf("\n");
  }
  for (const auto &f : s["failures"]) std::printf("  repro: %s\n", f["repro"].get<std::string>().c_str());
  std::fflush(stdout);
}

int exit_code(const nlohmann::json &report) {
  const auto &s = report["summary"];
  if (s["failed"].get<std::uint64_t>() > 0) return 1;
  if (report.contains("expect_failure") && s["passed"].get<std::uint64_t>() == 0) {
    std::printf("expected failure %s was not reached by any seed\n", report["expect_failure"].get<std::string>().c_str());
    return 1;
  }
  return 0;
}

void Reporter::summary(const nlohmann::json &report) const { print_summary(report, verbose_, quiet_); }

}  // namespace vdisim::simrun
