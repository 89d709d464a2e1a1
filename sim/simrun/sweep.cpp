// Fork-per-seed sweep with a bounded number of children; results go through temp files.
#include "sim/simrun/sweep.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/runner/isolate.hpp"

namespace vdisim::simrun {

namespace {
volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

nlohmann::json crash_record(std::uint64_t seed, int status) {
  return {{"seed", seed}, {"outcome", "fail"}, {"rule", "CRASH"}, {"message", runner::crash_text(status)},
          {"unmet", nlohmann::json::array()}};
}
}  // namespace

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
    std::filesystem::path dir = std::filesystem::temp_directory_path() / fmt::format("simrun.{}", getpid());
    std::filesystem::create_directories(dir);
    std::map<pid_t, std::size_t> running;
    std::size_t next = 0;
    while ((next < cut && !g_interrupted) || !running.empty()) {
      while (next < cut && !g_interrupted && static_cast<int>(running.size()) < std::max(1, opts.jobs)) {
        std::size_t i = next++;
        std::uint64_t seed = seeds[i];
        pid_t pid = runner::start_child(dir / fmt::format("{}.json", i), [&one, seed] { return one(seed); });
        running[pid] = i;
      }
      int status = 0;
      pid_t pid = waitpid(-1, &status, 0);
      if (pid < 0) {
        if (errno == EINTR) continue;
        break;
      }
      auto it = running.find(pid);
      if (it == running.end()) continue;
      std::size_t i = it->second;
      running.erase(it);
      if (i >= cut) continue;  // killed: after the seed stop_after ended the sweep at
      std::optional<nlohmann::json> rec = runner::child_result(dir / fmt::format("{}.json", i), status);
      finish(i, rec ? std::move(*rec) : crash_record(seeds[i], status));
      for (const auto &[child, k] : running)
        if (k >= cut) kill(child, SIGKILL);  // our own children, by pid; reaped above
    }
    std::filesystem::remove_all(dir);
  }
  interrupted = g_interrupted != 0;
  std::vector<nlohmann::json> kept;
  for (std::size_t i = 0; i < cut; i++)
    if (have[i]) kept.push_back(std::move(out[i]));
  return kept;
}

}  // namespace vdisim::simrun
