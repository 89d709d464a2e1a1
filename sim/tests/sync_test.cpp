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
