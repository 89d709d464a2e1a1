// random (spec F6): weighted draws from VRND over the healthy members, replayable by seed.
#include <gmock/gmock.h>

#include <cmath>

#include "directors/tests/fixture.hpp"

using namespace dtest;

namespace {

struct RndVcl {
  struct vcl *v = nullptr;
  struct vmod_directors_random *rnd = nullptr;
  std::vector<VCL_BACKEND> be;
};

RndVcl load_rnd(World &w, const std::vector<std::string> &names, const std::vector<double> &weights) {
  RndVcl x;
  x.v = w.rt.vcl_load("vcl1", {}, [&](VRT_CTX) {
    x.be = vcl_backends(ctx, names);
    vmod_random__init(ctx, &x.rnd, "rnd");
    on_fini(ctx, x.rnd, vmod_random__fini);
    for (std::size_t i = 0; i < x.be.size(); i++) vmod_random_add_backend(ctx, x.rnd, x.be[i], weights[i]);
  });
  return x;
}

// Backends chosen by n resolutions of the director in one backend-side task each.
std::vector<std::string> draws(World &w, const RndVcl &x, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; i++)
    out.push_back(w.request(x.v, [&](VRT_CTX) { return vmod_random_backend(ctx, x.rnd); }).backend);
  return out;
}

// |observed - expected| within `sigmas` binomial standard deviations.
void expect_share(const Tally &t, const std::string &b, int n, double p, double sigmas, std::uint64_t seed) {
  double expected = n * p, sd = std::sqrt(n * p * (1 - p));
  auto it = t.find(b);
  int got = it == t.end() ? 0 : it->second;
  EXPECT_LE(std::fabs(got - expected), sigmas * sd + 1e-9)
      << b << ": " << got << " of " << n << ", expected " << expected << " (seed " << seed << ")";
}

}  // namespace

TEST(Random, F6_weights_within_statistical_bounds_over_seeds) {
  const int n = 3000;
  for (std::uint64_t seed = 1; seed <= 4; seed++) {
    World w(seed);
    w.endpoints({"s1", "s2", "s3"});
    Tally t;
    RunReport r = w.run([&] {
      RndVcl x = load_rnd(w, {"s1", "s2", "s3"}, {1.0, 2.0, 7.0});
      for (const auto &b : draws(w, x, n)) t[b]++;
      w.retire_vcl("vcl1");
    });
    ASSERT_TRUE(r.ok()) << why(r);
    expect_share(t, "vcl1.s1", n, 0.1, 4.5, seed);
    expect_share(t, "vcl1.s2", n, 0.2, 4.5, seed);
    expect_share(t, "vcl1.s3", n, 0.7, 4.5, seed);
    EXPECT_TRUE(w.all_destroyed());
  }
}

TEST(Random, F6_sick_members_get_nothing_and_weights_renormalize) {
  const int n = 2000;
  World w(11);
  w.endpoints({"s1", "s2", "s3"});
  Tally t;
  RunReport r = w.run([&] {
    RndVcl x = load_rnd(w, {"s1", "s2", "s3"}, {1.0, 3.0, 6.0});
    w.health("vcl1.s3", "sick");
    for (const auto &b : draws(w, x, n)) t[b]++;
    w.health("vcl1.s*", "sick");
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_random_backend(ctx, x.rnd); }).kind,
              RequestResult::Kind::NoBackend);
    w.retire_vcl("vcl1");
  });
  ASSERT_TRUE(r.ok()) << why(r);
  EXPECT_EQ(t.count("vcl1.s3"), 0u);
  expect_share(t, "vcl1.s1", n, 0.25, 4.5, 11);
  expect_share(t, "vcl1.s2", n, 0.75, 4.5, 11);
}

TEST(Random, F6_zero_weight_members_are_never_picked) {
  World w(3);
  w.endpoints({"s1", "s2"});
  Tally t;
  RunReport r = w.run([&] {
    RndVcl x = load_rnd(w, {"s1", "s2"}, {0.0, 1.0});
    for (const auto &b : draws(w, x, 200)) t[b]++;
    w.health("vcl1.s2", "sick");  // only a zero-weight member left: none
    EXPECT_EQ(w.request(x.v, [&](VRT_CTX) { return vmod_random_backend(ctx, x.rnd); }).kind,
              RequestResult::Kind::NoBackend);
    w.retire_vcl("vcl1");
  });
  ASSERT_TRUE(r.ok()) << why(r);
  EXPECT_EQ(t["vcl1.s2"], 200);
}

TEST(Random, F6_same_seed_same_sequence_other_seed_other_sequence) {
  auto sequence = [](std::uint64_t seed) {
    World w(seed);
    w.endpoints({"s1", "s2", "s3"});
    std::vector<std::string> seq;
    RunReport r = w.run([&] {
      RndVcl x = load_rnd(w, {"s1", "s2", "s3"}, {1.0, 1.0, 1.0});
      seq = draws(w, x, 40);
      w.retire_vcl("vcl1");
    });
    EXPECT_TRUE(r.ok()) << why(r);
    return seq;
  };
  EXPECT_EQ(sequence(5), sequence(5));
  EXPECT_NE(sequence(5), sequence(6));
}
