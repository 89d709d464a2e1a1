// Workers (runner/isolate.hpp): jobs in child processes that go on from job to job while
// the jobs pass, a crash kept to the job that ran, and the code under test's static data
// set back between jobs as varnishd's unload and reload of a vmod does.
#include "sim/runner/isolate.hpp"
#include "sim/runner/runner.hpp"
#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/loader.hpp"

#include "sim/sim.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <map>
#include <set>

namespace vr = vdisim::runner;

namespace {

// Every job's record (or crash) by job number, running jobs 0..n-1 on `workers`; a job
// that came back twice fails the test.
std::map<std::size_t, vr::Workers::Done> run_all(vr::Workers &w, std::size_t n) {
  for (std::size_t i = 0; i < n; i++) w.submit(i);
  std::map<std::size_t, vr::Workers::Done> out;
  while (w.pending() > 0)
    if (auto d = w.wait()) EXPECT_TRUE(out.emplace(d->job, *d).second) << "job " << d->job << " came back twice";
  return out;
}

nlohmann::json pid_record(std::size_t job, const nlohmann::json &) { return {{"job", job}, {"pid", getpid()}}; }
bool always(const nlohmann::json &) { return true; }

// Every job came back once: those in `crashed` as a crash whose text holds `how`, every
// other with its own record.
void expect_crashes_only(const std::map<std::size_t, vr::Workers::Done> &done, std::size_t jobs,
                         const std::set<std::size_t> &crashed, const std::string &how) {
  ASSERT_EQ(done.size(), jobs);
  for (const auto &[job, d] : done) {
    if (crashed.count(job)) {
      EXPECT_FALSE(d.record) << "job " << job;
      EXPECT_NE(d.crash.find(how), std::string::npos) << "job " << job << ": " << d.crash;
    } else {
      ASSERT_TRUE(d.record) << "job " << job << ": " << d.crash;
      EXPECT_EQ((*d.record)["job"], job);
    }
  }
}

}  // namespace

TEST(Workers, a_worker_runs_job_after_job_while_they_pass) {
  vr::Workers w(1, pid_record, always);
  auto done = run_all(w, 20);
  ASSERT_EQ(done.size(), 20u);
  std::set<int> pids;
  for (const auto &[job, d] : done) {
    ASSERT_TRUE(d.record) << d.crash;
    EXPECT_EQ((*d.record)["job"], job);
    pids.insert((*d.record)["pid"].get<int>());
  }
  EXPECT_EQ(pids.size(), 1u);
  EXPECT_EQ(w.forks(), 1u);
  EXPECT_EQ(pids.count(getpid()), 0u) << "the jobs ran in a child";
}

TEST(Workers, a_job_that_does_not_pass_ends_its_worker) {
  vr::Workers w(1, pid_record, [](const nlohmann::json &r) { return r["job"] != 4; });
  auto done = run_all(w, 10);
  ASSERT_EQ(done.size(), 10u);
  EXPECT_EQ(w.forks(), 2u);
  EXPECT_EQ(done[0].record->at("pid"), done[4].record->at("pid"));
  EXPECT_NE(done[4].record->at("pid"), done[5].record->at("pid")) << "job 5 ran in a fresh child";
}

// Nothing lost when the code under test crashes: the job that ran is the crash, and the
// jobs the dead worker had been sent after it run in another.
TEST(Workers, a_crash_is_the_job_that_ran_and_the_jobs_sent_after_it_run_elsewhere) {
  vr::Workers w(2, [](std::size_t job, const nlohmann::json &) {
    if (job == 3 || job == 11) std::raise(SIGSEGV);
    return pid_record(job, nullptr);
  }, always);
  expect_crashes_only(run_all(w, 16), 16, {3, 11}, "killed by signal 11");
  // Two workers, and a new one for each that died while jobs were left to send it.
  EXPECT_GE(w.forks(), 2u);
  EXPECT_LE(w.forks(), 4u);
}

// A worker sends its records several to a write. Killed outright (SIGKILL: no handler runs)
// it loses the records it had not sent yet: those jobs run again elsewhere, and the job it
// died in is the one it said it was in, not the first whose record is missing.
TEST(Workers, a_worker_killed_outright_loses_no_job) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &) {
    if (job == 21) std::raise(SIGKILL);
    return pid_record(job, nullptr);
  }, always);
  expect_crashes_only(run_all(w, 40), 40, {21}, "killed by signal 9");
  EXPECT_EQ(w.forks(), 2u);
}

// The code under test calls exit(): the records the worker held go first, and the job that
// exited is the failure.
TEST(Workers, a_job_that_calls_exit_is_the_failure_and_the_records_before_it_come_back) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &) {
    if (job == 6) std::exit(0);
    return pid_record(job, nullptr);
  }, always);
  auto done = run_all(w, 12);
  expect_crashes_only(done, 12, {6}, "exited with status 0 without a report");
  std::set<int> before;
  for (std::size_t job = 0; job < 6; job++) before.insert(done[job].record->at("pid").get<int>());
  EXPECT_EQ(before.size(), 1u) << "jobs 0-5 ran once, in the worker that exited";
}

