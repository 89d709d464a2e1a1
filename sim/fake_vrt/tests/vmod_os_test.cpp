// Vmod threads, sleeps, clocks and getaddrinfo on the simulator, driven through the C test
// vmod thread_vmod.c (built as a vmod under test is: -include vdisim_vmod_prelude.h).
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/tests/thread_vmod.h"
#include "sim/fake_vrt/vmod_os.hpp"
#include "vsa.h"
#include "vss.h"
#include "vtcp.h"

namespace {

namespace vv = vdisim::vrt;
using vdisim::sim::RunReport;

struct Outcome {
  RunReport report;
  std::string log;
};

// One run: a CLI-like actor calls `body` with a fresh struct tv; the log is read back
// after the run (also when it failed part way).
Outcome run_vmod(const std::function<void(struct tv *)> &body, std::uint64_t seed = 1,
                 const std::function<void(vv::Dns &)> &dns = nullptr, bool with_os = true) {
  vdisim::sim::RunOptions o;
  o.seed = seed;
  vv::harness::World w(o);
  std::optional<vv::VmodOs> os;
  if (with_os) os.emplace(w.sim);
  if (os && dns) dns(os->dns());
  struct tv *tv = nullptr;
  Outcome out;
  w.sim.spawn("cli", [&] {
    tv = tv_new();
    body(tv);
  });
  out.report = w.run();
  if (tv) out.log = tv_log(tv);
  return out;
}

std::string failure_of(const Outcome &o) {
  return o.report.failure ? o.report.failure->rule + ": " + o.report.failure->message : "no failure";
}

TEST(VmodThreads, workers_are_actors_on_virtual_time) {
  Outcome o = run_vmod([](struct tv *tv) { EXPECT_EQ(tv_workers(tv, 2, 5, 100'000), 0); });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.report.end_ns, 500'000'000);
  for (int id = 0; id < 2; id++)
    for (int i = 0; i < 5; i++)
      EXPECT_NE(o.log.find("w" + std::to_string(id) + "." + std::to_string(i) + "@" + std::to_string(i * 100) + " "),
                std::string::npos)
          << o.log;
}

TEST(VmodThreads, same_seed_same_digest_and_seeds_change_the_interleaving) {
  auto body = [](struct tv *tv) { EXPECT_EQ(tv_workers(tv, 3, 4, 1000), 0); };
  std::set<std::string> orders;
  for (std::uint64_t seed = 1; seed <= 20; seed++) {
    Outcome a = run_vmod(body, seed), b = run_vmod(body, seed);
    ASSERT_TRUE(a.report.ok()) << failure_of(a);
    EXPECT_EQ(a.report.digest, b.report.digest) << "seed " << seed;
    EXPECT_EQ(a.log, b.log) << "seed " << seed;
    orders.insert(a.log);
  }
  EXPECT_GE(orders.size(), 2u) << "20 seeds gave one interleaving of the vmod's threads";
}

TEST(VmodThreads, cond_timedwait_deadlines_are_virtual_on_both_clocks) {
  Outcome o = run_vmod([](struct tv *tv) {
    tv_timedwait(tv, 0, 250, -1);
    tv_timedwait(tv, 1, 250, -1);
    tv_timedwait(tv, 0, 1000, 100);
    tv_timedwait(tv, 1, 1500, 300);
  });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.log, "110@250 110@250 0@100 0@300 ");  // ETIMEDOUT is 110
}

TEST(VmodThreads, join_cycle_is_a_deadlock_naming_both_threads) {
  Outcome o = run_vmod([](struct tv *tv) { tv_join_cycle(tv); });
  ASSERT_TRUE(o.report.failure);
  EXPECT_EQ(o.report.failure->rule, "DEADLOCK");
  const std::string &m = o.report.failure->message;
  EXPECT_NE(m.find("wait-for cycle"), std::string::npos) << m;
  EXPECT_NE(m.find("'vmod thread 1'"), std::string::npos) << m;
  EXPECT_NE(m.find("'vmod thread 2'"), std::string::npos) << m;
}

TEST(VmodThreads, join_holding_the_lock_the_thread_needs_is_a_deadlock) {
  Outcome o = run_vmod([](struct tv *tv) { tv_join_holding_lock(tv); });
  ASSERT_TRUE(o.report.failure);
  EXPECT_EQ(o.report.failure->rule, "DEADLOCK");
  const std::string &m = o.report.failure->message;
  EXPECT_NE(m.find("'cli' -> [join of vmod thread"), std::string::npos) << m;
  EXPECT_NE(m.find("[mutex 'mutex#"), std::string::npos) << m;
}

TEST(VmodThreads, join_of_a_thread_that_waits_forever_is_a_deadlock) {
  Outcome o = run_vmod([](struct tv *tv) { tv_join_stuck(tv); });
  ASSERT_TRUE(o.report.failure);
  EXPECT_EQ(o.report.failure->rule, "DEADLOCK");
  const std::string &m = o.report.failure->message;
  EXPECT_NE(m.find("'cli' waits on join of vmod thread"), std::string::npos) << m;
  EXPECT_NE(m.find("which waits on condvar"), std::string::npos) << m;
}

TEST(VmodThreads, join_and_detach_errors_follow_posix) {
  Outcome o = run_vmod([](struct tv *tv) { tv_join_errors(tv); });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  // EDEADLK, ESRCH, EINVAL, ESRCH (gone once it ended detached)
  EXPECT_EQ(o.log, "self=35 again=3 detached=22 detach2=3 equal=1,0 ");
}

TEST(VmodThreads, keys_are_per_thread_once_runs_once_exit_value_reaches_join) {
  Outcome o = run_vmod([](struct tv *tv) { tv_keys_once_exit(tv); });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.log, "exit0=200 exit1=201 inits=1 dtors=2 mine=(nil) ");
}

TEST(VmodThreads, once_holds_across_seeds_where_the_second_caller_waits) {
  for (std::uint64_t seed = 1; seed <= 10; seed++) {
    Outcome o = run_vmod([](struct tv *tv) { tv_keys_once_exit(tv); }, seed);
    ASSERT_TRUE(o.report.ok()) << failure_of(o) << " seed " << seed;
    EXPECT_EQ(o.log, "exit0=200 exit1=201 inits=1 dtors=2 mine=(nil) ") << "seed " << seed;
  }
}

TEST(VmodThreads, a_thread_left_running_is_cancelled_when_the_run_ends) {
  Outcome o = run_vmod([](struct tv *tv) { tv_forever(tv); });
  EXPECT_TRUE(o.report.ok()) << failure_of(o);
}

TEST(VmodThreads, an_assert_in_a_thread_fails_the_run_in_that_thread) {
  Outcome o = run_vmod([](struct tv *tv) { tv_thread_asserts(tv); });
  ASSERT_TRUE(o.report.failure);
  EXPECT_EQ(o.report.failure->rule, "ASSERT");
  EXPECT_EQ(o.report.failure->actor, "vmod thread 1");
  EXPECT_EQ(o.report.failure->time_ns, 5'000'000);
}

TEST(VmodThreads, clocks_and_sleeps_are_virtual_time) {
  Outcome o = run_vmod([](struct tv *tv) { tv_clocks(tv); });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.log,
            "real=1767225600000 mono=0 time=1767225600 tod=1767225600000 nanosleep=1500 abs=3500 "
            "sleep=6500 real=1767225606500");
  EXPECT_EQ(o.report.end_ns, 6'500'000'000);
}

TEST(VmodThreads, realtime_clock_agrees_with_VTIM_real) {
  vv::harness::World w;
  vv::VmodOs os(w.sim);
  w.sim.spawn("cli", [] {
    vdisim::sim::this_sim().sleep_for(1'234'567'000);
    struct timespec ts {};
    ASSERT_EQ(vdisim_clock_gettime(CLOCK_REALTIME, &ts), 0);
    EXPECT_DOUBLE_EQ(static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9, VTIM_real());
    ASSERT_EQ(vdisim_clock_gettime(CLOCK_MONOTONIC, &ts), 0);
    EXPECT_DOUBLE_EQ(static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9, VTIM_mono());
  });
  EXPECT_TRUE(w.run().ok());
}

TEST(VmodThreads, without_a_VmodOs_pthread_create_is_an_API_failure) {
  Outcome o = run_vmod([](struct tv *tv) { tv_workers(tv, 1, 1, 1); }, 1, nullptr, false);
  ASSERT_TRUE(o.report.failure);
  EXPECT_EQ(o.report.failure->rule, "API");
  EXPECT_NE(o.report.failure->message.find("no vrt::VmodOs"), std::string::npos) << o.report.failure->message;
}

// ---- getaddrinfo from a vmod thread ----

vv::DnsStep step(std::int64_t at_s, vv::DnsStep::Kind k, std::vector<std::string> a = {},
                 std::int64_t ttl_ns = 0, std::int64_t latency_ns = 0) {
  return {at_s * 1'000'000'000, k, std::move(a), ttl_ns, latency_ns};
}
constexpr auto kAddrs = vv::DnsStep::Kind::Addresses;

TEST(VmodDns, answers_change_over_virtual_time_and_nxdomain_is_EAI_NONAME) {
  Outcome o = run_vmod([](struct tv *tv) { tv_resolver(tv, "api.example", 5, 10'000); }, 1, [](vv::Dns &d) {
    d.set("api.example", {step(0, kAddrs, {"10.0.0.1", "10.0.0.2"}), step(20, vv::DnsStep::Kind::NxDomain),
                          step(30, kAddrs, {"10.0.0.3"}, 0, 200'000'000)});
  });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.log, "0:10.0.0.1,10.0.0.2 10000:10.0.0.1,10.0.0.2 20000:EAI-2 30200:10.0.0.3 40400:10.0.0.3 ");
}

// VSS (std.ip()) resolves names from the same table: host:port text, the answer's
// address; AI_NUMERICHOST refuses a name; nxdomain is no address.
TEST(VmodDns, vss_resolves_names_from_the_dns_table) {
  vv::harness::World w;
  vv::VmodOs os(w.sim);
  os.dns().set("web.example", {step(0, kAddrs, {"10.0.0.5"})});
  os.dns().set("gone.example", {step(0, vv::DnsStep::Kind::NxDomain)});
  std::string got;
  w.sim.spawn("cli", [&] {
    alignas(16) unsigned char b[256];
    char a[VTCP_ADDRBUFSIZE], p[VTCP_PORTBUFSIZE];
    const struct suckaddr *sa = VSS_ResolveFirst(b, "web.example:8080", "80", AF_UNSPEC, SOCK_STREAM, 0);
    if (sa) {
      VTCP_name(sa, a, sizeof a, p, sizeof p);
      got = std::string(a) + " " + p;
    }
    got += VSS_ResolveFirst(b, "web.example", "80", AF_UNSPEC, SOCK_STREAM, AI_NUMERICHOST) ? " numeric" : " -";
    got += VSS_ResolveOne(b, "gone.example", "80", AF_UNSPEC, SOCK_STREAM, 0) ? " gone" : " -";
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_EQ(got, "10.0.0.5 8080 - -");
}

TEST(VmodDns, ttl_serves_the_cached_answer_until_it_expires) {
  Outcome o = run_vmod([](struct tv *tv) { tv_resolver(tv, "API.example.", 3, 10'000); }, 1, [](vv::Dns &d) {
    d.set("api.example", {step(0, kAddrs, {"10.0.0.1"}, 15'000'000'000), step(10, kAddrs, {"10.0.0.2"})});
  });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  EXPECT_EQ(o.log, "0:10.0.0.1 10000:10.0.0.1 20000:10.0.0.2 ");
}

TEST(VmodDns, servfail_refused_timeout_and_no_records_map_like_glibc) {
  Outcome o = run_vmod([](struct tv *tv) { tv_resolver(tv, "flaky.example", 5, 1000); }, 1, [](vv::Dns &d) {
    d.set("flaky.example", {step(0, vv::DnsStep::Kind::ServFail), step(1, vv::DnsStep::Kind::Refused),
                            step(2, vv::DnsStep::Kind::Timeout), step(7, kAddrs, {}),
                            step(9, kAddrs, {"2001:db8::1"})});
  });
  ASSERT_TRUE(o.report.ok()) << failure_of(o);
  // EAI_AGAIN -3, EAI_FAIL -4, EAI_AGAIN after the 5 s timeout, EAI_NODATA -5
  EXPECT_EQ(o.log, "0:EAI-3 1000:EAI-4 7000:EAI-3 8000:EAI-5 9000:2001:db8::1 ");
}

TEST(VmodDns, lookups_are_trace_events) {
  vv::harness::World w({.keep_trace = true});
  vv::VmodOs os(w.sim);
  os.dns().set("a.example", {step(0, kAddrs, {"10.0.0.1:8080"})});
  w.sim.spawn("cli", [] {
    struct addrinfo *res = nullptr;
    ASSERT_EQ(vdisim_getaddrinfo("a.example", nullptr, nullptr, &res), 0);
    vdisim_freeaddrinfo(res);
    EXPECT_EQ(vdisim_getaddrinfo("b.example", nullptr, nullptr, &res), EAI_NONAME);
  });
  ASSERT_TRUE(w.run().ok());
  std::string dns;
  for (const auto &e : w.sim.trace().all())
    if (e.topic == "dns") dns += e.text + "\n";
  EXPECT_EQ(dns, "getaddrinfo a.example -> 10.0.0.1:8080\ngetaddrinfo b.example -> nxdomain (not in dns:)\n");
}

}  // namespace

// syslog() in vmod code (8.0.0's std.syslog()) is a trace event of the run, with its
// priority; nothing is written to the host's log.
TEST(VmodSyslog, lines_go_to_the_trace_with_their_priority) {
  vv::harness::World w({.keep_trace = true});
  vv::VmodOs os(w.sim);
  w.sim.spawn("cli", [] {
    tv_syslog("vmod");
    tv_syslog("again");
  });
  ASSERT_TRUE(w.run().ok());
  std::string got;
  for (const auto &e : w.sim.trace().all())
    if (e.topic == "syslog") got += e.text + "\n";
  EXPECT_EQ(got, "<28> hello vmod\n<28> hello again\n");
}
