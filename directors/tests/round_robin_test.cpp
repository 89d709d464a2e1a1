// round_robin (spec F4) and the shared vdir helper (F1, F2) under health timelines.
#include <gmock/gmock.h>

#include "directors/tests/fixture.hpp"

using namespace dtest;
using ::testing::ElementsAre;

namespace {

struct RrVcl {
  struct vcl *v = nullptr;
  struct vmod_directors_round_robin *rr = nullptr;
  std::vector<VCL_BACKEND> be;
};

RrVcl load_rr(World &w, const std::vector<std::string> &names) {
  RrVcl x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    x.be = vcl_backends(ctx, names);
    vmod_round_robin__init(ctx, &x.rr, "rr");
    on_fini(ctx, x.rr, vmod_round_robin__fini);
    for (VCL_BACKEND b : x.be) vmod_round_robin_add_backend(ctx, x.rr, b);
  });
  return x;
}

std::vector<std::string> picks(World &w, const RrVcl &x, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; i++)
    out.push_back(w.request(x.v, [&](VRT_CTX) { return vmod_round_robin_backend(ctx, x.rr); }).backend);
  return out;
}

}  // namespace

TEST(RoundRobin, F4_cycles_in_insertion_order) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2", "s3"});
    EXPECT_THAT(picks(w, x, 7), ElementsAre("vcl1.s1", "vcl1.s2", "vcl1.s3", "vcl1.s1", "vcl1.s2",
                                            "vcl1.s3", "vcl1.s1"));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(RoundRobin, F4_skips_sick_members_and_resumes_after_recovery) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2", "s3"});
    EXPECT_THAT(picks(w, x, 1), ElementsAre("vcl1.s1"));
    w.health("vcl1.s2", "sick");
    EXPECT_THAT(picks(w, x, 4), ElementsAre("vcl1.s3", "vcl1.s1", "vcl1.s3", "vcl1.s1"));
    w.health("vcl1.s2", "auto");
    EXPECT_THAT(picks(w, x, 3), ElementsAre("vcl1.s2", "vcl1.s3", "vcl1.s1"));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(RoundRobin, F4_fair_over_healthy_members_with_concurrent_clients) {
  World w(7);
  w.endpoints({"s1", "s2", "s3", "s4"});
  Tally t;
  int none = 0;
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2", "s3", "s4"});
    w.health("vcl1.s4", "sick");
    std::vector<vdisim::sim::Actor *> clients;
    for (int c = 0; c < 6; c++)
      clients.push_back(w.sim.spawn("client" + std::to_string(c), [&] {
        for (int i = 0; i < 50; i++) {
          RequestResult res = w.request(x.v, [&](VRT_CTX) { return vmod_round_robin_backend(ctx, x.rr); });
          if (res.backend.empty()) none++;
          else t[res.backend]++;
        }
      }));
    for (auto *a : clients) w.sim.join(a);
    w.retire_vcl("vcl1");
  });
  ASSERT_TRUE(r.ok()) << why(r);
  EXPECT_EQ(none, 0);
  EXPECT_EQ(t.count("vcl1.s4"), 0u);
  // The position moves under the read lock (racy by design), so allow some slack.
  for (const char *b : {"vcl1.s1", "vcl1.s2", "vcl1.s3"}) EXPECT_NEAR(t[b], 100, 15) << b;
}

