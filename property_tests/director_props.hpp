// Director properties: a director tree (flat or nested, any director type incl. mutants)
// over static backends whose health is set per round, requests sequential and concurrent,
// members removed and added back, and at the end a reload that discards the VCL under
// traffic. Checked: every pick is one the spec allows for the healthy set (F3-F8, D1, D3),
// round_robin fair over the healthy set (F4), fallback the first healthy (F5), hash stable
// for a fixed healthy set (F7), shard moves only the keys of removed backends (F8), and no
// director returns a backend of another (discarded) VCL.
#pragma once
#include <rapidcheck.h>

#include <cstdint>
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"

namespace prop {

struct TreeNode {
  std::string type;
  std::vector<int> kids;  // >= 0: an earlier node; < 0: static backend -(k+1)
  std::vector<int> weights;
  bool sticky = false;    // fallback
  int answer = 0;         // dynamic: hosts (backend indexes) it resolves to
};

struct Round {
  unsigned sick = 0;     // backends set sick for the round (bit b)
  int change = -1;       // -1: none; else which root member to remove, or re-add if removed
  bool flip = false;     // health flips while the concurrent requests run (no pick checks)
  std::vector<int> keys;  // sequential requests
  int concurrent = 0;     // requests per actor, kActors actors at once
};

struct DirCase {
  int backends = 3;             // static backends s0.. -> h0..
  std::vector<TreeNode> nodes;  // the root is the last one
  std::vector<Round> rounds;
  std::uint64_t seed = 0;
  StrategyChoice strategy;
  bool reload = true;           // reload + discard under traffic at the end
};
void show(const DirCase &c, std::ostream &os);

struct DirGenConfig {
  std::vector<std::string> root_types;   // types the root may have
  std::vector<std::string> inner_types;  // types of nested directors (nestable ones)
  int max_depth = 1;                     // 0: flat (only backends under the root)
  int max_rounds = 5;
  int strategy = -1;  // -1: random or pct:1..3; 0: random only; d: pct:d only
};

rc::Gen<DirCase> gen_dir_case(const DirGenConfig &cfg);

// The case as a scenario (docs/scenario-format.md): the tree in vcl_init of v0 (and v1 for
// the reload), each round's sick backends as server scripts, its change as a timeline
// `call:`, its sequential requests one generator (seqR, with the probe keys after a flat
// hash's or shard's), its concurrent ones another (concR) and its health flips timeline
// set_healths, then the reload under traffic (generator `reload`). simrun replays it.
// `described`: as to_scenario's (the case in words as comments; run_dir_case leaves them out).
std::string dir_scenario(const DirCase &c, const ExecOptions &opts = {}, bool described = true);

// "" when every property held, else what failed (runtime rule or property): the scenario
// run by the scenario runner, the properties checked on its request log (director_checks.hpp).
// `digest`: the run's, which simrun gives the same scenario and seed.
std::string run_dir_case(const DirCase &c, const ExecOptions &opts = {}, std::uint64_t *digest = nullptr);

}  // namespace prop
