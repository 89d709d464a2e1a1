// Workers (runner/isolate.hpp): jobs in child processes that go on from job to job while
// the jobs pass, a crash kept to the job that ran, and the code under test's static data
// set back between jobs as varnishd's unload and reload of a vmod does.
#include "sim/runner/isolate.hpp"

#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <map>
#include <set>

namespace vr = vdisim::runner;

namespace {

// Every job's record (or crash) by job number, running jobs 0..n-1 on `workers`.
std::map<std::size_t, vr::Workers::Done> run_all(vr::Workers &w, std::size_t n) {
  for (std::size_t i = 0; i < n; i++) w.submit(i);
  std::map<std::size_t, vr::Workers::Done> out;
  while (w.pending() > 0)
    if (auto d = w.wait()) out[d->job] = *d;
  return out;
}

nlohmann::json pid_record(std::size_t job, const nlohmann::json &) { return {{"job", job}, {"pid", getpid()}}; }
bool always(const nlohmann::json &) { return true; }

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
  auto done = run_all(w, 16);
  ASSERT_EQ(done.size(), 16u);
  for (const auto &[job, d] : done) {
    if (job == 3 || job == 11) {
      EXPECT_FALSE(d.record);
      EXPECT_NE(d.crash.find("killed by signal 11"), std::string::npos) << d.crash;
    } else {
      ASSERT_TRUE(d.record) << "job " << job << ": " << d.crash;
      EXPECT_EQ((*d.record)["job"], job);
    }
  }
  // Two workers, and a new one for each that died while jobs were left to send it.
  EXPECT_GE(w.forks(), 2u);
  EXPECT_LE(w.forks(), 4u);
}

// A job's input reaches the child (a schedule to run, made after the worker was forked).
TEST(Workers, a_job_gets_its_input) {
  vr::Workers w(1, [](std::size_t job, const nlohmann::json &in) {
    return nlohmann::json{{"job", job}, {"twice", in.value("n", 0) * 2}, {"pid", getpid()}};
  }, always);
  std::set<int> pids;
  for (int n = 1; n <= 5; n++) {
    w.submit(static_cast<std::size_t>(n), {{"n", n}});
    std::optional<vr::Workers::Done> d;
    while (!(d = w.wait())) {
    }
    ASSERT_TRUE(d->record) << d->crash;
    EXPECT_EQ((*d->record)["twice"], 2 * n);
    pids.insert((*d->record)["pid"].get<int>());
  }
  EXPECT_EQ(pids.size(), 1u);
}

TEST(Workers, dropped_jobs_never_come_back) {
  vr::Workers w(2, pid_record, always);
  for (std::size_t i = 0; i < 12; i++) w.submit(i);
  std::set<std::size_t> back;
  while (back.empty())
    if (auto d = w.wait()) back.insert(d->job);
  w.drop_if([](std::size_t job) { return job >= 6; });
  while (w.pending() > 0)
    if (auto d = w.wait()) back.insert(d->job);
  for (std::size_t job : back) EXPECT_LT(job, 6u);
  for (std::size_t job = 0; job < 6; job++) EXPECT_EQ(back.count(job), 1u) << "job " << job;
}

// The counter of a module loaded as code under test is 0 again at every job (each job
// bumps it once); the same code loaded by a plain dlopen() keeps counting, which shows
// that it is the setting back that makes the difference.
TEST(Workers, the_static_data_of_code_under_test_is_set_back_between_jobs) {
  void *cut = vr::dlopen_code_under_test(VDISIM_STATIC_TARGET_A, RTLD_NOW | RTLD_LOCAL);
  void *plain = dlopen(VDISIM_STATIC_TARGET_B, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(cut, nullptr) << dlerror();
  ASSERT_NE(plain, nullptr) << dlerror();
  using Bump = int (*)();
  auto bump_cut = reinterpret_cast<Bump>(dlsym(cut, "vdisim_static_target_bump"));
  auto bump_plain = reinterpret_cast<Bump>(dlsym(plain, "vdisim_static_target_bump"));
  ASSERT_TRUE(bump_cut && bump_plain);
  vr::Workers w(1, [&](std::size_t, const nlohmann::json &) {
    return nlohmann::json{{"cut", bump_cut()}, {"plain", bump_plain()}};
  }, always);
  auto done = run_all(w, 5);
  EXPECT_EQ(w.forks(), 1u);
  for (const auto &[job, d] : done) {
    ASSERT_TRUE(d.record) << d.crash;
    EXPECT_EQ((*d.record)["cut"], 1) << "job " << job;
    EXPECT_EQ((*d.record)["plain"], static_cast<int>(job) + 1) << "job " << job;
  }
}
