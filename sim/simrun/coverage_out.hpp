// Interleaving coverage over a sweep (simrun --coverage, --until-coverage N): folds each
// run's "orders" into the report's "coverage" block, checks the pairs of operations the
// rules care about for both orders, and decides when a sweep stops finding new orders.
// Reads only JSON records, so a merge of shard reports gets the same block.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace vdisim::simrun {

// Two operations (names of Touch::op) whose order a rule depends on, and why.
struct CarePair {
  const char *a, *b, *why;
};
const std::vector<CarePair> &care_pairs();

// --until-coverage N: fed the records in seed order, says when N seeds in a row brought
// no order that no earlier seed had.
class CoverageStop {
 public:
  explicit CoverageStop(std::uint64_t quiet_seeds) : quiet_seeds_(quiet_seeds) {}
  bool stop_after(const nlohmann::json &record);  // true: run no seed after this one
  std::uint64_t last_new_seed() const { return last_new_seed_; }

 private:
  std::uint64_t quiet_seeds_, quiet_ = 0, last_new_seed_ = 0;
  std::set<std::string> seen_;
};

// The "coverage" block of a report from its runs (sorted by seed); with until > 0, what
// --until-coverage decided (`seeds_asked`: how many seeds the sweep was given).
nlohmann::json coverage_block(const nlohmann::json &runs, std::uint64_t until = 0, std::size_t seeds_asked = 0);
void print_coverage(const nlohmann::json &block);

}  // namespace vdisim::simrun
