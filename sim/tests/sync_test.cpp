// Sync primitives: deadlock reports name actors and locks; misuse is a failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/sync.hpp"

using namespace vdisim::sim;
using ::testing::HasSubstr;

TEST(Deadlock, abba_cycle_names_both_actors_and_locks) {
  Sim s(RunOptions{});
  Mutex a("lockA"), b("lockB");
  s.spawn("alice", [&] { a.lock(); this_sim().sleep_for(1000); b.lock(); });
  s.spawn("bob", [&] { b.lock(); this_sim().sleep_for(1000); a.lock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "DEADLOCK");
  const std::string &m = r.failure->message;
  EXPECT_THAT(m, HasSubstr("'alice' waits on mutex 'lockB' held by a2 'bob'"));
  EXPECT_THAT(m, HasSubstr("'bob' waits on mutex 'lockA' held by a1 'alice'"));
  EXPECT_THAT(m, HasSubstr("wait-for cycle"));
}

// A ticking actor keeps a timer pending forever, so the run never goes quiescent: the
// cycle must be found when it closes, not when nothing is left to run.
TEST(Deadlock, cycle_is_found_while_timers_keep_the_run_going) {
  RunOptions o;
  o.end_ns = 1'000'000'000;
  Sim s(o);
  Mutex a("lockA"), b("lockB");
  s.spawn("ticker", [] { while (true) this_sim().sleep_for(1'000'000); }, /*daemon=*/true);
  s.spawn("alice", [&] { a.lock(); this_sim().sleep_for(1000); b.lock(); });
  s.spawn("bob", [&] { b.lock(); this_sim().sleep_for(1000); a.lock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "DEADLOCK");
  EXPECT_EQ(r.end_ns, 1000);  // when the second lock closed the cycle
  EXPECT_THAT(r.failure->message, HasSubstr("wait-for cycle"));
}

// A try-lock loop (as VRT_AddDirector polls vcl_mtx) waits for the lock's holder although
// it sleeps with a deadline; a holder that waits for the poller closes a cycle.
TEST(Deadlock, try_lock_poll_in_a_cycle_is_a_deadlock) {
  RunOptions o;
  o.end_ns = 1'000'000'000;
  Sim s(o);
  Mutex outer("vcl_mtx"), inner("upd_mtx");
  s.spawn("cli", [&] { outer.lock(); this_sim().sleep_for(1000); inner.lock(); });
  s.spawn("resolver", [&] {
    inner.lock();
    this_sim().sleep_for(500);
    while (!outer.try_lock()) this_sim().sleep_polling(outer, 10'000'000);
  });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "DEADLOCK");
  EXPECT_THAT(r.failure->message, HasSubstr("'resolver' waits on mutex 'vcl_mtx' held by a1 'cli'"));
  EXPECT_THAT(r.failure->message, HasSubstr("'cli' waits on mutex 'upd_mtx' held by a2 'resolver'"));
}

// The same loop without a cycle is a slow start, not a deadlock: the holder lets go.
TEST(Deadlock, try_lock_poll_without_a_cycle_gets_the_lock) {
  Sim s(RunOptions{});
  Mutex m("vcl_mtx");
  std::int64_t got = -1;
  s.spawn("holder", [&] { m.lock(); this_sim().sleep_for(25'000'000); m.unlock(); });
  s.spawn("poller", [&] {
    this_sim().sleep_for(1);
    while (!m.try_lock()) this_sim().sleep_polling(m, 10'000'000);
    got = this_sim().now_ns();
    m.unlock();
  });
  RunReport r = s.run();
  ASSERT_TRUE(r.ok()) << r.failure->summary();
  EXPECT_EQ(got, 30'000'001);  // polls at 1 ns + 10, 20, 30 ms; free after 25 ms
}

TEST(Deadlock, missed_condvar_wakeup_is_reported) {
  Sim s(RunOptions{});
  Mutex m("m");
  CondVar cv("ready");
  bool flag = false;
  s.spawn("signaller", [&] { m.lock(); cv.signal(); m.unlock(); });
  s.spawn("waiter", [&] {
    this_sim().sleep_for(1000);  // arrives after the signal: the wakeup is lost
    m.lock();
    while (!flag) cv.wait(m);
    m.unlock();
  });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "DEADLOCK");
  EXPECT_THAT(r.failure->message, HasSubstr("'waiter' waits on condvar 'ready'"));
}

