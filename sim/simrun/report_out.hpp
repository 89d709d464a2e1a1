// simrun's output: header, progress, the versioned JSON report, and the human summary
// (also used by `simrun --merge`, so a merged sharded sweep prints what one machine would).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/scenario/model.hpp"

namespace vdisim::simrun {

inline constexpr const char *kReportSchema = "vdisim-report/1";

void write_atomically(const std::string &path, const std::string &text);

// A vmod simrun loaded from its command line (--vmod PATH): repro lines repeat it.
void add_repro_vmod(const std::string &path);
// The command that reruns what failed: the program that ran (or VDISIM_REPRO_PROGRAM), the
// --vmod options it was given, then `args` (scenario, seed, strategy...).
std::string repro_command(const std::string &args);
// The repro line of one seed of a sweep: scenario, seed and the strategy it ran with.
std::string seed_repro(const std::string &file, std::uint64_t seed, const std::string &strategy);

// ", N did not reach the expected failure" for N > 0 seeds that missed the failure their
// scenario expects (counted apart from failed ones), else "": progress, summary and page.
std::string not_hit_clause(std::uint64_t not_hit);

class Reporter {
 public:
  Reporter(std::string file, const scenario::Scenario &sc, std::string strategy, bool quiet, bool verbose);
  void header(const std::vector<std::uint64_t> &seeds) const;
  void progress(std::size_t done, std::size_t total, std::size_t failed, std::size_t not_hit, double wall_s);
  nlohmann::json report(std::vector<nlohmann::json> runs, bool interrupted) const;
  void summary(const nlohmann::json &report) const;

 private:
  std::string file_;
  const scenario::Scenario &sc_;
  std::string strategy_;
  bool quiet_, verbose_, tty_;
  std::size_t last_line_ = 0;
  double last_line_s_ = 0;  // wall seconds at the last progress line or bar
};

// The summary block for any report (single run, sweep or merge of shards).
nlohmann::json summarize(const nlohmann::json &runs, const std::string &file, const std::string &strategy);
void print_summary(const nlohmann::json &report, bool verbose, bool quiet);
// 0 when no seed failed and, for `expect: failure` scenarios, some seed hit the failure.
int exit_code(const nlohmann::json &report);

}  // namespace vdisim::simrun
