// Sync primitives: deadlock reports name actors and locks; misuse is a failure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

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

// A release hands the mutex to one waiter the strategy picks: over seeds every grant order
// of three waiters appears (first come would give one), and each waiter waits once (one "wait" Lock event, a == 2):
// nobody is woken only to find the lock taken again.
TEST(Mutex, release_hands_over_to_one_waiter_the_strategy_picks) {
  std::set<std::string> orders;
  for (std::uint64_t seed = 1; seed <= 200; seed++) {
    RunOptions o;
    o.seed = seed;
    o.keep_trace = true;
    Sim s(o);
    Mutex m("m");
    std::string order;
    s.spawn("holder", [&] {
      m.lock();
      this_sim().sleep_for(10);  // every waiter is parked before the release
      m.unlock();
    });
    for (char c : std::string("abc"))
      s.spawn(std::string(1, c), [&, c] {
        this_sim().sleep_for(c - 'a' + 1);  // they wait in the order a, b, c
        m.lock();
        order += c;
        m.unlock();
      });
    RunReport r = s.run();
    ASSERT_TRUE(r.ok()) << r.failure->message;
    std::size_t waits = 0;
    for (const Event &e : s.trace().all()) waits += e.kind == EventKind::Lock && e.a == 2;
    ASSERT_EQ(waits, 3u) << "seed " << seed;
    orders.insert(order);
  }
  EXPECT_EQ(orders.size(), 6u);
}

// A writer's release admits every waiting reader at once; a reader's grant never lets a
// waiting writer in beside it.
TEST(RwLock, release_to_a_reader_admits_every_waiting_reader) {
  for (std::uint64_t seed = 1; seed <= 100; seed++) {
    RunOptions o;
    o.seed = seed;
    Sim s(o);
    RwLock l("rw");
    int readers = 0, max_readers = 0, overlap = 0;
    s.spawn("writer", [&] {
      l.wrlock();
      this_sim().sleep_for(10);
      l.unlock();
    });
    for (int i = 0; i < 3; i++)
      s.spawn("reader", [&] {
        this_sim().sleep_for(1);
        l.rdlock();
        max_readers = std::max(max_readers, ++readers);
        this_sim().sleep_for(5);
        readers--;
        l.unlock();
      });
    s.spawn("writer2", [&] {
      this_sim().sleep_for(2);
      l.wrlock();
      overlap += readers != 0;
      l.unlock();
    });
    ASSERT_TRUE(s.run().ok());
    ASSERT_EQ(overlap, 0) << "seed " << seed;
    // Either the three readers came in together, or writer2 went first and they then did.
    ASSERT_EQ(max_readers, 3) << "seed " << seed;
  }
}

// A signal wakes one waiter, the one the strategy picks (not the first to wait).
TEST(CondVar, signal_wakes_one_waiter_the_strategy_picks) {
  std::set<std::string> first;
  for (std::uint64_t seed = 1; seed <= 100; seed++) {
    RunOptions o;
    o.seed = seed;
    Sim s(o);
    Mutex m("m");
    CondVar cv("cv");
    std::string woke;
    for (char c : std::string("abc"))
      s.spawn(std::string(1, c), [&, c] {
        this_sim().sleep_for(c - 'a' + 1);  // they wait in the order a, b, c
        m.lock();
        cv.wait(m, 1'000);  // the two not signalled time out
        woke += c;
        m.unlock();
      });
    s.spawn("signaller", [&] {
      this_sim().sleep_for(100);
      m.lock();
      cv.signal();
      m.unlock();
    });
    ASSERT_TRUE(s.run().ok());
    ASSERT_EQ(woke.size(), 3u);
    first.insert(woke.substr(0, 1));
  }
  EXPECT_EQ(first.size(), 3u);
}
