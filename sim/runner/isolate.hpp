// Runs of code under test in child processes: a crash (SIGSEGV, abort) or a process left
// in a state no varnishd child would continue from (vmod globals pointing at freed memory
// after a failed run) stays in the child, and the caller gets a record of it. simrun's
// seed sweeps and the vmod property suites both go through here. Fork only where no fiber
// runs in the caller.
//
// A child is a worker: it runs job after job (a fork costs a seed's run ten times over in
// page faults) while each job's record says it may go on (a failed run may leave vmod
// globals pointing at freed memory, or memory the code under test wrote over); otherwise
// it ends after the job, and the next job starts in a fresh child. Between two jobs the
// static data of the code under test (.data, .bss and this thread's thread-local block of
// every object dlopen_code_under_test opened) is set back to its bytes at the fork, as
// varnishd unloads a vmod with the last VCL that imports it and loads it anew (dlclose,
// dlopen) for the next. Only words that were zero at the fork are set back (pointers and
// counters not yet set): a job that changed another word (a pointer to memory made before
// the fork, which the job may have changed as well) or loaded an object ends its worker.
// Libraries a vmod brings in keep their state, as they may in varnishd; memory a job reads
// without writing it (a fiber stack or workspace slot an earlier job used) is not reset.
// Under Valgrind a job that made memory errors ends its worker without a record, so the
// worker's exit status (--error-exitcode) fails that job.
//
// Jobs and records go over a socket in batches, since a system call and a wake-up per
// short job cost more than the job: a worker is sent about 4 ms of its work (2 to 64
// jobs) in one write, refilled when half of them are answered, and sends its records 32
// to a write, or after 2 ms, or when it has no job left to start. A record held back is
// never lost with the worker: the crash handler, exit() by the code under test and a job
// that throws all send the records held first; and a worker killed outright (SIGKILL)
// says in a word it shares with the parent which job it was in, so that job is the crash
// and the jobs whose records it held run again in another worker.
#pragma once
#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace vdisim::runner {

// dlopen() of code under test (a vmod, the mutants' module): the object whose static data
// a worker sets back between jobs. nullptr as dlopen() fails.
void *dlopen_code_under_test(const std::string &path, int flags);

class Workers {
 public:
  // one(job, input) runs in a child and returns the job's record; reusable(record), in
  // the child, says whether the worker may take another job after it.
  using Run = std::function<nlohmann::json(std::size_t job, const nlohmann::json &input)>;
  Workers(int max_workers, Run one, std::function<bool(const nlohmann::json &)> reusable);
  ~Workers();  // kills and reaps the workers left
  Workers(const Workers &) = delete;
  Workers &operator=(const Workers &) = delete;

  // Runs one(job, input) on a worker: the one holding the fewest jobs that has room, else
  // a new one (up to max_workers), else the first that makes room (see the batches above).
  void submit(std::size_t job, const nlohmann::json &input = nullptr);
  std::size_t pending() const;   // jobs submitted that wait() has not returned
  struct Done {
    std::size_t job = 0;
    std::optional<nlohmann::json> record;  // nullopt: skipped, or the worker died (crash says how)
    std::string crash;
    bool skipped = false;  // stop() came before the job began: it did not run
    // The worker died of a signal in a simulated run: where ("in actor NAME at
    // t=S.NNNNNNNNNs"), that actor and time, and the run's last trace events.
    std::string crash_where, crash_actor;
    double crash_time_s = 0;
    std::vector<std::string> crash_tail;
    std::string crash_message() const;  // crash, then crash_where if there is one
  };
  // The next job to end; blocks. Interrupted by a signal, nullopt (pending() unchanged).
  std::optional<Done> wait();
  // submit() and wait() for the one job that is pending then (a search or a property
  // sends its next job only once it has the last one's record).
  Done run(std::size_t job, const nlohmann::json &input);
  // Jobs that may be pending at once with every worker busy (sent ahead included): a
  // caller that submits up to this keeps every worker fed.
  std::size_t capacity() const;
  // No job begins any more (SIGINT): the queued ones are forgotten, and the jobs already
  // sent to a worker come back from wait() skipped, but for those running.
  void stop();
  // Jobs for which drop(job) holds never end in wait(): queued ones are forgotten, and
  // the workers running or holding one are killed (their other jobs run elsewhere).
  void drop_if(const std::function<bool(std::size_t)> &drop);
  std::size_t forks() const;  // children forked so far

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "the run crashed: killed by signal 11 (Segmentation fault)", or the exit status.
std::string crash_text(int status);

// The file of the running program (/proc/self/exe), `fallback` if it cannot be read: what
// repro lines name, and where programs installed beside it are found.
std::filesystem::path this_program(const std::filesystem::path &fallback);

}  // namespace vdisim::runner
