// Proves the bench executables' main fails on an erred benchmark: one benchmark that
// errs (as a failed run does through ok_or_skip) and one that works. ctest expects the
// count of erred benchmarks on stderr and a non-zero exit (bench_errors_exit_nonzero).
#include <benchmark/benchmark.h>

#include "bench/bench_common.hpp"

namespace {

void BM_Works(benchmark::State &state) {
  for (auto _ : state) benchmark::DoNotOptimize(state.iterations());
}
BENCHMARK(BM_Works)->Iterations(1);

void BM_RunFails(benchmark::State &state) {
  for (auto _ : state) state.SkipWithError("the measured run failed");
}
BENCHMARK(BM_RunFails)->Iterations(1);

}  // namespace

int main(int argc, char **argv) {
  int rc = vdisim::bench::run_benchmarks(argc, argv);
  return rc == 1 ? 3 : 0;  // 3: the one distinct code ctest accepts (not a crash or abort)
}
