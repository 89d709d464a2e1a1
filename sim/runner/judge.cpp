#include "sim/runner/judge.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vdisim::runner {

namespace sc = vdisim::scenario;

void judge(const sc::Scenario &s, const Observed &seen, RunResult &r) {
  const sc::Expect &ex = s.expect;
  const auto &f = r.report.failure;
  if (ex.failure) {
    // Per seed: hit (pass), another failure (fail), or the bug not reached (not_hit).
    // A sweep meets `expect: failure` when some seed hits and none fails otherwise.
    if (f && f->rule == *ex.failure) {
      r.outcome = "pass";
      return;
    }
    if (!f) {
      r.outcome = "not_hit";
      r.message = fmt::format("expected failure {} not reached by this seed", *ex.failure);
      return;
    }
    r.unmet.push_back(fmt::format("expected failure {} but the run failed with {}: {}", *ex.failure, f->rule, f->message));
  } else if (f && (ex.invariants || f->rule == "DEADLOCK")) {
    r.rule = f->rule;
    r.message = f->summary();
  }
  std::uint64_t total = 0, sick = 0;
  for (const auto &b : r.backends) {
    total += b.fetches;
    sick += b.fetches_while_sick;
  }
  for (const auto &s : ex.share) {
    std::uint64_t n = 0;
    for (const auto &b : r.backends)
      if (b.host == s.host) n += b.fetches;
    double frac = total ? static_cast<double>(n) / static_cast<double>(total) : 0.0;
    if (frac < s.min || frac > s.max)
      r.unmet.push_back(fmt::format("share of {} is {:.3f}, expected within [{:.3f}, {:.3f}]", s.key, frac, s.min, s.max));
  }
  if (ex.max_sick_requests && static_cast<std::int64_t>(sick) > *ex.max_sick_requests)
    r.unmet.push_back(fmt::format("{} requests went to sick backends, expected at most {}", sick, *ex.max_sick_requests));
  for (const auto &d : ex.discarded_by) {
    auto it = seen.discarded_at.find(d.vcl);
    if (it == seen.discarded_at.end() || it->second > d.by_ns)
      r.unmet.push_back(it == seen.discarded_at.end()
                               ? fmt::format("VCL {} was never discarded (expected by {:.3f}s)", d.vcl, d.by_ns / 1e9)
                               : fmt::format("VCL {} discarded at {:.3f}s, expected by {:.3f}s", d.vcl, it->second / 1e9, d.by_ns / 1e9));
  }
  for (const auto &v : s.vcls) {
    if (v.expect_events.empty()) continue;
    std::vector<std::string> got, want;
    if (auto it = seen.vmod_events.find(v.name); it != seen.vmod_events.end())
      for (auto e : it->second) got.push_back(sc::to_string(e));
    for (auto e : v.expect_events) want.push_back(sc::to_string(e));
    if (got != want)
      r.unmet.push_back(fmt::format("VCL {} got the vmod events [{}], expected [{}]", v.name, fmt::join(got, ", "),
                                       fmt::join(want, ", ")));
  }
  if (ex.all_directors_destroyed && r.directors_added != r.directors_destroyed)
    r.unmet.push_back(fmt::format("{} of {} directors were not destroyed", r.directors_added - r.directors_destroyed,
                                     r.directors_added));
  if (!r.unmet.empty() && !r.rule) {
    r.rule = "EXPECT";
    r.message = r.unmet.front();
  }
  r.outcome = r.rule ? "fail" : "pass";
}

}  // namespace vdisim::runner
