// Interleaving coverage (see coverage.hpp): what leaves this file is keyed by name.
#include "sim/coverage.hpp"

namespace vdisim::sim {

std::map<std::string, std::uint64_t> OrderCoverage::orders() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto &[p, n] : counts_) out[std::string(p.first) + "<" + p.second] += n;
  return out;
}

std::set<std::string> OrderCoverage::ops() const {
  std::set<std::string> out;
  for (const auto &[op, seen] : ops_) out.insert(op);
  return out;
}

}  // namespace vdisim::sim
