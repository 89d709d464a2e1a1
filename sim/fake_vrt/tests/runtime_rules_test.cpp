// More rule tests for the fake VRT (A3, A6, A9, A10, B4, C1, C4, D2, D4, D6, D7).
#include <gmock/gmock.h>
#include <map>
#include <sys/socket.h>
#include <gtest/gtest.h>

#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/tests/test_directors.h"
#include "cache/cache_backend.h"
#include "vsa.h"
#include "vcl.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

namespace {
std::vector<std::string> events_of(sim::Sim &s, std::vector<std::string> &out, const std::string &topic) {
  s.trace().set_hook([&out, topic](const sim::EventView &e) {
    if (e.topic == topic) out.emplace_back(e.text);
  });
  return {};
}
}  // namespace

TEST(A3, add_director_on_warm_vcl_polls_the_lock_every_10ms) {
  World w;
  std::int64_t added_at = -1;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
    w.sim.spawn("resolver", [&, v] {
      w.sim.sleep_for(1'000'000);
      Task t(w.rt, v, 0);
      VCL_BACKEND d = test_layer_new(t.ctx(), "dyn", nullptr, LAYER_OK);
      added_at = w.sim.now_ns();
      VRT_DelDirector(&d);
    });
    w.rt.vcl_mtx().lock();  // e.g. a temperature change in progress
    w.sim.sleep_for(35'000'000);
    w.rt.vcl_mtx().unlock();
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_EQ(added_at, 41'000'000) << "tries at 1, 11, 21, 31 ms fail; 41 ms succeeds";
}

TEST(A10, reference_to_a_cold_vcls_director_is_a_violation) {
  World w;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND d = nullptr;
    struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { d = test_layer_new(ctx, "l", nullptr, LAYER_OK); });
    w.rt.vcl_load("next", {}, nullptr);
    w.rt.vcl_use("next");
    w.rt.vcl_state("boot", "cold");
    EXPECT_EQ(boot->temp, Temp::Cold);
    VCL_BACKEND held = nullptr;
    VRT_Assign_Backend(&held, d);
  });
  sim::RunReport r = w.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "A10");
}

TEST(B4, discard_reaps_undeleted_dynamic_backends) {
  World w;
  w.up("dyn:80");
  std::vector<std::string> dir;
  events_of(w.sim, dir, "dir");
  w.sim.spawn("cli", [&] {
    struct vcl *boot = w.rt.vcl_load("boot", {}, nullptr);
    {
      Task t(w.rt, boot, 0);
      ASSERT_NE(harness::new_backend(t.ctx(), "forgotten", "dyn:80"), nullptr);  // never deleted
    }
    w.rt.vcl_load("next", {}, nullptr);
    w.rt.vcl_use("next");
    w.rt.vcl_discard("boot");
    EXPECT_TRUE(boot->gone);
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_THAT(dir, ::testing::Contains("boot.forgotten retired"));
}

TEST(C1, directors_made_in_vcl_init_get_no_event_until_warm) {
  World w;
  std::vector<std::string> ev;
  std::size_t during_init = 99;
  events_of(w.sim, ev, "event");
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      VCL_BACKEND l = test_layer_new(ctx, "l", nullptr, LAYER_OK);
      during_init = ev.size();
      ctx->vcl->fini.push_back([l](VRT_CTX) mutable {
        (void)ctx;
        VRT_DelDirector(&l);
      });
    });
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_EQ(during_init, 0u);
  EXPECT_THAT(ev, ElementsAre("boot.l WARM"));
}

TEST(C4, warm_and_cold_alternate_per_director_and_never_load) {
  World w;
  std::vector<std::string> ev;
  events_of(w.sim, ev, "event");
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { test_layer_new(ctx, "l", nullptr, LAYER_OK); });
    w.rt.vcl_load("next", {}, nullptr);
    w.rt.vcl_use("next");
    w.rt.vcl_state("boot", "cold");
    w.rt.vcl_state("boot", "warm");
    w.rt.vcl_state("boot", "cold");
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_THAT(ev, ElementsAre("boot.l WARM", "boot.l COLD", "boot.l WARM", "boot.l COLD"));
}

TEST(D2, leaf_without_gethdrs_is_a_violation) {
  World w;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND bare = nullptr;
    struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { bare = test_bare_new(ctx, "bare"); });
    run_request(w.rt, boot, [&](VRT_CTX) {
      (void)ctx;
      return bare;
    });
  });
  sim::RunReport r = w.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "D2");
}

