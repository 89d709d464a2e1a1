// What the spec says of a director case (director_props.hpp), round by round, and the
// director properties checked on the request log of the case's scenario run: every pick
// one the healthy set allows (F3-F8, D1, D3), round_robin fair (F4), a sticky fallback
// sticky (F5), hash and shard picks the weighted hash and the ring walk give and stable
// while the healthy set is (F7, F8), shard moving only the keys of backends that changed
// (F8), and no request served by a backend of another VCL than its own.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "property_tests/director_props.hpp"
#include "sim/runner/runner.hpp"

namespace prop {

inline constexpr int kProbeKeys = 12;                    // keys a flat hash/shard round asks for after its own
inline constexpr std::int64_t kRoundNs = 200'000'000;    // a round starts every 200 ms
inline constexpr std::int64_t kChangeNs = 70'000'000;    // its change: probes have seen its endpoints
inline constexpr std::int64_t kSequentialNs = 71'000'000;  // its sequential requests
inline constexpr std::int64_t kConcurrentNs = 150'000'000;  // its concurrent requests (and health flips)
inline constexpr int kReloadRequests = 12;  // sent by kActors clients while the VCL is reloaded

std::string kid_name(int k);  // member k of a node: "s0" (k < 0, static backend) or "t1"

// The root's members and the sick backends in one round, after the round's change.
struct RoundState {
  unsigned sick = 0;
  std::vector<int> members, weights;  // the root's, in the order they were added
  bool changed = false;               // the round's change removed `change` or added it back
  int change = 0;                     // a kid of the root (< 0: a static backend)
  bool added = false;                 // the change added it back
  int change_weight = 1;
};
std::vector<RoundState> round_states(const DirCase &c);

// The picks the spec allows the case's tree in one round.
class TreeSpec {
 public:
  TreeSpec(const DirCase &c, const RoundState &s) : c_(c), s_(s) {}
  bool healthy(int k) const;
  std::set<std::string> outcomes(int k) const;  // backend names ("v0.s1"), "" for no backend
  int root() const { return static_cast<int>(c_.nodes.size()) - 1; }
  bool flat() const;                             // only static backends under the root
  std::string model_pick(int key) const;         // flat hash (F7) or shard (F8)
  std::uint32_t ring_max() const;                // shard: the last point of the ring, 0 if none
  std::set<std::string> usable() const;          // the root's healthy members, by name
  const RoundState &state() const { return s_; }

 private:
  bool sick(int b) const { return (s_.sick >> b) & 1u; }
  const std::vector<int> &members(int k) const;
  const std::vector<std::pair<std::uint32_t, std::size_t>> &ring() const;

  const DirCase &c_;
  const RoundState &s_;
  mutable std::vector<std::pair<std::uint32_t, std::size_t>> ring_;  // (point, member index)
};

// A flat hash or shard round asks for the probe keys 0..kProbeKeys-1 after its own.
bool asks_probe_keys(const DirCase &c, const TreeSpec &spec);

// "" when every property holds on the run's request log (the run itself passed).
std::string check_dir_run(const DirCase &c, const std::vector<vdisim::runner::RequestRecord> &log);

}  // namespace prop
