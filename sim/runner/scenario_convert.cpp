#include "sim/runner/scenario_convert.hpp"

#include <optional>
#include <vector>

namespace vdisim::runner {

namespace sc = vdisim::scenario;

vrt::LatencySpec latency_of(const sc::Distribution &d) {
  vrt::LatencySpec l;
  switch (d.kind) {
    case sc::Distribution::Kind::fixed: l = {vrt::LatencySpec::Dist::Fixed, d.value_ns, 0}; break;
    case sc::Distribution::Kind::uniform: l = {vrt::LatencySpec::Dist::Uniform, d.min_ns, d.max_ns}; break;
    case sc::Distribution::Kind::exponential: l = {vrt::LatencySpec::Dist::Exponential, d.mean_ns, 0}; break;
  }
  return l;
}

namespace {

vrt::EndpointState state_of(sc::ServerState s) {
  switch (s) {
    case sc::ServerState::up: return vrt::EndpointState::Up;
    case sc::ServerState::refuse: return vrt::EndpointState::Refuse;
    case sc::ServerState::down:
    case sc::ServerState::timeout: return vrt::EndpointState::Timeout;
  }
  return vrt::EndpointState::Up;
}

std::vector<vrt::Reply> replies_of(const std::vector<sc::ServerAnswer> &answers) {
  static_assert(static_cast<int>(sc::ServerAnswer::Kind::refuse) == static_cast<int>(vrt::Reply::Kind::Refuse));
  std::vector<vrt::Reply> out;
  for (const auto &a : answers)
    out.push_back(vrt::Reply{static_cast<vrt::Reply::Kind>(a.kind), a.status, a.after_ns.value_or(-1)});
  return out;
}

}  // namespace

vrt::EndpointSpec endpoint_of(const sc::Behavior *b) {
  vrt::EndpointSpec e;
  if (!b) {
    e.latency = latency_of(sc::Distribution{});
    return e;
  }
  e.latency = latency_of(b->latency);
  switch (b->mode) {
    case sc::BehaviorMode::up:
    case sc::BehaviorMode::slow: break;
    case sc::BehaviorMode::down:
    case sc::BehaviorMode::timeout: e.base = vrt::EndpointState::Timeout; break;
    case sc::BehaviorMode::refuse: e.base = vrt::EndpointState::Refuse; break;
    case sc::BehaviorMode::errors:
      e.base = vrt::EndpointState::Errors;
      e.error_status = b->error_status;
      e.error_rate = b->error_rate;
      break;
    case sc::BehaviorMode::flap:
      e.flap_period_ns = b->period_ns;
      e.flap_duty = b->duty;
      e.flap_jitter_ns = b->jitter_ns;
      e.flap_down = state_of(b->down_as);
      break;
    case sc::BehaviorMode::script:
      for (const auto &st : b->script) {
        std::optional<vrt::LatencySpec> lat;
        if (st.latency) lat = latency_of(*st.latency);
        e.script.push_back(vrt::ScriptStep{st.at_ns, state_of(st.state), lat});
      }
      break;
  }
  e.probe_replies = replies_of(b->probes);
  e.fetch_replies = replies_of(b->requests);
  return e;
}

struct vrt_backend_probe probe_of(const sc::ProbeSpec &p) {
  struct vrt_backend_probe v {};
  v.magic = VRT_BACKEND_PROBE_MAGIC;
  v.url = p.url.c_str();
  v.timeout = static_cast<double>(p.timeout_ns) * 1e-9;
  v.interval = static_cast<double>(p.interval_ns) * 1e-9;
  v.exp_status = static_cast<unsigned>(p.expected_status);
  v.window = static_cast<unsigned>(p.window);
  v.threshold = static_cast<unsigned>(p.threshold);
  v.initial = static_cast<unsigned>(p.initial);
  v.exp_close = 1;
  return v;
}

}  // namespace vdisim::runner
