// Seed sweeps in at most `jobs` worker children (runner::Workers); records come back in seed order.
#include "sim/simrun/sweep.hpp"

#include <signal.h>

#include <csignal>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner/isolate.hpp"

namespace vdisim::simrun {

namespace {
volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

nlohmann::json crash_record(std::uint64_t seed, const runner::Workers::Done &d) {
  nlohmann::json r = {{"seed", seed}, {"outcome", "fail"}, {"rule", "CRASH"}, {"message", d.crash},
                      {"unmet", nlohmann::json::array()}};
  if (d.crash_where.empty()) return r;  // not in a run: no events to show
  r["message"] = d.crash_message();
  r["failure"] = {{"rule", "CRASH"}, {"message", r["message"]}, {"actor", d.crash_actor},
                  {"time_s", d.crash_time_s}, {"trace_tail", d.crash_tail}};
  return r;
}
}  // namespace

bool ran_clean(const nlohmann::json &record) {
  return !record.contains("failure") && record.value("outcome", "fail") != "fail";
}

std::vector<nlohmann::json> sweep(const std::vector<std::uint64_t> &seeds,
                                  const std::function<nlohmann::json(std::uint64_t)> &one,
                                  const SweepOptions &opts, bool &interrupted) {
  std::vector<nlohmann::json> out(seeds.size());
  std::vector<bool> have(seeds.size(), false);
  struct sigaction sa {};
  sa.sa_handler = on_sigint;
  sigaction(SIGINT, &sa, nullptr);
  std::size_t done = 0, failed = 0, not_hit = 0;
  std::size_t folded = 0, cut = seeds.size();  // records before `folded` went to stop_after
  auto finish = [&](std::size_t i, nlohmann::json rec) {
    std::string outcome = rec.value("outcome", "fail");
    failed += outcome == "fail";
    not_hit += outcome == "not_hit";
    out[i] = std::move(rec);
    have[i] = true;
    done++;
    if (opts.progress) opts.progress(done, seeds.size(), failed, not_hit);
    for (; folded < cut && have[folded]; folded++)
      if (opts.stop_after && opts.stop_after(out[folded])) cut = folded + 1;
  };
  if (!opts.fork) {
    for (std::size_t i = 0; i < cut && !g_interrupted; i++) finish(i, one(seeds[i]));
  } else {
    // A worker goes on after a seed that ran without a failure (a failed run may leave the
    // code under test's globals pointing at freed memory); isolate.hpp.
    runner::Workers workers(
        opts.jobs, [&](std::size_t i, const nlohmann::json &) { return one(seeds[i]); },
        ran_clean);
    std::size_t next = 0, dropped_from = seeds.size();
    bool stopped = false;
    while ((next < cut && !g_interrupted) || workers.pending() > 0) {
      if (g_interrupted && !stopped) {
        workers.stop();  // Ctrl-C: the seeds that have not begun are not run
        stopped = true;
      }
      while (next < cut && !g_interrupted && workers.pending() < workers.capacity()) workers.submit(next++);
      std::optional<runner::Workers::Done> d = workers.wait();
      if (!d || d->skipped) continue;  // a signal, or a seed not begun when it came
      finish(d->job, d->record ? std::move(*d->record) : crash_record(seeds[d->job], *d));
      if (cut < dropped_from) {  // past the seed stop_after ended the sweep at
        workers.drop_if([&](std::size_t k) { return k >= cut; });
        dropped_from = cut;
      }
    }
    if (opts.processes) *opts.processes = workers.forks();
  }
  interrupted = g_interrupted != 0;
  std::vector<nlohmann::json> kept;
  for (std::size_t i = 0; i < cut; i++)
    if (have[i]) kept.push_back(std::move(out[i]));
  return kept;
}

}  // namespace vdisim::simrun
