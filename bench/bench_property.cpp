// Property-test throughput (issue 10): lifecycle cases of 50 operations over the real
// directors, made by property_tests' generators and run as their scenarios (run_case),
// as the `property` suites run them (random strategy, checkers on, the model compared at
// each phase's quiescent point).
//   BM_PropertyCase50        run only (cases generated once, outside the timing)
//   BM_PropertyCase50Gen     generate + run, what one RapidCheck case costs
#include <benchmark/benchmark.h>

#include "bench/bench_common.hpp"
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "property_tests/executor.hpp"
#include "property_tests/generators.hpp"
#include "property_tests/model.hpp"
#include "property_tests/types.hpp"
#include "sim/runner/short_types.hpp"

namespace {

constexpr std::size_t kOps = 50;

// The case RapidCheck would make from this seed, cut to kOps operations (a prefix of a
// valid command sequence is valid); nullopt when the sequence is shorter or RapidCheck
// gives up on it (a property would discard that case too).
std::optional<prop::Case> case_of(std::uint64_t seed) {
  prop::GenConfig cfg;
  cfg.types = prop::real_types();
  std::shared_ptr<const prop::Template> tmpl;
  prop::Cmds cmds;
  try {
    tmpl = prop::gen_template(cfg)(rc::Random(seed), 50).value();
    auto gen = rc::state::gen::commands(prop::Model(tmpl), [&cfg](const prop::Model &m) { return prop::gen_command(m, cfg); });
    cmds = gen(rc::Random(seed ^ 0x9e3779b97f4a7c15ULL), 100).value();
  } catch (const rc::GenerationFailure &) {
    return std::nullopt;
  }
  if (cmds.size() < kOps) return std::nullopt;
  cmds.resize(kOps);
  return prop::make_case(tmpl, cmds, seed, prop::StrategyChoice{});
}

const std::vector<prop::Case> &cases() {
  static const std::vector<prop::Case> all = [] {
    vdisim::runner::register_builtin_directors();
    std::vector<prop::Case> out;
    for (std::uint64_t seed = 1; out.size() < 32; seed++)
      if (auto c = case_of(seed)) out.push_back(std::move(*c));
    return out;
  }();
  return all;
}

void report(benchmark::State &st, std::size_t failed) {
  st.SetItemsProcessed(st.iterations());
  st.counters["failed_cases"] = static_cast<double>(failed);
}

void BM_PropertyCase50(benchmark::State &st) {
  const auto &all = cases();
  std::size_t i = 0, failed = 0;
  for (auto _ : st) failed += !prop::run_case(all[i++ % all.size()]).ok;
  report(st, failed);
}
BENCHMARK(BM_PropertyCase50)->Unit(benchmark::kMicrosecond);

void BM_PropertyCase50Gen(benchmark::State &st) {
  vdisim::runner::register_builtin_directors();
  std::uint64_t seed = 1;
  std::size_t failed = 0;
  for (auto _ : st) {
    std::optional<prop::Case> c;
    while (!(c = case_of(seed++))) {
    }
    failed += !prop::run_case(*c).ok;
  }
  report(st, failed);
}
BENCHMARK(BM_PropertyCase50Gen)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char **argv) { return vdisim::bench::run_benchmarks(argc, argv); }
