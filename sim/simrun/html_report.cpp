// The HTML page of a simrun report: summary, failures with their repro lines and the
// events before them, the table of seeds, and the expanded run (charts drawn by the page's
// script from the embedded record; the sampled requests' director chains as a table).
#include "sim/simrun/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/simrun/report_out.hpp"

namespace vdisim::simrun {

namespace {

constexpr std::size_t kMaxSeedRows = 1000;  // a larger sweep lists its failing seeds only
constexpr std::size_t kMaxFailures = 20;     // failure blocks; the table lists the rest
constexpr std::size_t kTailShown = 24;       // trace events shown before a failure
constexpr std::size_t kStepsAround = 8;      // timeline steps shown before a failure

std::string esc(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string str(const nlohmann::json &j, const char *key, const std::string &dflt = "") {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : dflt;
}

std::uint64_t seed_of(const nlohmann::json &run) { return run.value("seed", std::uint64_t{0}); }
bool failed(const nlohmann::json &run) { return run.value("outcome", "fail") == "fail"; }

// The JSON for a <script> element: "</" cannot end it early, bad UTF-8 is replaced.
std::string script_json(const nlohmann::json &j) {
  std::string s = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); i++) {
    if (s[i] == '<' && i + 1 < s.size() && s[i + 1] == '/') out += "<\\";
    else out += s[i];
  }
  return out;
}

std::string verdict(const nlohmann::json &report) {
  const auto &s = report["summary"];
  std::string text = fmt::format("{} seed(s): {} passed, {} failed{}", s.value("total", 0), s.value("passed", 0),
                                 s.value("failed", 0), not_hit_clause(s.value("not_hit", std::uint64_t{0})));
  if (report.value("interrupted", false)) text += " (interrupted: partial results)";
  bool ok = s.value("failed", 0) == 0;
  return fmt::format("<p class=\"verdict {}\" id=\"verdict\">{}</p>\n", ok ? "pass" : "fail", esc(text));
}

// What the timeline did shortly before `t_s`: VCL lifecycle lines (every record has them)
// and, for the expanded run, the CLI steps; the last kStepsAround of them.
std::string steps_before(const nlohmann::json &run, double t_s) {
  std::vector<std::pair<double, std::string>> steps;  // a command before what it caused
  if (run.contains("timeline"))
    for (const auto &c : run["timeline"]["steps"]) steps.emplace_back(c[0].get<double>(), "cli: " + c[1].get<std::string>());
  if (run.contains("stats") && run["stats"].contains("vcl"))
    for (const auto &v : run["stats"]["vcl"]) steps.emplace_back(v[0].get<double>(), "vcl: " + v[1].get<std::string>());
  std::stable_sort(steps.begin(), steps.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  auto end = std::upper_bound(steps.begin(), steps.end(), t_s, [](double t, const auto &s) { return t < s.first; });
  auto begin = end - std::min<std::ptrdiff_t>(end - steps.begin(), kStepsAround);
  std::string out;
  for (auto it = begin; it != end; ++it) out += fmt::format("t={:.3f}s {}\n", it->first, it->second);
  return out;
}

// `open`: the events are shown unfolded (the expanded run's failure).
std::string failure_block(const nlohmann::json &report, const nlohmann::json &run, bool open) {
  std::uint64_t seed = seed_of(run);
  std::string rule = str(run, "rule", run.contains("failure") ? str(run["failure"], "rule", "?") : "?");
  std::string strategy = str(run, "strategy", str(report, "strategy"));
  std::string repro = seed_repro(str(report, "scenario"), seed, strategy);
  std::string o = fmt::format("<div class=\"failure\" data-seed=\"{}\" data-rule=\"{}\">\n", seed, esc(rule));
  o += fmt::format("<h3>seed {}: <span class=\"rule\">{}</span>{}</h3>\n", seed, esc(rule),
                   failed(run) ? "" : " (the expected failure)");
  o += fmt::format("<p class=\"message\">{}</p>\n", esc(str(run, "message")));
  for (const auto &u : run.value("unmet", nlohmann::json::array())) o += fmt::format("<p class=\"unmet\">unmet: {}</p>\n", esc(u.get<std::string>()));
  o += fmt::format("<p>repro: <code class=\"repro\">{}</code></p>\n", esc(repro));
  if (!run.contains("failure")) {
    if (rule == "CRASH") o += "<p class=\"note\">The process running this seed died; no events were kept. Rerun the repro line with --no-fork under a debugger.</p>\n";
    return o + "</div>\n";
  }
  const auto &f = run["failure"];
  double t_s = f.value("time_s", 0.0);
  o += fmt::format("<p>at t={:.6f}s in actor {}</p>\n", t_s, esc(str(f, "actor")));
  std::string around = steps_before(run, t_s);
  if (!around.empty()) o += "<p>timeline steps before it:</p>\n<pre class=\"steps\">" + esc(around) + "</pre>\n";
  const auto &tail = f["trace_tail"];
  std::size_t from = tail.size() > kTailShown ? tail.size() - kTailShown : 0;
  std::string events;
  for (std::size_t i = from; i < tail.size(); i++) events += tail[i].get<std::string>() + "\n";
  o += fmt::format("<details{}><summary>events before the failure</summary><pre class=\"events\">{}</pre></details>\n",
                   open ? " open" : "", esc(events));
  return o + "</div>\n";
}

std::string failures_section(const nlohmann::json &report, std::optional<std::size_t> expanded) {
  std::string o;
  std::size_t n = 0, total = 0;
  const auto &runs = report["runs"];
  for (std::size_t i = 0; i < runs.size(); i++) {
    if (!failed(runs[i]) && !runs[i].contains("failure")) continue;
    total++;
    if (n < kMaxFailures) {
      o += failure_block(report, runs[i], expanded == i);
      n++;
    }
  }
  if (total == 0) return "";
  std::string more = total > n ? fmt::format("<p class=\"note\">{} more in the table of seeds.</p>\n", total - n) : "";
  return "<section id=\"failures\"><h2>Failures</h2>\n" + o + more + "</section>\n";
}

std::string seeds_section(const nlohmann::json &report) {
  const auto &runs = report["runs"];
  bool all = runs.size() <= kMaxSeedRows;
  std::string rows;
  std::size_t shown = 0;
  for (const auto &run : runs) {
    if (shown >= kMaxSeedRows || (!all && !failed(run))) continue;
    shown++;
    std::string outcome = str(run, "outcome", "fail");
    rows += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        esc(outcome), seed_of(run), esc(outcome), esc(str(run, "rule")), esc(str(run, "message")),
                        esc(str(run, "digest")), run.value("steps", std::uint64_t{0}));
  }
  std::string note = shown < runs.size() ? fmt::format("<p class=\"note\">{} seeds not listed (passing, or past {} rows).</p>\n",
                                                       runs.size() - shown, kMaxSeedRows) : "";
  return "<section id=\"seeds\"><h2>Seeds</h2>\n<table class=\"seeds\"><tr><th>seed</th><th>outcome</th><th>rule</th>"
         "<th>message</th><th>digest</th><th>steps</th></tr>\n" + rows + "</table>\n" + note + "</section>\n";
}

// The sampled requests and the path their hint took to a leaf.
std::string chains_table(const nlohmann::json &timeline) {
  std::string rows;
  for (const auto &q : timeline["samples"]) {
    std::string chain;
    for (const auto &hop : q["chain"]) chain += (chain.empty() ? "" : " \u2192 ") + hop.get<std::string>();
    if (chain.empty()) chain = "(no director)";
    rows += fmt::format("<tr class=\"{}\"><td>{:.3f}</td><td>{}</td><td>{}</td><td class=\"chain\">{}</td><td>{}</td></tr>\n",
                        esc(str(q, "outcome")), q.value("end_s", 0.0), esc(str(q, "url")), esc(str(q, "vcl")),
                        esc(chain), esc(str(q, "outcome")));
  }
  return "<h3>Director chain of sampled requests</h3>\n<table id=\"chains\"><tr><th>ended (s)</th><th>url</th><th>vcl</th>"
         "<th>chain</th><th>outcome</th></tr>\n" + rows + "</table>\n";
}

std::string run_section(const nlohmann::json &run) {
  std::string why = failed(run) ? "the first failing seed" : run.contains("failure") ? "the first seed that hit the expected failure" : "the first seed";
  std::string o = fmt::format("<section id=\"run\"><h2>Seed {} ({})</h2>\n", seed_of(run), why);
  if (!run.contains("stats")) return o + "<p class=\"note\">No statistics: the process running this seed died.</p></section>\n";
  if (!run.contains("timeline"))
    o += "<p class=\"note\">No timeline for this seed (not watched: its rerun did not finish, or a shard ran "
         "without --html); health and VCL lifecycle only.</p>\n";
  o += "<div id=\"charts\"></div>\n";
  if (run.contains("timeline")) o += chains_table(run["timeline"]);
  nlohmann::json data = {{"seed", seed_of(run)}, {"end_s", run.value("end_s", 0.0)}, {"stats", run["stats"]},
                         {"timeline", run.value("timeline", nlohmann::json::object())}};
  data["stats"].erase("request_log");
  if (run.contains("failure")) data["failure"] = {{"rule", run["failure"]["rule"]}, {"time_s", run["failure"]["time_s"]}};
  o += "<script type=\"application/json\" id=\"vdisim-data\">" + script_json(data) + "</script>\n";
  return o + "</section>\n";
}

}  // namespace