TEST(D4, set_changed_only_raises_the_time) {
  World w;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND l = nullptr;
    w.rt.vcl_load("boot", {}, [&](VRT_CTX) { l = test_layer_new(ctx, "l", nullptr, LAYER_OK); });
    double t0 = l->vdir->health_changed;
    VRT_SetChanged(l, t0 + 5);
    EXPECT_EQ(l->vdir->health_changed, t0 + 5);
    VRT_SetChanged(l, t0 + 1);
    EXPECT_EQ(l->vdir->health_changed, t0 + 5);
    VRT_SetChanged(nullptr, t0);  // allowed
  });
  ASSERT_TRUE(w.run().ok());
}

TEST(D6, probe_sends_sick_event_only_on_healthy_to_sick_flips) {
  sim::RunOptions o;
  o.end_ns = 60'000'000'000;
  World w(o);
  EndpointSpec s;
  s.latency.a_ns = 0;
  s.flap_period_ns = 20'000'000'000;
  s.flap_duty = 0.5;
  s.flap_down = EndpointState::Refuse;
  w.endpoint("a:80", s);
  auto probe = harness::make_probe(1.0, 8, 3, 3);
  std::vector<std::string> ev;
  events_of(w.sim, ev, "event");
  w.sim.spawn("cli", [&] { w.rt.vcl_load("boot", {}, [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80", &probe); }); });
  ASSERT_TRUE(w.run().ok());
  const auto &st = w.rt.backends().stats("boot.a");
  EXPECT_GE(st.went_sick, 2u);
  EXPECT_GE(st.went_healthy, 2u);
  EXPECT_EQ(std::count(ev.begin(), ev.end(), "boot.a SICK"), static_cast<long>(st.went_sick));
}

TEST(D7, lookup_director_outside_init_and_fini_is_a_violation) {
  World w;
  w.sim.spawn("cli", [&] {
    struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      VCL_BACKEND l = test_layer_new(ctx, "l", nullptr, LAYER_OK);
      EXPECT_EQ(VRT_LookupDirector(ctx, "l"), l);
      EXPECT_EQ(VRT_LookupDirector(ctx, "nope"), nullptr);
    });
    Task t(w.rt, boot, VCL_MET_RECV);
    VRT_LookupDirector(t.ctx(), "l");
  });
  sim::RunReport r = w.run();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "D7");
}

namespace {
// "topic: text @actor" for the topics asked, with the name of the actor that logged it.
struct ActorLog {
  std::vector<std::string> lines;
  ActorLog(sim::Sim &s, std::map<std::uint32_t, std::string> &names, std::vector<std::string> topics) {
    s.trace().set_hook([this, &names, topics](const sim::EventView &e) {
      for (auto &t : topics)
        if (e.topic == t) lines.push_back(std::string(e.topic) + ": " + std::string(e.text) + " @" + names[e.actor]);
    });
  }
};
}  // namespace

// A6: the last reference dropped during a transaction (here: a VMOD's WARM event, inside
// the VCL's warm transaction) only queues the director: it stays linked with refcnt 0,
// hears the transaction's own WARM, and the actor closing the transaction retires it
// with the temperature then current (warm: COLD, then destroy).
TEST(A6, last_ref_dropped_in_a_transaction_is_retired_when_it_closes) {
  World w;
  std::map<std::uint32_t, std::string> names;
  ActorLog log(w.sim, names, {"event", "dir"});
  VCL_BACKEND d = nullptr;
  bool queued = false;
  VmodHook drop{"m", [&](VRT_CTX, enum vcl_event_e e) {
                  (void)ctx;
                  if (e != VCL_EVENT_WARM) return 0;
                  vcldir *x = d->vdir;
                  VRT_DelDirector(&d);
                  queued = x->linked && x->refcnt == 0 && !x->destroyed;
                  return 0;
                }};
  sim::Actor *cli = w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", {drop}, [&](VRT_CTX) { d = test_layer_new(ctx, "x", nullptr, LAYER_OK); });
  });
  names[cli->id] = "cli";
  ASSERT_TRUE(w.run().ok());
  EXPECT_TRUE(queued) << "dropped inside the transaction: still linked, refcnt 0, not destroyed";
  EXPECT_THAT(log.lines, ElementsAre("dir: boot.x added (layer), refcnt 1 @cli", "dir: boot.x delete (refcnt 1) @cli",
                                     "dir: boot.x resigning (transaction open) @cli", "event: boot.x WARM @cli", "event: boot.x COLD @cli", "dir: boot.x destroy @cli",
                                     "dir: boot.x retired @cli"));
}

