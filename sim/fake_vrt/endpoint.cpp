// Endpoint behaviour over virtual time.
#include "sim/fake_vrt/endpoint.hpp"

#include <algorithm>
#include <cmath>

namespace vdisim::vrt {

const char *to_string(EndpointState s) {
  switch (s) {
    case EndpointState::Up: return "up";
    case EndpointState::Refuse: return "refuse";
    case EndpointState::Slow: return "slow";
    case EndpointState::Errors: return "errors";
    case EndpointState::Timeout: return "timeout";
  }
  return "?";
}

std::int64_t LatencySpec::draw(sim::Prng &p) const {
  switch (dist) {
    case Dist::Fixed: return a_ns;
    case Dist::Uniform:
      return b_ns > a_ns ? a_ns + static_cast<std::int64_t>(p.below(static_cast<std::uint64_t>(b_ns - a_ns))) : a_ns;
    case Dist::Exponential: {
      double u = p.unit();
      return static_cast<std::int64_t>(-std::log1p(-u) * static_cast<double>(a_ns));
    }
  }
  return a_ns;
}

Endpoint::Endpoint(std::string name, EndpointSpec spec, std::uint64_t seed)
    : name_(std::move(name)), spec_(std::move(spec)), seed_(seed) {
  std::sort(spec_.script.begin(), spec_.script.end(),
            [](const auto &a, const auto &b) { return a.at_ns < b.at_ns; });
}

const LatencySpec &Endpoint::latency_at(std::int64_t now) const {
  const LatencySpec *l = &spec_.latency;
  for (const auto &step : spec_.script) {
    if (step.at_ns > now) break;
    if (step.latency) l = &*step.latency;
  }
  return *l;
}

EndpointState Endpoint::state_at(std::int64_t now) const {
  EndpointState s = spec_.base;
  for (const auto &step : spec_.script) {
    if (step.at_ns > now) break;
    s = step.state;
  }
  if (spec_.flap_period_ns > 0 && s == EndpointState::Up) {
    std::int64_t period = spec_.flap_period_ns;
    std::int64_t cycle = now / period;
    std::int64_t shift = 0;
    if (spec_.flap_jitter_ns > 0) {
      std::uint64_t st = seed_ ^ (static_cast<std::uint64_t>(cycle) * 0x9e3779b97f4a7c15ULL);
      shift = static_cast<std::int64_t>(sim::splitmix64(st) % static_cast<std::uint64_t>(spec_.flap_jitter_ns));
    }
    std::int64_t up_ns = static_cast<std::int64_t>(std::llround(spec_.flap_duty * static_cast<double>(period)));
    std::int64_t pos = now - cycle * period;
    if (pos >= std::min(period, up_ns + shift)) s = spec_.flap_down;
  }
  return s;
}

Outcome Endpoint::exchange(std::int64_t now, std::int64_t timeout_ns, sim::Prng &p) const {
  Outcome o;
  EndpointState s = state_at(now);
  if (s == EndpointState::Refuse) return o;  // connection refused at once
  o.connected = true;
  std::int64_t lat = s == EndpointState::Slow ? spec_.slow_latency.draw(p) : latency_at(now).draw(p);
  if (s == EndpointState::Timeout) lat = timeout_ns + 1;
  o.status = 200;
  if (s == EndpointState::Errors && p.unit() < spec_.error_rate) o.status = spec_.error_status;
  if (timeout_ns > 0 && lat > timeout_ns) {
    o.timed_out = true;
    o.status = 0;
    lat = timeout_ns;
  }
  o.latency_ns = lat;
  return o;
}

Outcome Endpoint::probe(std::int64_t now, std::int64_t timeout_ns, sim::Prng &p) {
  return next(spec_.probe_replies, probes_answered_, now, timeout_ns, p);
}

Outcome Endpoint::fetch(std::int64_t now, std::int64_t timeout_ns, sim::Prng &p) {
  return next(spec_.fetch_replies, fetches_answered_, now, timeout_ns, p);
}

// The next scripted reply of one kind, counted in `answered`; once they are used up the
// server's mode answers (exchange).
Outcome Endpoint::next(const std::vector<Reply> &replies, std::size_t &answered, std::int64_t now,
                       std::int64_t timeout_ns, sim::Prng &p) {
  if (answered >= replies.size()) return exchange(now, timeout_ns, p);
  const Reply &r = replies[answered++];
  Outcome o;
  if (r.kind == Reply::Kind::Refuse) return o;
  o.connected = true;
  o.scripted_after = r.latency_ns >= 0;
  std::int64_t lat = o.scripted_after ? r.latency_ns : latency_at(now).draw(p);
  if (r.kind == Reply::Kind::Timeout || (timeout_ns > 0 && lat > timeout_ns)) {
    o.timed_out = true;
    o.latency_ns = timeout_ns;
    return o;
  }
  o.latency_ns = lat;
  o.empty = r.kind == Reply::Kind::Empty;
  o.status = o.empty ? 0 : r.status;
  return o;
}

}  // namespace vdisim::vrt