TEST(Misuse, unlock_by_non_owner) {
  Sim s(RunOptions{});
  Mutex m("m");
  s.spawn("owner", [&] { m.lock(); this_sim().sleep_for(10); m.unlock(); });
  s.spawn("thief", [&] { this_sim().sleep_for(5); m.unlock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, kRuleUnlockNotOwner);
  EXPECT_EQ(r.failure->actor, "thief");
}

TEST(Misuse, relock_by_owner) {
  Sim s(RunOptions{});
  Mutex m("m");
  s.spawn("twice", [&] { m.lock(); m.lock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, kRuleRelock);
}

TEST(Misuse, destroy_while_held) {
  Sim s(RunOptions{});
  s.spawn("leaver", [&] {
    Mutex m("scoped");
    m.lock();
  });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, kRuleDestroyHeld);
}

TEST(Misuse, actor_ends_holding_a_mutex) {
  Sim s(RunOptions{});
  Mutex m("forgotten");
  s.spawn("leaver", [&] { m.lock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, kRuleEndHeld);
  EXPECT_EQ(r.failure->message, "actor 'leaver' ended holding mutex 'forgotten'");
}

TEST(Misuse, actor_ends_holding_a_read_lock_but_not_a_released_one) {
  Sim s(RunOptions{});
  RwLock l("table"), done("done");
  s.spawn("tidy", [&] {
    done.wrlock();
    done.unlock();
    l.rdlock();
    l.unlock();
  });
  s.spawn("reader", [&] { l.rdlock(); });
  RunReport r = s.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, kRuleEndHeld);
  EXPECT_EQ(r.failure->message, "actor 'reader' ended holding rwlock 'table'");
}

TEST(Mutex, mutual_exclusion_holds_under_every_seed) {
  for (std::uint64_t seed = 1; seed <= 200; seed++) {
    RunOptions o;
    o.seed = seed;
    Sim s(o);
    Mutex m("m");
    int inside = 0, max_inside = 0;
    for (int i = 0; i < 4; i++)
      s.spawn("w", [&] {
        for (int k = 0; k < 10; k++) {
          m.lock();
          max_inside = std::max(max_inside, ++inside);
          this_sim().sched_point();
          inside--;
          m.unlock();
        }
      });
    ASSERT_TRUE(s.run().ok());
    ASSERT_EQ(max_inside, 1) << "seed " << seed;
  }
}

TEST(RwLock, readers_share_writers_exclude) {
  Sim s(RunOptions{});
  RwLock l("rw");
  int readers = 0, max_readers = 0, writer_overlap = 0;
  for (int i = 0; i < 3; i++)
    s.spawn("reader", [&] {
      l.rdlock();
      max_readers = std::max(max_readers, ++readers);
      this_sim().sleep_for(100);
      readers--;
      l.unlock();
    });
  s.spawn("writer", [&] {
    this_sim().sleep_for(50);
    l.wrlock();
    if (readers) writer_overlap++;
    l.unlock();
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_EQ(max_readers, 3);
  EXPECT_EQ(writer_overlap, 0);
}

TEST(CondVar, timed_wait_times_out_on_virtual_time) {
  Sim s(RunOptions{});
  Mutex m("m");
  CondVar cv("cv");
  bool woke = true;
  std::int64_t at = 0;
  s.spawn("w", [&] {
    m.lock();
    woke = cv.wait(m, 7'000);
    at = this_sim().now_ns();
    m.unlock();
  });
  ASSERT_TRUE(s.run().ok());
  EXPECT_FALSE(woke);
  EXPECT_EQ(at, 7'000);
}