std::optional<std::size_t> expanded_run(const nlohmann::json &runs) {
  for (std::size_t i = 0; i < runs.size(); i++)
    if (failed(runs[i])) return i;
  for (std::size_t i = 0; i < runs.size(); i++)
    if (runs[i].contains("failure")) return i;
  if (runs.empty()) return std::nullopt;
  return 0;
}

std::string html_report(const nlohmann::json &report) {
  std::string name = str(report, "scenario_name", str(report, "scenario"));
  std::string o = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>vdisim: " + esc(name) +
                  "</title>\n<style>\n" + kHtmlCss + "</style></head><body>\n";
  o += fmt::format("<h1>vdisim: {}</h1>\n", esc(name));
  o += verdict(report);
  o += fmt::format("<p class=\"meta\">scenario <code>{}</code>, strategy {}, schema {}</p>\n", esc(str(report, "scenario")),
                   esc(str(report, "strategy")), esc(str(report, "schema")));
  const auto &runs = report["runs"];
  std::optional<std::size_t> i = expanded_run(runs);
  if (i) o += run_section(runs[*i]);
  o += failures_section(report, i);
  if (runs.size() > 1) o += seeds_section(report);
  o += "<script>\n" + std::string(kHtmlJs) + "</script>\n</body></html>\n";
  return o;
}

}  // namespace vdisim::simrun