TEST(RoundRobin, F4_all_sick_gives_no_backend) {
  World w;
  w.endpoints({"s1", "s2"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2"});
    w.health("vcl1.s*", "sick");
    RequestResult res = w.request(x.v, [&](VRT_CTX) { return vmod_round_robin_backend(ctx, x.rr); });
    EXPECT_EQ(res.kind, RequestResult::Kind::NoBackend);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(RoundRobin, F1_remove_backend_keeps_the_rotation_in_range) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2", "s3"});
    EXPECT_THAT(picks(w, x, 3), ElementsAre("vcl1.s1", "vcl1.s2", "vcl1.s3"));
    EXPECT_THAT(picks(w, x, 2), ElementsAre("vcl1.s1", "vcl1.s2"));
    // next would be s3 (index 2); removing it must not leave the position past the end
    w.in_task(x.v, [&](VRT_CTX) { vmod_round_robin_remove_backend(ctx, x.rr, x.be[2]); });
    EXPECT_THAT(picks(w, x, 3), ElementsAre("vcl1.s1", "vcl1.s2", "vcl1.s1"));
    w.in_task(x.v, [&](VRT_CTX) { vmod_round_robin_remove_backend(ctx, x.rr, x.be[0]); });
    EXPECT_THAT(picks(w, x, 2), ElementsAre("vcl1.s2", "vcl1.s2"));
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(RoundRobin, F1_adding_a_null_backend_fails_the_task) {
  World w;
  w.endpoints({"s1"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1"});
    vdisim::vrt::Task t(w.rt, x.v, 0);
    vmod_round_robin_add_backend(t.ctx(), x.rr, nullptr);
    EXPECT_TRUE(t.failed());
    EXPECT_THAT(t.fail_message(), ::testing::HasSubstr("rr"));
    t.finish();
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(RoundRobin, D3_healthy_reports_any_member_and_newest_change) {
  World w;
  w.endpoints({"s1", "s2"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2"});
    VCL_BACKEND dir = nullptr;
    w.in_task(x.v, [&](VRT_CTX) { dir = vmod_round_robin_backend(ctx, x.rr); });
    w.sim.sleep_for(5'000'000'000);
    w.health("vcl1.s1", "sick");
    double t_s1 = VTIM_real();
    w.sim.sleep_for(1'000'000'000);
    w.in_task(x.v, [&](VRT_CTX) {
      VCL_TIME changed = 0;
      EXPECT_TRUE(VRT_Healthy(ctx, dir, &changed));
      EXPECT_DOUBLE_EQ(changed, t_s1);  // s1 (sick, changed later) is seen before s2
    });
    w.health("vcl1.s2", "sick");
    double t_s2 = VTIM_real();
    w.in_task(x.v, [&](VRT_CTX) {
      VCL_TIME changed = 0;
      EXPECT_FALSE(VRT_Healthy(ctx, dir, &changed));
      EXPECT_DOUBLE_EQ(changed, t_s2);
    });
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(RoundRobin, list_plain_and_json_like_backend_list) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1", "s2", "s3"});
    w.health("vcl1.s3", "sick");
    w.in_task(x.v, [&](VRT_CTX) {
      VCL_BACKEND dir = vmod_round_robin_backend(ctx, x.rr);
      auto list = [&](int p, int j) {
        struct vsb *vsb = VSB_new_auto();
        dir->vdir->methods->list(ctx, dir, vsb, p, j);
        EXPECT_EQ(VSB_finish(vsb), 0);
        std::string s = VSB_data(vsb);
        VSB_destroy(&vsb);
        return s;
      };
      EXPECT_EQ(list(0, 0), "2/3\thealthy");
      EXPECT_EQ(list(0, 1), "[2, 3, \"healthy\"]");
      EXPECT_EQ(list(1, 0), "\n\n\tBackend\tWeight\tHealth\n\ts1\t-\thealthy\n\ts2\t-\thealthy\n\ts3\t-\tsick\n");
      std::string j = list(1, 1);
      EXPECT_THAT(j, ::testing::HasSubstr("\"s3\": {\n"));
      EXPECT_THAT(j, ::testing::HasSubstr("\"health\": \"sick\""));
      struct vsb *vsb = VSB_new_auto();
      dir->vdir->methods->panic(dir, vsb);
      EXPECT_EQ(VSB_finish(vsb), 0);
      EXPECT_THAT(std::string(VSB_data(vsb)), ::testing::HasSubstr("n_backend = 3"));
      VSB_destroy(&vsb);
    });
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(RoundRobin, D7_lookup_finds_a_director_by_name_only_in_housekeeping) {
  World w;
  w.endpoints({"s1"});
  RunReport r = w.run([&] {
    RrVcl x = load_rr(w, {"s1"});
    w.in_task(x.v, [&](VRT_CTX) {
      VCL_BACKEND d = vmod_lookup(ctx, "rr");
      ASSERT_NE(d, nullptr);
      EXPECT_EQ(d, vmod_round_robin_backend(ctx, x.rr));
      EXPECT_EQ(vmod_lookup(ctx, "nope"), nullptr);
    }, VCL_MET_INIT);
    vdisim::vrt::Task t(w.rt, x.v, VCL_MET_RECV);
    EXPECT_EQ(vmod_lookup(t.ctx(), "rr"), nullptr);
    EXPECT_TRUE(t.failed());
    t.finish();
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}
