// Layered directors (fallback of round_robins, shard of dynamics, a loop) and the whole
// VCL life cycle: load, warm, requests, cold, warm again, discard with every director
// destroyed and no rule violated (A8, B1, B2, C5).
#include <gmock/gmock.h>

#include <set>

#include "directors/tests/fixture.hpp"

using namespace dtest;
using ::testing::ElementsAre;

namespace {

struct FbOfRr {
  struct vcl *v = nullptr;
  struct vmod_directors_round_robin *a = nullptr, *b = nullptr;
  struct vmod_directors_fallback *fb = nullptr;
};

// outer_fini_first: fallback's __fini runs before the round_robins' (VCC order), else after.
FbOfRr load_fb_of_rr(World &w, bool outer_fini_first) {
  FbOfRr x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    auto be = vcl_backends(ctx, {"s1", "s2", "s3", "s4"});
    vmod_fallback__init(ctx, &x.fb, "fb", 0);
    if (!outer_fini_first) on_fini(ctx, x.fb, vmod_fallback__fini);
    vmod_round_robin__init(ctx, &x.a, "rr_a");
    on_fini(ctx, x.a, vmod_round_robin__fini);
    vmod_round_robin__init(ctx, &x.b, "rr_b");
    on_fini(ctx, x.b, vmod_round_robin__fini);
    if (outer_fini_first) on_fini(ctx, x.fb, vmod_fallback__fini);
    vmod_round_robin_add_backend(ctx, x.a, be[0]);
    vmod_round_robin_add_backend(ctx, x.a, be[1]);
    vmod_round_robin_add_backend(ctx, x.b, be[2]);
    vmod_round_robin_add_backend(ctx, x.b, be[3]);
    vmod_fallback_add_backend(ctx, x.fb, vmod_round_robin_backend(ctx, x.a));
    vmod_fallback_add_backend(ctx, x.fb, vmod_round_robin_backend(ctx, x.b));
  });
  return x;
}

std::vector<std::string> fb_picks(World &w, const FbOfRr &x, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; i++)
    out.push_back(w.request(x.v, [&](VRT_CTX) { return vmod_fallback_backend(ctx, x.fb); }).backend);
  return out;
}

}  // namespace

TEST(Nesting, fallback_of_round_robins_follows_group_health) {
  for (bool outer_first : {true, false}) {
    World w;
    w.endpoints({"s1", "s2", "s3", "s4"});
    RunReport r = w.run([&] {
      FbOfRr x = load_fb_of_rr(w, outer_first);
      EXPECT_THAT(fb_picks(w, x, 3), ElementsAre("vcl1.s1", "vcl1.s2", "vcl1.s1"));
      w.health("vcl1.s1", "sick");
      EXPECT_THAT(fb_picks(w, x, 2), ElementsAre("vcl1.s2", "vcl1.s2"));
      w.health("vcl1.s2", "sick");  // group a down: fall back to group b
      EXPECT_THAT(fb_picks(w, x, 3), ElementsAre("vcl1.s3", "vcl1.s4", "vcl1.s3"));
      w.health("vcl1.s1", "auto");  // group a back
      EXPECT_THAT(fb_picks(w, x, 2), ElementsAre("vcl1.s1", "vcl1.s1"));
      w.retire_vcl("vcl1");
    });
    EXPECT_TRUE(r.ok()) << why(r) << (outer_first ? " (outer fini first)" : " (inner fini first)");
    EXPECT_TRUE(w.all_destroyed());
  }
}

