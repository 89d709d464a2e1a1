// Interleaving coverage of one run: the orders in which the strategy let named steps
// (Touch::op) of different actors that were pending together and conflict run, e.g.
// "resolve<remove_backend": a resolve ran while a remove_backend on the same director
// waited. Fed by Sim at each choice, only when RunOptions::coverage asks for it. Keys are
// the ops' names, never the objects' addresses.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace vdisim::sim {

class OrderCoverage {
 public:
  void ran(const char *op) { ops_[op] = true; }
  // `first` ran while `then`, conflicting with it, was pending in another actor.
  void ordered(const char *first, const char *then) { counts_[{first, then}]++; }
  // "a<b" -> count, by name (two sites naming one op count together).
  std::map<std::string, std::uint64_t> orders() const;
  std::set<std::string> ops() const;

 private:
  struct PairHash {
    std::size_t operator()(const std::pair<const char *, const char *> &p) const {
      return std::hash<const void *>()(p.first) * 31 + std::hash<const void *>()(p.second);
    }
  };
  // Keyed by the names' addresses during the run (looked up only); sorted by name on the way out.
  std::unordered_map<std::pair<const char *, const char *>, std::uint64_t, PairHash> counts_;
  std::unordered_map<const char *, bool> ops_;
};

}  // namespace vdisim::sim
