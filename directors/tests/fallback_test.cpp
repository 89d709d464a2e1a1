// fallback (spec F5): first healthy in insertion order; sticky failover and failback.
#include <gmock/gmock.h>

#include "directors/tests/fixture.hpp"

using namespace dtest;
using ::testing::ElementsAre;

namespace {

struct FbVcl {
  struct vcl *v = nullptr;
  struct vmod_directors_fallback *fb = nullptr;
  std::vector<VCL_BACKEND> be;
};

FbVcl load_fb(World &w, const std::vector<std::string> &names, bool sticky) {
  FbVcl x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    x.be = vcl_backends(ctx, names);
    vmod_fallback__init(ctx, &x.fb, "fb", sticky);
    on_fini(ctx, x.fb, vmod_fallback__fini);
    for (VCL_BACKEND b : x.be) vmod_fallback_add_backend(ctx, x.fb, b);
  });
  return x;
}

std::string pick(World &w, const FbVcl &x) {
  return w.request(x.v, [&](VRT_CTX) { return vmod_fallback_backend(ctx, x.fb); }).backend;
}

std::vector<std::string> picks(World &w, const FbVcl &x, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; i++) out.push_back(pick(w, x));
  return out;
}

}  // namespace

TEST(Fallback, F5_first_healthy_in_insertion_order_under_a_health_timeline) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    FbVcl x = load_fb(w, {"s1", "s2", "s3"}, false);
    EXPECT_THAT(picks(w, x, 2), ElementsAre("vcl1.s1", "vcl1.s1"));
    w.health("vcl1.s1", "sick");
    EXPECT_THAT(picks(w, x, 2), ElementsAre("vcl1.s2", "vcl1.s2"));
    w.health("vcl1.s2", "sick");
    EXPECT_EQ(pick(w, x), "vcl1.s3");
    w.health("vcl1.s2", "healthy");  // failback to the earlier one at once
    EXPECT_EQ(pick(w, x), "vcl1.s2");
    w.health("vcl1.s1", "auto");
    EXPECT_EQ(pick(w, x), "vcl1.s1");
    w.health("vcl1.s*", "sick");
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_fallback_backend(ctx, x.fb); }).kind,
              RequestResult::Kind::NoBackend);
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
  EXPECT_TRUE(w.all_destroyed());
}

TEST(Fallback, F5_sticky_keeps_the_current_backend_after_an_earlier_one_recovers) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    FbVcl x = load_fb(w, {"s1", "s2", "s3"}, true);
    EXPECT_EQ(pick(w, x), "vcl1.s1");
    w.health("vcl1.s1", "sick");  // failover
    EXPECT_EQ(pick(w, x), "vcl1.s2");
    w.health("vcl1.s1", "auto");  // no failback while s2 stays healthy
    EXPECT_THAT(picks(w, x, 3), ElementsAre("vcl1.s2", "vcl1.s2", "vcl1.s2"));
    w.health("vcl1.s2", "sick");  // scan resumes from s2: s3 before s1
    EXPECT_EQ(pick(w, x), "vcl1.s3");
    w.health("vcl1.s3", "sick");  // wraps around to s1
    EXPECT_EQ(pick(w, x), "vcl1.s1");
    w.health("vcl1.s2", "auto");
    w.health("vcl1.s3", "auto");
    EXPECT_EQ(pick(w, x), "vcl1.s1");
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Fallback, F1_remove_backend_moves_the_sticky_position_with_it) {
  World w;
  w.endpoints({"s1", "s2", "s3"});
  RunReport r = w.run([&] {
    FbVcl x = load_fb(w, {"s1", "s2", "s3"}, true);
    w.health("vcl1.s1", "sick");
    w.health("vcl1.s2", "sick");
    EXPECT_EQ(pick(w, x), "vcl1.s3");  // cur = 2
    w.health("vcl1.s1", "auto");
    w.health("vcl1.s2", "auto");
    // removing s1 (before cur) shifts cur down so it still points at s3
    w.in_task(x.v, [&](VRT_CTX) { vmod_fallback_remove_backend(ctx, x.fb, x.be[0]); });
    EXPECT_EQ(pick(w, x), "vcl1.s3");
    // removing the current one (the last) wraps cur to the start
    w.in_task(x.v, [&](VRT_CTX) { vmod_fallback_remove_backend(ctx, x.fb, x.be[2]); });
    EXPECT_EQ(pick(w, x), "vcl1.s2");
    // removing a backend that is not a member changes nothing
    w.in_task(x.v, [&](VRT_CTX) { vmod_fallback_remove_backend(ctx, x.fb, x.be[0]); });
    EXPECT_EQ(pick(w, x), "vcl1.s2");
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}

TEST(Fallback, list_marks_the_current_backend) {
  World w;
  w.endpoints({"s1", "s2"});
  RunReport r = w.run([&] {
    FbVcl x = load_fb(w, {"s1", "s2"}, true);
    w.health("vcl1.s1", "sick");
    EXPECT_EQ(pick(w, x), "vcl1.s2");
    w.in_task(x.v, [&](VRT_CTX) {
      VCL_BACKEND dir = vmod_fallback_backend(ctx, x.fb);
      struct vsb *vsb = VSB_new_auto();
      dir->vdir->methods->list(ctx, dir, vsb, 1, 0);
      EXPECT_EQ(VSB_finish(vsb), 0);
      EXPECT_EQ(std::string(VSB_data(vsb)),
                "\n\n\tBackend\tCurrent\tHealth\n\ts1\t\tsick\n\ts2\t*\thealthy\n");
      VSB_clear(vsb);
      dir->vdir->methods->list(ctx, dir, vsb, 1, 1);
      EXPECT_EQ(VSB_finish(vsb), 0);
      EXPECT_THAT(std::string(VSB_data(vsb)), ::testing::HasSubstr("\"sticky\": true,"));
      VSB_destroy(&vsb);
    });
    w.retire_vcl("vcl1");
  });
  EXPECT_TRUE(r.ok()) << why(r);
}