// The code under test forks a process that exits: it is not the worker, and sends none
// of the records the worker holds (a copy of them would blame a job that passed).
TEST(Workers, a_process_a_job_forks_sends_no_record) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &) {
    if (job == 10) {
      pid_t helper = fork();
      if (helper == 0) std::exit(0);
      int status = 0;
      waitpid(helper, &status, 0);
    }
    return pid_record(job, nullptr);
  }, always);
  expect_crashes_only(run_all(w, 40), 40, {}, "");
  EXPECT_EQ(w.forks(), 1u);
}

// A job's input reaches the child (a schedule to run, made after the worker was forked).
TEST(Workers, a_job_gets_its_input) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &in) {
    return nlohmann::json{{"job", job}, {"twice", in.value("n", 0) * 2}, {"pid", getpid()}};
  }, always);
  std::set<int> pids;
  for (int n = 1; n <= 5; n++) {
    vr::Workers::Done d = w.run(static_cast<std::size_t>(n), {{"n", n}});
    ASSERT_TRUE(d.record) << d.crash;
    EXPECT_EQ((*d.record)["twice"], 2 * n);
    pids.insert((*d.record)["pid"].get<int>());
  }
  EXPECT_EQ(pids.size(), 1u);
}

// A crash inside a vmod call: the worker's note names the call the actor was in, as the
// scenario writes it, so a vmod author sees which of their functions crashed.
TEST(Workers, a_crash_in_a_vmod_call_names_the_call) {
  vr::vmod::Module m;
  m.name = "boom";
  m.functions.push_back({"now", "VOID", {}, [](VRT_CTX, vr::vmod::Args &, vr::vmod::Value &) {
                           (void)ctx;
                           std::raise(SIGSEGV);
                         }});
  vr::vmod::register_module(std::move(m));
  vr::Workers w(1, [](std::size_t, const nlohmann::json &) {
    vdisim::scenario::Scenario sc = vdisim::scenario::load_string(R"(version: 1
run: {duration: 1s}
vcls: [{name: boot, backends: [{name: web1, host: "10.0.0.1:80"}]}]
traffic: [{name: clients, rate: 10, vcl_recv: ['boom.now()']}]
)", "boom.yaml");
    vr::run_scenario(sc, vr::RunRequest{});
    return nlohmann::json{{"ran", true}};
  }, always);
  auto done = run_all(w, 1);
  ASSERT_FALSE(done[0].record);
  EXPECT_TRUE(done[0].crash_where.ends_with("s in boom.now()")) << done[0].crash_where;
  EXPECT_EQ(done[0].crash_actor.rfind("req clients", 0), 0u) << done[0].crash_actor;
}

// A crash in a simulated run: the worker says where (actor, virtual time) and sends the
// run's last events before the signal kills it.
TEST(Workers, a_crash_in_a_run_comes_with_its_actor_time_and_last_events) {
  vr::Workers w(1, [](std::size_t, const nlohmann::json &) {
    vdisim::sim::RunOptions o;
    vdisim::sim::Sim sim(o);
    sim.spawn("crasher", [&sim] {
      sim.event("test", "about to crash");
      std::raise(SIGSEGV);
    });
    sim.run();
    return nlohmann::json{{"ran", true}};
  }, always);
  auto done = run_all(w, 1);
  ASSERT_FALSE(done[0].record);
  EXPECT_NE(done[0].crash.find("killed by signal 11"), std::string::npos) << done[0].crash;
  EXPECT_EQ(done[0].crash_where, "in actor crasher at t=0.000000000s");
  EXPECT_EQ(done[0].crash_actor, "crasher");
  EXPECT_EQ(done[0].crash_message(), done[0].crash + " in actor crasher at t=0.000000000s");
  ASSERT_FALSE(done[0].crash_tail.empty());
  EXPECT_TRUE(done[0].crash_tail.back().ends_with("[test] about to crash")) << done[0].crash_tail.back();
}

TEST(Workers, dropped_jobs_never_come_back) {
  vr::Workers w(2, pid_record, always);
  for (std::size_t i = 0; i < 12; i++) w.submit(i);
  std::map<std::size_t, int> back;
  while (back.empty())
    if (auto d = w.wait()) back[d->job]++;
  w.drop_if([](std::size_t job) { return job >= 6; });
  while (w.pending() > 0)
    if (auto d = w.wait()) back[d->job]++;
  for (const auto &[job, times] : back) EXPECT_LT(job, 6u);
  for (std::size_t job = 0; job < 6; job++) EXPECT_EQ(back[job], 1) << "job " << job;
}

