// Helpers shared by the vdisim benchmarks: run options for long-lived bench Sims, peak
// RSS from /proc/self/status, turning a failed run into a benchmark error, and the main
// that exits non-zero when any benchmark erred (ctest's smoke runs then fail).
// Bench-only; nothing here is used by the simulator itself.
#pragma once
#include <malloc.h>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "sim/sim.hpp"

namespace vdisim::bench {

// A Sim that may take as many steps as the benchmark loop wants (no livelock budget).
inline sim::RunOptions bench_options(std::uint64_t seed = 1, const char *strategy = "random") {
  sim::RunOptions o;
  o.seed = seed;
  o.strategy = sim::StrategySpec::parse(strategy);
  o.step_budget = UINT64_MAX;
  o.trace_tail = 16;
  o.keep_decisions = false;  // as a sweep runs: nothing replays these runs
  return o;
}

// A field of /proc/self/status in bytes ("VmHWM", "VmRSS"); 0 if unreadable.
inline std::int64_t proc_status_bytes(const std::string &field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return 0;
}

// A field of /proc/meminfo in bytes ("MemAvailable"); -1 if unreadable.
inline std::int64_t meminfo_bytes(const std::string &field) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0: "5" > /proc/self/clear_refs). Returns
// false if the kernel refused, in which case VmHWM is the peak of the whole process.
inline bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  if (!out) return false;
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// Peak RSS over a region: reset, run, read. Also reports the RSS at the start so the
// growth can be attributed to the region. Heap pages earlier benchmarks of the process
// freed (BM_SpawnJoin's millions of actors) go back to the kernel first: glibc keeps them
// resident, and they would count in this region's peak.
struct PeakRss {
  bool trimmed = (malloc_trim(0), true);
  bool reset_ok = reset_peak_rss();
  std::int64_t start = proc_status_bytes("VmRSS");
  std::int64_t peak() const { return proc_status_bytes("VmHWM"); }
  std::int64_t growth() const {
    std::int64_t p = peak();
    return p > start ? p - start : 0;
  }
};

// A run that failed measured the wrong thing: report it as a benchmark error (which
// run_benchmarks() turns into a non-zero exit).
inline bool ok_or_skip(benchmark::State &state, const sim::RunReport &r) {
  if (r.ok()) return true;
  std::string msg = r.failure->rule + ": " + r.failure->message;
  if (msg.size() > 300) msg.resize(300);
  state.SkipWithError(msg.c_str());
  return false;
}

// A tiny deterministic LCG for bench inputs (keys, durations); not the run's Prng.
struct Lcg {
  std::uint64_t x;
  explicit Lcg(std::uint64_t seed = 12345) : x(seed) {}
  std::uint64_t next() {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return x >> 33;
  }
};

// Google Benchmark 1.7 exits 0 after SkipWithError: this reporter passes every run on to
// the reporter --benchmark_format asks for and counts the runs that erred.
class ErrorCountingReporter : public benchmark::BenchmarkReporter {
 public:
  explicit ErrorCountingReporter(const std::string &format) {
    if (format == "json")  // what bench-dashboard reads; anything else gets the console
      inner_ = std::make_unique<benchmark::JSONReporter>();
    else
      inner_ = std::make_unique<benchmark::ConsoleReporter>();
  }
  bool ReportContext(const Context &c) override { return inner_->ReportContext(c); }
  void ReportRuns(const std::vector<Run> &runs) override {
    for (const Run &r : runs)
      if (r.error_occurred) errors_++;
    inner_->ReportRuns(runs);
  }
  void Finalize() override { inner_->Finalize(); }
  int errors() const { return errors_; }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  int errors_ = 0;
};

// The benchmarks' main: 1 for unknown arguments or when any benchmark erred.
inline int run_benchmarks(int argc, char **argv) {
  std::string format = "console";
  for (int i = 1; i < argc; i++)
    if (std::strncmp(argv[i], "--benchmark_format=", 19) == 0) format = argv[i] + 19;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ErrorCountingReporter reporter(format);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  if (reporter.errors() > 0) {
    std::fprintf(stderr, "%s: %d benchmark(s) erred\n", argv[0], reporter.errors());
    return 1;
  }
  return 0;
}

}  // namespace vdisim::bench