// A6: outside a transaction the actor that drops the last reference retires the director
// itself, with the temperature it read under the lock: here a request finishing after
// the VCL's __fini deleted the director.
TEST(A6, last_ref_dropped_outside_a_transaction_is_retired_by_the_dropping_actor) {
  World w;
  std::map<std::uint32_t, std::string> names;
  ActorLog log(w.sim, names, {"dir"});
  sim::Actor *cli = w.sim.spawn("cli", [&] {
    VCL_BACKEND d = nullptr;
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { d = test_layer_new(ctx, "x", nullptr, LAYER_OK); });
    sim::Actor *req = w.sim.spawn("req", [&, v] {
      Task t(w.rt, v, 0);
      VCL_BACKEND held = nullptr;
      VRT_Assign_Backend(&held, d);
      w.sim.sleep_for(1'000'000);  // the owner deletes it meanwhile
      VRT_Assign_Backend(&held, nullptr);
      t.finish();
    });
    names[req->id] = "req";
    w.sim.sleep_for(500'000);
    VRT_DelDirector(&d);
    w.sim.join(req);
  });
  names[cli->id] = "cli";
  ASSERT_TRUE(w.run().ok());
  EXPECT_THAT(log.lines, ElementsAre("dir: boot.x added (layer), refcnt 1 @cli", "dir: boot.x delete (refcnt 2) @cli",
                                     "dir: boot.x destroy @req", "dir: boot.x retired @req"));
}

// A9: a VCL_BACKEND kept past the call needs a reference. With one, the director
// outlives its owner's delete; without one (what a resolve result or LookupDirector
// gives), the delete retires it and the stored pointer's next use is caught (A8).
TEST(A9, backend_kept_without_a_reference_dies_with_its_owner) {
  World w;
  bool kept_alive = false;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
    Task t(w.rt, v, 0);
    VCL_BACKEND a = test_layer_new(t.ctx(), "a", nullptr, LAYER_OK);
    VCL_BACKEND held = nullptr;
    VRT_Assign_Backend(&held, a);
    VRT_DelDirector(&a);
    kept_alive = !held->vdir->destroyed;
    VRT_Assign_Backend(&held, nullptr);
    VCL_BACKEND b = test_layer_new(t.ctx(), "b", nullptr, LAYER_OK);
    VCL_BACKEND stored = b;  // no reference
    VRT_DelDirector(&b);
    VCL_BACKEND late = nullptr;
    VRT_Assign_Backend(&late, stored);
  });
  sim::RunReport r = w.run();
  EXPECT_TRUE(kept_alive);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.failure->rule, "A8") << r.failure->summary();
}

// E4 with `via` (8.0.0 cache_backend.c via_resolve/VRT_new_backend_clustered): a backend
// made via another reaches the via backend's server, inherits its unset timeouts and sends
// the target's address as Host; a via that resolves to nothing or to a director that is
// not a backend fails the task with Varnish's message and makes no backend.
TEST(E4, backend_via_another_connects_to_the_via_server_or_fails_as_varnish) {
  World w;
  w.up("10.0.0.9:80");
  w.up("10.0.0.1:80");
  std::string host, hosthdr, fail_empty, fail_bare;
  double fbt = 0;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
    Task t(w.rt, v, 0);
    struct vrt_backend pb;
    VRT_BACKEND_INIT(&pb);
    pb.vcl_name = "proxy";
    pb.hosthdr = "10.0.0.9:80";
    pb.first_byte_timeout = 5;
    VCL_BACKEND proxy = VRT_new_backend(t.ctx(), &pb, nullptr);
    ASSERT_NE(proxy, nullptr);

    alignas(16) char sab[128];
    const unsigned char a[4] = {10, 0, 0, 1}, p[2] = {0, 80};
    struct vrt_endpoint ep;
    INIT_OBJ(&ep, VRT_ENDPOINT_MAGIC);
    ep.ipv4 = VSA_BuildFAP(sab, AF_INET, a, 4, p, 2);
    struct vrt_backend tb;
    VRT_BACKEND_INIT(&tb);
    tb.vcl_name = "target";
    tb.endpoint = &ep;
    VCL_BACKEND target = VRT_new_backend(t.ctx(), &tb, proxy);
    ASSERT_NE(target, nullptr);
    host = w.rt.backends().stats("boot.target").host;
    const struct backend *be = static_cast<const struct backend *>(target->priv);
    hosthdr = be->hosthdr ? be->hosthdr : "(null)";
    fbt = be->first_byte_timeout;
    VRT_delete_backend(t.ctx(), &target);

    Task t2(w.rt, v, 0);
    VCL_BACKEND empty = test_layer_new(t2.ctx(), "empty", nullptr, LAYER_OK);
    tb.vcl_name = "t2";
    EXPECT_EQ(VRT_new_backend(t2.ctx(), &tb, empty), nullptr);
    fail_empty = t2.fail_message();
    Task t3(w.rt, v, 0);
    VCL_BACKEND bare = test_bare_new(t3.ctx(), "bare");
    tb.vcl_name = "t3";
    EXPECT_EQ(VRT_new_backend(t3.ctx(), &tb, bare), nullptr);
    fail_bare = t3.fail_message();
    VRT_DelDirector(&empty);
    VRT_DelDirector(&bare);
    VRT_delete_backend(t.ctx(), &proxy);
  });
  w.run();
  EXPECT_EQ(host, "10.0.0.9:80");
  EXPECT_EQ(hosthdr, "10.0.0.1");
  EXPECT_EQ(fbt, 5);
  EXPECT_THAT(fail_empty, HasSubstr("Via resolution failed"));
  EXPECT_THAT(fail_bare, HasSubstr("Via does not resolve to a backend"));
}

