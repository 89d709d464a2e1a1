// Endpoint: the simulated server behind a native backend; its behaviour is a script over
// virtual time (up, refuse, slow, errors, timeouts, flapping, explicit steps). An exchange
// depends only on (spec, virtual time, the draws of the Prng it is given); a probe poll
// or a fetch also on how many of its kind the server answered before (its scripted
// `probes:` and `requests:` replies).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/prng.hpp"

namespace vdisim::vrt {

enum class EndpointState { Up, Refuse, Slow, Errors, Timeout };
const char *to_string(EndpointState s);

struct LatencySpec {
  enum class Dist { Fixed, Uniform, Exponential } dist = Dist::Fixed;
  std::int64_t a_ns = 1'000'000;  // fixed value, uniform min, or exponential mean
  std::int64_t b_ns = 0;          // uniform max
  std::int64_t draw(sim::Prng &p) const;
};

// How the server answers one connection, a probe poll or a fetch (a scripted server's
// next connection of that kind).
struct Reply {
  enum class Kind { Status, Empty, Timeout, Refuse } kind = Kind::Status;
  int status = 200;
  std::int64_t latency_ns = -1;  // -1: the server's latency
};

// A step of a scripted server: its state from `at_ns` on and, when set, its latency
// from then on (until a later step sets another).
struct ScriptStep {
  std::int64_t at_ns = 0;
  EndpointState state = EndpointState::Up;
  std::optional<LatencySpec> latency;
};

struct EndpointSpec {
  EndpointState base = EndpointState::Up;
  LatencySpec latency;        // normal response time
  LatencySpec slow_latency{LatencySpec::Dist::Fixed, 2'000'000'000, 0};
  int error_status = 503;
  double error_rate = 1.0;     // in Errors state: fraction of responses with error_status
  // Flapping: up for duty*period, then `flap_down` for the rest; jitter shifts each cycle.
  std::int64_t flap_period_ns = 0;
  double flap_duty = 1.0;
  std::int64_t flap_jitter_ns = 0;
  EndpointState flap_down = EndpointState::Refuse;
  std::vector<ScriptStep> script;  // sorted by at_ns
  unsigned max_connections = 0;  // 0 = unlimited
  std::vector<Reply> probe_replies;  // the first probe polls, in order; then as above
  std::vector<Reply> fetch_replies;  // the first fetches, in order; then as above
};

struct Outcome {
  bool connected = false;
  bool timed_out = false;
  bool empty = false;  // the connection closed without a byte of response
  int status = 0;
  std::int64_t latency_ns = 0;  // time the exchange takes (capped by the timeout)
  bool scripted_after = false;  // latency_ns is a reply's `after`, not the server's latency
};

class Endpoint {
 public:
  Endpoint(std::string name, EndpointSpec spec, std::uint64_t seed);
  EndpointState state_at(std::int64_t now_ns) const;
  Outcome exchange(std::int64_t now_ns, std::int64_t timeout_ns, sim::Prng &p) const;
  // A probe poll: the next of spec().probe_replies while there are any (whichever backend
  // polls, as a scripted server answers connections in order), else exchange().
  Outcome probe(std::int64_t now_ns, std::int64_t timeout_ns, sim::Prng &p);
  // A request's fetch: the same with spec().fetch_replies.
  Outcome fetch(std::int64_t now_ns, std::int64_t timeout_ns, sim::Prng &p);
  const std::string &name() const { return name_; }
  const EndpointSpec &spec() const { return spec_; }

 private:
  const LatencySpec &latency_at(std::int64_t now_ns) const;
  Outcome next(const std::vector<Reply> &replies, std::size_t &answered, std::int64_t now_ns,
               std::int64_t timeout_ns, sim::Prng &p);
  std::string name_;
  EndpointSpec spec_;
  std::uint64_t seed_;
  std::size_t probes_answered_ = 0;
  std::size_t fetches_answered_ = 0;
};

}  // namespace vdisim::vrt