TEST(Nesting, B2_directors_in_a_loop_tear_down) {
  World w;
  w.endpoints({"s1"});
  RunReport r = w.run([&] {
    w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
      auto be = vcl_backends(ctx, {"s1"});
      struct vmod_directors_round_robin *a = nullptr, *b = nullptr;
      vmod_round_robin__init(ctx, &a, "a");
      on_fini(ctx, a, vmod_round_robin__fini);
      vmod_round_robin__init(ctx, &b, "b");
      on_fini(ctx, b, vmod_round_robin__fini);
      vmod_round_robin_add_backend(ctx, a, vmod_round_robin_backend(ctx, b));
      vmod_round_robin_add_backend(ctx, b, vmod_round_robin_backend(ctx, a));
      vmod_round_robin_add_backend(ctx, b, be[0]);
    });
    w.retire_vcl("vcl1");  // #3899: each holds the other; release must break the loop
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Nesting, shard_of_dynamics_routes_keys_to_groups_while_answers_change) {
  for (std::uint64_t seed = 1; seed <= 6; seed++) {
    World w(seed);
    w.endpoints({"a1", "a2", "a3", "b1", "b2"}, 2'000'000);
    int bad = 0, ok = 0, deleted = 0;
    RunReport r = w.run([&] {
      struct vmod_directors_dynamic *da = nullptr, *db = nullptr;
      struct vmod_directors_shard *sh = nullptr;
      struct vcl *v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
        vmod_dynamic__init(ctx, &da, "da", nullptr);
        on_fini(ctx, da, vmod_dynamic__fini);
        vmod_dynamic__init(ctx, &db, "db", nullptr);
        on_fini(ctx, db, vmod_dynamic__fini);
        vmod_shard__init(ctx, &sh, "sh");
        on_fini(ctx, sh, vmod_shard__fini);
        vmod_dynamic_update(ctx, da, "a1:80,a2:80");
        vmod_dynamic_update(ctx, db, "b1:80,b2:80");
        for (auto [d, id] : {std::pair{vmod_dynamic_backend(ctx, da), "A"}, {vmod_dynamic_backend(ctx, db), "B"}}) {
          struct arg_vmod_directors_shard_add_backend a {};
          a.backend = d;
          a.valid_ident = 1;
          a.ident = id;
          EXPECT_TRUE(vmod_shard_add_backend(ctx, sh, &a));
        }
        EXPECT_TRUE(vmod_shard_reconfigure(ctx, sh, 67));
      });
      RingModel m({"A", "B"}, {67, 67});
      std::vector<vdisim::sim::Actor *> actors;
      for (int c = 0; c < 4; c++)
        actors.push_back(w.sim.spawn("client" + std::to_string(c), [&, c] {
          for (std::uint32_t i = 0; i < 30; i++) {
            std::uint32_t key = (i * 2654435761u) ^ (static_cast<std::uint32_t>(c) << 28);
            struct arg_vmod_directors_shard_backend a {};
            a.valid_by = a.valid_key = 1;
            a.by = enum_vmod_directors_KEY;
            a.key = key;
            RequestResult res = w.request(v, [&](VRT_CTX) { return vmod_shard_backend(ctx, sh, &a); });
            std::string group = m.pick(key, {true, true}) == 0 ? "vcl1.da(" : "vcl1.db(";
            // A backend deleted between the pick and the fetch is sick to the fetch:
            // FetchError, as varnishd's "unhealthy" 503 (all endpoints are up).
            if (res.kind == RequestResult::Kind::Ok) ok++;
            if (res.kind == RequestResult::Kind::FetchError) deleted++;
            if ((res.kind != RequestResult::Kind::Ok && res.kind != RequestResult::Kind::FetchError) ||
                res.backend.rfind(group, 0) != 0)
              bad++;
            w.sim.sleep_for(1'000'000);
          }
        }));
      actors.push_back(w.sim.spawn("resolver", [&] {
        const char *answers[] = {"a1:80", "a2:80,a3:80", "a3:80,a1:80", "a1:80,a2:80"};
        for (int i = 0; i < 40; i++) {
          w.in_task(v, [&](VRT_CTX) { vmod_dynamic_update(ctx, da, answers[i % 4]); });
          w.sim.sleep_for(1'000'000);
        }
      }));
      for (auto *a : actors) w.sim.join(a);
      w.retire_vcl("vcl1");
    });
    ASSERT_TRUE(r.ok()) << why(r) << " (seed " << seed << ")";
    EXPECT_EQ(bad, 0) << "seed " << seed;
    EXPECT_EQ(ok + deleted, 120) << "seed " << seed;
    EXPECT_GT(ok, 100) << "seed " << seed;
    EXPECT_TRUE(w.all_destroyed()) << "seed " << seed;
  }
}