// 8.0.0's Lck_CondWaitUntil: an infinite deadline waits untimed (here: until signalled),
// and a wait that times out returns with VTIM_real() past its deadline, as on a real
// clock. libvmod-dynamic's resolver waits until a domain's `expires`, then tests
// `now > expires`; with the clock left at the deadline it looped at one instant (LIVELOCK).
TEST(VmodLocks, cond_wait_until_infinity_is_untimed_and_a_timeout_leaves_the_clock_past_it) {
  World w;
  int timed = -1, untimed = -1;
  double when = 0, after = 0, woke = 0;
  struct lock lck;
  pthread_cond_t cond{};  // vmod C code reaches these through vdisim_pthread.h's macros
  w.sim.spawn("cli", [&] {
    Lck_New(&lck, lck_director);
    Lck_Lock(&lck);
    when = VTIM_real() + 0.25;
    timed = Lck_CondWaitUntil(&cond, &lck, when);
    after = VTIM_real();
    w.sim.spawn("signaller", [&] {
      w.sim.sleep_for(3'000'000'000);
      Lck_Lock(&lck);
      PTOK(vdisim_cond_signal(&cond));
      Lck_Unlock(&lck);
    });
    untimed = Lck_CondWaitUntil(&cond, &lck, INFINITY);
    woke = VTIM_real();
    Lck_Unlock(&lck);
    PTOK(vdisim_cond_destroy(&cond));
    Lck_Delete(&lck);
  });
  sim::RunReport r = w.run();
  ASSERT_TRUE(r.ok()) << (r.failure ? r.failure->message : "");
  EXPECT_EQ(timed, ETIMEDOUT);
  EXPECT_GT(after, when);
  EXPECT_EQ(untimed, 0);
  EXPECT_NEAR(woke - when, 3.0, 1e-6);
}

// Blocks malloc/realloc give director code are junk-filled (0xa5): a pointer read from a
// slot nothing wrote (realloc's growth) is named as uninitialized memory the same way in
// every run, not whatever libc's heap happened to hold (libvmod-cluster's denylist).
TEST(Memory, pointer_read_from_unwritten_realloc_growth_is_named_in_every_run) {
  for (std::uint64_t seed = 1; seed <= 3; seed++) {
    sim::RunOptions o;
    o.seed = seed;
    World w(o);
    w.sim.spawn("cli", [&] {
      struct vcl *v = w.rt.vcl_load("boot", {}, nullptr);
      Task t(w.rt, v, 0);
      VCL_BACKEND d = test_layer_new(t.ctx(), "member", nullptr, LAYER_OK);
      auto *slots = static_cast<VCL_BACKEND *>(vdisim_calloc(2, sizeof(VCL_BACKEND)));
      VRT_Assign_Backend(&slots[0], d);
      slots = static_cast<VCL_BACKEND *>(vdisim_realloc(slots, 4 * sizeof(VCL_BACKEND)));
      EXPECT_EQ(slots[0], d) << "realloc keeps what was written";
      VRT_Assign_Backend(&slots[2], d);  // slots[2] was never written
    });
    sim::RunReport r = w.run();
    ASSERT_FALSE(r.ok()) << "seed " << seed;
    EXPECT_EQ(r.failure->rule, "API");
    EXPECT_THAT(r.failure->message, HasSubstr("VRT_Assign_Backend(old): 0xa5a5a5a5a5a5a5a5 is not a director but "
                                              "uninitialized memory"));
  }
}