// Ctrl-C: the job running ends as it would, the jobs sent after it come back skipped.
// Job 0 says it began, then waits for a byte the test writes only after stop().
TEST(Workers, after_stop_the_jobs_not_begun_come_back_skipped) {
  int began[2], gate[2];
  ASSERT_EQ(pipe(began), 0);
  ASSERT_EQ(pipe(gate), 0);
  vr::Workers w(1, [&](std::size_t job, const nlohmann::json &) {
    char c = 0;
    if (job == 0 && (write(began[1], "b", 1) != 1 || read(gate[0], &c, 1) != 1)) return nlohmann::json{{"pipe", "closed"}};
    return pid_record(job, nullptr);
  }, always);
  for (std::size_t i = 0; i < 4; i++) w.submit(i);
  char c = 0;
  ASSERT_EQ(read(began[0], &c, 1), 1);
  w.stop();
  ASSERT_EQ(write(gate[1], "g", 1), 1);
  std::map<std::size_t, vr::Workers::Done> done;
  while (w.pending() > 0)
    if (auto d = w.wait()) done[d->job] = *d;
  ASSERT_EQ(done.size(), 4u);
  ASSERT_TRUE(done[0].record) << done[0].crash;
  EXPECT_EQ((*done[0].record)["job"], 0);
  for (std::size_t job = 1; job < 4; job++) {
    EXPECT_TRUE(done[job].skipped) << "job " << job;
    EXPECT_FALSE(done[job].record) << "job " << job;
  }
  for (int fd : {began[0], began[1], gate[0], gate[1]}) close(fd);
}

struct Target {
  using Fn = int (*)();
  Fn bump = nullptr, count = nullptr, tls_bump = nullptr;
  explicit Target(void *h)
      : bump(reinterpret_cast<Fn>(dlsym(h, "vdisim_static_target_bump"))),
        count(reinterpret_cast<Fn>(dlsym(h, "vdisim_static_target_count"))),
        tls_bump(reinterpret_cast<Fn>(dlsym(h, "vdisim_static_target_tls_bump"))) {}
};

Target code_under_test() {
  void *h = vr::dlopen_code_under_test(VDISIM_STATIC_TARGET_A, RTLD_NOW | RTLD_LOCAL);
  EXPECT_NE(h, nullptr) << dlerror();
  return Target(h);
}

// The counter of a module loaded as code under test is 0 again at every job (each job
// bumps it once); the same code loaded by a plain dlopen() keeps counting, which shows
// that it is the setting back that makes the difference.
TEST(Workers, the_static_data_of_code_under_test_is_set_back_between_jobs) {
  Target cut = code_under_test();
  void *plain_h = dlopen(VDISIM_STATIC_TARGET_B, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(plain_h, nullptr) << dlerror();
  Target plain(plain_h);
  ASSERT_TRUE(cut.bump && plain.bump);
  vr::Workers w(1, [&](std::size_t, const nlohmann::json &) {
    return nlohmann::json{{"cut", cut.bump()}, {"plain", plain.bump()}};
  }, always);
  auto done = run_all(w, 5);
  EXPECT_EQ(w.forks(), 1u);
  for (const auto &[job, d] : done) {
    ASSERT_TRUE(d.record) << d.crash;
    EXPECT_EQ((*d.record)["cut"], 1) << "job " << job;
    EXPECT_EQ((*d.record)["plain"], static_cast<int>(job) + 1) << "job " << job;
  }
}

// Each of n jobs calls fn once; every job must see `want` and the jobs take `forks` workers.
void each_job_sees(Target::Fn fn, std::size_t n, int want, std::size_t forks) {
  ASSERT_TRUE(fn);
  vr::Workers w(1, [&](std::size_t, const nlohmann::json &) { return nlohmann::json{{"value", fn()}}; }, always);
  auto done = run_all(w, n);
  EXPECT_EQ(w.forks(), forks);
  for (const auto &[job, d] : done) {
    ASSERT_TRUE(d.record) << d.crash;
    EXPECT_EQ((*d.record)["value"], want) << "job " << job;
  }
}

TEST(Workers, thread_local_data_of_code_under_test_is_set_back_too) {
  each_job_sees(code_under_test().tls_bump, 5, 1, 1);
}

// A word that was not zero at the fork cannot be set back soundly (it may point at memory
// the job changed too): the job ends its worker, and the next job meets a fresh one.
TEST(Workers, a_job_that_changed_a_word_set_before_the_fork_ends_its_worker) {
  each_job_sees(code_under_test().count, 4, 8, 4);
}

// Run only under Valgrind (ctest memcheck_catches_errors_in_workers): a job whose code
// branches on memory nothing wrote ends its worker without a record, and the next job
// runs in a fresh one.
TEST(UnderMemcheck, a_memory_error_in_a_job_fails_that_job) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &) {
    if (job == 0) {
      volatile int *unset = static_cast<int *>(std::malloc(sizeof(int)));
      int branch = *unset > 0 ? 1 : 2;
      std::free(const_cast<int *>(unset));
      return nlohmann::json{{"branch", branch}};
    }
    return pid_record(job, nullptr);
  }, always);
  auto done = run_all(w, 2);
  EXPECT_FALSE(done[0].record) << "the job with a memory error has no record";
  EXPECT_NE(done[0].crash.find("exited with status"), std::string::npos) << done[0].crash;
  ASSERT_TRUE(done[1].record) << done[1].crash;
  EXPECT_EQ(w.forks(), 2u);
}
