// Bounded dfs and schedule shrinking over prefix runs (explore.hpp).
#include "sim/explore.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace vdisim::sim {

std::uint32_t default_choice(const Choice &c) {
  if (c.running) return c.running;
  return c.ready.empty() ? 0 : c.ready.front();  // ready is ascending
}

std::size_t preemptions(const std::vector<Choice> &cs) {
  return static_cast<std::size_t>(std::count_if(cs.begin(), cs.end(), [](const Choice &c) { return c.preempts(); }));
}

std::vector<std::uint32_t> canonical_prefix(const std::vector<Choice> &cs) {
  std::vector<std::uint32_t> p;
  for (const Choice &c : cs) p.push_back(c.chosen == default_choice(c) ? 0 : c.chosen);
  while (!p.empty() && p.back() == 0) p.pop_back();
  return p;
}

std::vector<std::uint32_t> chosen_ids(const std::vector<Choice> &cs) {
  std::vector<std::uint32_t> p;
  for (const Choice &c : cs) p.push_back(c.chosen);
  return p;
}

std::vector<std::uint32_t> keyed_schedule(const std::vector<Choice> &cs) {
  std::vector<std::uint32_t> out;
  std::map<std::uint32_t, std::uint32_t> seen;
  for (const Choice &c : cs) {
    std::uint32_t n = seen[c.running]++;
    if (c.chosen != default_choice(c)) out.insert(out.end(), {c.running, n, c.chosen});
  }
  return out;
}

StrategySpec prefix_spec(std::vector<std::uint32_t> prefix, bool keyed) {
  StrategySpec s;
  s.kind = StrategySpec::Kind::Dfs;
  s.decisions = std::move(prefix);
  s.keyed = keyed;
  return s;
}

namespace {

// A point's alternatives in the order dfs tries them: the default, then ascending ids.
std::vector<std::uint32_t> alternatives(const Choice &c) {
  std::uint32_t d = default_choice(c);
  std::vector<std::uint32_t> out{d};
  for (std::uint32_t id : c.ready)
    if (id != d) out.push_back(id);
  return out;
}

// The next schedule after the one that made `cs`, or none when the bounded tree is done.
std::optional<std::vector<std::uint32_t>> next_prefix(const std::vector<Choice> &cs, int bound, bool racing_only) {
  std::vector<std::size_t> before(cs.size());
  std::size_t used = 0;
  for (std::size_t i = 0; i < cs.size(); i++) {
    before[i] = used;
    used += cs[i].preempts();
  }
  for (std::size_t i = cs.size(); i-- > 0;) {
    if (racing_only && !cs[i].racing) continue;
    auto alts = alternatives(cs[i]);
    auto at = std::find(alts.begin(), alts.end(), cs[i].chosen);
    for (auto it = at == alts.end() ? alts.end() : at + 1; it != alts.end(); ++it) {
      std::size_t cost = before[i] + (cs[i].running && *it != cs[i].running ? 1 : 0);
      if (cost > static_cast<std::size_t>(bound)) continue;
      std::vector<std::uint32_t> p;
      for (std::size_t k = 0; k < i; k++) p.push_back(cs[k].chosen);
      p.push_back(*it);
      return p;
    }
  }
  return std::nullopt;
}

std::size_t non_defaults(const std::vector<Choice> &cs) {
  return static_cast<std::size_t>(
      std::count_if(cs.begin(), cs.end(), [](const Choice &c) { return c.chosen != default_choice(c); }));
}

// What shrinking minimizes, in order.
auto cost(const Probe &p) { return std::make_tuple(preemptions(p.choices), non_defaults(p.choices), p.choices.size()); }

}  // namespace

DfsResult dfs(const DfsOptions &o, const ProbeFn &run) {
  DfsResult r;
  std::vector<std::uint32_t> prefix;
  while (r.schedules < o.max_schedules) {
    Probe p = run(prefix_spec(prefix));
    r.schedules++;
    if (p.failed() && (o.rule.empty() || p.rule == o.rule)) {
      r.failure = std::move(p);
      r.failing_prefix = prefix;
      return r;
    }
    auto next = next_prefix(p.choices, o.max_preemptions, o.racing_only);
    if (!next) {
      r.exhausted = true;
      return r;
    }
    prefix = std::move(*next);
  }
  return r;
}

ShrinkResult shrink(const Probe &failing, const ProbeFn &run, std::size_t max_runs) {
  ShrinkResult r;
  r.probe = failing;
  r.schedule = keyed_schedule(failing.choices);
  r.preemptions_before = preemptions(failing.choices);
  r.steps_before = failing.choices.size();
  const std::string rule = failing.rule;
  // Delta debugging over the non-default choices (triples of the keyed schedule): drop
  // chunks of them (those choices take the default), keep a drop when the run still
  // fails with the rule and costs less; on no progress, halve the chunks.
  std::size_t parts = 2;
  while (r.runs < max_runs) {
    std::size_t n = r.schedule.size() / 3;
    if (n == 0) break;
    parts = std::min(parts, n);
    std::size_t chunk = (n + parts - 1) / parts;
    bool progress = false;
    for (std::size_t start = 0; start < n && r.runs < max_runs; start += chunk) {
      std::vector<std::uint32_t> cand;
      for (std::size_t k = 0; k < n; k++)
        if (k < start || k >= start + chunk) cand.insert(cand.end(), r.schedule.begin() + 3 * k, r.schedule.begin() + 3 * k + 3);
      Probe p = run(prefix_spec(cand, true));
      r.runs++;
      if (p.rule == rule && cost(p) < cost(r.probe)) {
        r.probe = std::move(p);
        r.schedule = keyed_schedule(r.probe.choices);
        parts = std::max<std::size_t>(parts - 1, 2);
        progress = true;
        break;
      }
    }
    if (!progress) {
      if (chunk <= 1) break;
      parts *= 2;
    }
  }
  for (int bound = 0; static_cast<std::size_t>(bound) < preemptions(r.probe.choices) && r.runs < max_runs; bound++) {
    DfsOptions o;
    o.max_preemptions = bound;
    o.max_schedules = max_runs - r.runs;
    o.rule = rule;
    DfsResult d = dfs(o, run);
    r.runs += d.schedules;
    if (d.failure) {
      r.probe = std::move(*d.failure);
      r.schedule = keyed_schedule(r.probe.choices);
      break;
    }
  }
  r.preemptions_after = preemptions(r.probe.choices);
  r.steps_after = r.probe.choices.size();
  return r;
}

}  // namespace vdisim::sim