namespace {

// Every kind of director in one VCL, some layered; returns the choosers to request with.
struct Everything {
  struct vcl *v = nullptr;
  std::vector<std::function<VCL_BACKEND(VRT_CTX)>> choosers;
};

Everything load_everything(World &w, const char *name) {
  Everything e;
  e.v = w.rt.vcl_load(name, {}, [&](VRT_CTX) {
    auto be = vcl_backends(ctx, {"s1", "s2", "s3"}, quick_probe());
    struct vmod_directors_round_robin *rr = nullptr;
    struct vmod_directors_random *rnd = nullptr;
    struct vmod_directors_hash *h = nullptr;
    struct vmod_directors_shard *sh = nullptr;
    struct vmod_directors_dynamic *dyn = nullptr;
    struct vmod_directors_fallback *fb = nullptr;
    vmod_round_robin__init(ctx, &rr, "rr");
    on_fini(ctx, rr, vmod_round_robin__fini);
    vmod_random__init(ctx, &rnd, "rnd");
    on_fini(ctx, rnd, vmod_random__fini);
    vmod_hash__init(ctx, &h, "h");
    on_fini(ctx, h, vmod_hash__fini);
    vmod_shard__init(ctx, &sh, "sh");
    on_fini(ctx, sh, vmod_shard__fini);
    vmod_dynamic__init(ctx, &dyn, "dyn", quick_probe());
    on_fini(ctx, dyn, vmod_dynamic__fini);
    vmod_fallback__init(ctx, &fb, "fb", 1);
    on_fini(ctx, fb, vmod_fallback__fini);
    vmod_dynamic_update(ctx, dyn, "d1:80,d2:80");
    for (VCL_BACKEND b : be) {
      vmod_round_robin_add_backend(ctx, rr, b);
      vmod_random_add_backend(ctx, rnd, b, 1.0);
      vmod_hash_add_backend(ctx, h, b, 1.0);
      struct arg_vmod_directors_shard_add_backend a {};
      a.backend = b;
      vmod_shard_add_backend(ctx, sh, &a);
    }
    vmod_fallback_add_backend(ctx, fb, vmod_dynamic_backend(ctx, dyn));
    vmod_fallback_add_backend(ctx, fb, vmod_round_robin_backend(ctx, rr));
    vmod_fallback_add_backend(ctx, fb, vmod_random_backend(ctx, rnd));
    struct arg_vmod_directors_shard_backend lazy {};
    vmod_fallback_add_backend(ctx, fb, vmod_shard_backend(ctx, sh, &lazy));  // LAZY in vcl_init
    e.choosers = {
        [rr](VRT_CTX) { return vmod_round_robin_backend(ctx, rr); },
        [rnd](VRT_CTX) { return vmod_random_backend(ctx, rnd); },
        [h](VRT_CTX) {
          Strands s({"key"});
          return vmod_hash_backend(ctx, h, s.get());
        },
        [sh](VRT_CTX) {
          struct arg_vmod_directors_shard_backend a {};
          return vmod_shard_backend(ctx, sh, &a);
        },
        [dyn](VRT_CTX) { return vmod_dynamic_backend(ctx, dyn); },
        [fb](VRT_CTX) { return vmod_fallback_backend(ctx, fb); },
    };
  });
  return e;
}

}  // namespace

TEST(Lifecycle, load_warm_requests_cold_warm_requests_discard_destroys_every_director) {
  for (std::uint64_t seed = 1; seed <= 5; seed++) {
    World w(seed);
    w.endpoints({"s1", "s2", "s3", "d1", "d2"});
    RunReport r = w.run([&] {
      Everything e = load_everything(w, "vcl1");
      w.sim.sleep_for(2'000'000'000);  // probes: one good poll each
      auto all_ok = [&](const char *phase) {
        for (std::size_t i = 0; i < e.choosers.size(); i++)
          EXPECT_EQ(w.request(e.v, e.choosers[i]).kind, RequestResult::Kind::Ok)
              << phase << ", chooser " << i << ", seed " << seed;
      };
      all_ok("warm");
      w.rt.vcl_state("vcl1", "cold");
      EXPECT_EQ(w.request(e.v, e.choosers[0]).kind, RequestResult::Kind::VclNotWarm);
      w.rt.vcl_state("vcl1", "warm");
      w.sim.sleep_for(2'000'000'000);  // probes restarted sick (E3), one good poll again
      all_ok("rewarmed");
      w.retire_vcl("vcl1");
    });
    ASSERT_TRUE(r.ok()) << why(r) << " (seed " << seed << ")";
    EXPECT_TRUE(w.all_destroyed()) << "seed " << seed;
    EXPECT_EQ(w.rt.counters().directors_added, 11u) << "3 + 2 native backends, 6 directors";
    EXPECT_EQ(w.rt.backends().live_probes, 0) << "seed " << seed;
  }
}

TEST(Lifecycle, concurrent_requests_on_two_vcls_then_discard_of_the_old_one) {
  World w(3);
  w.endpoints({"s1", "s2", "s3", "d1", "d2"}, 3'000'000);
  int served = 0;
  RunReport r = w.run([&] {
    Everything old_vcl = load_everything(w, "vcl1");
    Everything new_vcl = load_everything(w, "vcl2");
    w.rt.vcl_use("vcl2");
    w.sim.sleep_for(2'000'000'000);
    std::vector<vdisim::sim::Actor *> clients;
    for (int c = 0; c < 4; c++)
      clients.push_back(w.sim.spawn("client" + std::to_string(c), [&, c] {
        const Everything &e = c % 2 ? old_vcl : new_vcl;
        for (std::size_t i = 0; i < 24; i++)
          if (w.request(e.v, e.choosers[(i + c) % e.choosers.size()]).kind == RequestResult::Kind::Ok) served++;
      }));
    w.sim.sleep_for(10'000'000);
    w.rt.vcl_state("vcl1", "cold");  // busy: stays BUSY until its requests end (C3)
    for (auto *a : clients) w.sim.join(a);
    w.rt.vcl_discard("vcl1");
    EXPECT_EQ(w.rt.find_vcl("vcl1"), nullptr);
    EXPECT_EQ(w.request(new_vcl.v, new_vcl.choosers[5]).kind, RequestResult::Kind::Ok);
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_EQ(served, 96);
  EXPECT_EQ(w.rt.counters().directors_destroyed, 11u) << "all of vcl1, none of vcl2";
}
