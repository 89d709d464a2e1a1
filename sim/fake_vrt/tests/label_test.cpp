// VCL labels in the runtime (docs/cli-rules.md L1..L6, K1): the reference a label holds, the
// refusals that follow from it, and a request's return (vcl(LABEL)). The scenario loader
// refuses the same timelines statically; these check the runtime on its own.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>
#include <stdexcept>

#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "vcl.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;

namespace {

// Two servers up; load() makes boot (active) and v2, each with one backend, on the CLI actor.
struct TwoVcls {
  struct vcl *boot = nullptr, *v2 = nullptr;
  VCL_BACKEND boot_be = nullptr, v2_be = nullptr;
  explicit TwoVcls(World &w) {
    w.up("a:80");
    w.up("b:80");
  }
  void load(World &w) {
    boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { boot_be = vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    v2 = w.rt.vcl_load("v2", {}, [&](VRT_CTX) { v2_be = vcl_backend(ctx, "b", "b:80"); });
  }
};

}  // namespace

TEST(Labels, L4_a_label_keeps_its_vcl_warm_and_undiscardable_until_it_moves) {
  World w;
  TwoVcls t(w);
  w.sim.spawn("cli", [&] {
    t.load(w);
    w.rt.vcl_label("prod", "v2");
    EXPECT_EQ(t.v2->nlabels, 1);
    EXPECT_THROW(w.rt.vcl_state("v2", "cold"), std::invalid_argument);
    EXPECT_THROW(w.rt.vcl_discard("v2"), std::invalid_argument);
    w.rt.vcl_state("v2", "auto");
    EXPECT_EQ(t.v2->temp, Temp::Warm) << "auto stays warm while labelled";
    w.rt.vcl_label("prod", "boot");  // the reference moves
    EXPECT_EQ(t.v2->nlabels, 0);
    EXPECT_EQ(t.boot->nlabels, 1);
    w.rt.vcl_state("v2", "auto");
    EXPECT_EQ(t.v2->temp, Temp::Cold);
    w.rt.vcl_discard("prod");
    EXPECT_EQ(t.boot->nlabels, 0);
    EXPECT_EQ(w.rt.label_target("prod"), nullptr);
  });
  ASSERT_TRUE(w.run().ok());
}

TEST(Labels, L1_L2_L5_names_and_refusals) {
  World w;
  TwoVcls t(w);
  w.sim.spawn("cli", [&] {
    t.load(w);
    EXPECT_THROW(w.rt.vcl_label("v2", "boot"), std::invalid_argument) << "L1: a VCL is not a label";
    w.rt.vcl_label("prod", "v2");
    EXPECT_THROW(w.rt.vcl_load("prod", {}, nullptr), std::invalid_argument) << "L1: one name space";
    EXPECT_THROW(w.rt.vcl_label("stage", "prod"), std::invalid_argument) << "L2: not at a label";
    EXPECT_THROW(w.rt.vcl_state("prod", "warm"), std::invalid_argument) << "L5";
    w.rt.vcl_use("prod");
    EXPECT_EQ(w.rt.active_vcl(), t.v2);
    EXPECT_THROW(w.rt.vcl_discard("prod"), std::invalid_argument) << "L6: the active label stays";
  });
  ASSERT_TRUE(w.run().ok());
}

// As Varnish's vcl0: the VCL a request started in stays busy until the request ends, and
// the label's VCL is busy too while the request goes on there.
TEST(Labels, L6_return_vcl_goes_on_in_the_label_vcl_and_keeps_the_first_busy) {
  World w;
  TwoVcls t(w);
  std::optional<RequestResult> res;
  int boot_busy = -1, v2_busy = -1, recv_in_v2 = 0;
  w.sim.spawn("cli", [&] {
    t.load(w);
    w.rt.vcl_label("prod", "v2");
    res = run_request(w.rt, t.boot, [&](VRT_CTX) -> VCL_BACKEND {
      if (ctx->vcl == t.boot) {
        select_vcl(ctx, "prod");
        return nullptr;
      }
      recv_in_v2++;
      boot_busy = t.boot->busy;
      v2_busy = t.v2->busy;
      return t.v2_be;
    });
  });
  ASSERT_TRUE(w.run().ok());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->kind, RequestResult::Kind::Ok);
  EXPECT_EQ(res->backend, "v2.b");
  EXPECT_EQ(recv_in_v2, 1);
  EXPECT_EQ(boot_busy, 1);
  EXPECT_EQ(v2_busy, 1);
  EXPECT_EQ(t.boot->busy, 0);
  EXPECT_EQ(t.v2->busy, 0);
}

TEST(Labels, L6_a_second_return_vcl_fails_the_request) {
  World w;
  TwoVcls t(w);
  std::optional<RequestResult> res;
  w.sim.spawn("cli", [&] {
    t.load(w);
    w.rt.vcl_label("prod", "v2");
    res = run_request(w.rt, t.boot, [&](VRT_CTX) -> VCL_BACKEND {
      select_vcl(ctx, "prod");
      return nullptr;
    });
  });
  ASSERT_TRUE(w.run().ok());
  ASSERT_TRUE(res);
  EXPECT_EQ(res->kind, RequestResult::Kind::Failed);
  EXPECT_EQ(t.v2->busy, 0);
}

// K1: a VCL loaded cold goes INIT -> COLD: its vmods hear LOAD and nothing more until it is
// warmed (`vcl.state warm`, or `auto` and then use; WARM then); discarded after cooling again, COLD then DISCARD. One never warmed
// hears DISCARD only.
TEST(CliOps, K1_a_vcl_loaded_cold_hears_load_only_until_it_is_warmed) {
  World w;
  w.up("a:80");
  std::map<std::string, std::vector<vcl_event_e>> heard;
  auto hook = [&](const std::string &vcl) {
    return std::vector<VmodHook>{{"m", [&heard, vcl](VRT_CTX, vcl_event_e e) {
                                    (void)ctx;
                                    heard[vcl].push_back(e);
                                    return 0;
                                  }}};
  };
  w.sim.spawn("cli", [&] {
    w.rt.vcl_load("boot", hook("boot"), [&](VRT_CTX) { vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    struct vcl *staged = w.rt.vcl_load("staged", hook("staged"), nullptr, "cold");
    struct vcl *never = w.rt.vcl_load("never", hook("never"), nullptr, "cold");
    EXPECT_EQ(staged->temp, Temp::Cold);
    EXPECT_EQ(heard["staged"], std::vector<vcl_event_e>{VCL_EVENT_LOAD});
    w.rt.vcl_state("staged", "auto");
    EXPECT_EQ(staged->temp, Temp::Cold) << "auto warms only a VCL in use (active or labelled)";
    EXPECT_EQ(heard["staged"], std::vector<vcl_event_e>{VCL_EVENT_LOAD});
    w.rt.vcl_state("staged", "warm");
    EXPECT_EQ(staged->temp, Temp::Warm);
    EXPECT_EQ(heard["staged"], (std::vector<vcl_event_e>{VCL_EVENT_LOAD, VCL_EVENT_WARM}));
    w.rt.vcl_state("staged", "cold");
    w.rt.vcl_discard("staged");
    w.rt.vcl_discard("never");
    (void)never;
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_EQ(heard["staged"],
            (std::vector<vcl_event_e>{VCL_EVENT_LOAD, VCL_EVENT_WARM, VCL_EVENT_COLD, VCL_EVENT_DISCARD}));
  EXPECT_EQ(heard["never"], (std::vector<vcl_event_e>{VCL_EVENT_LOAD, VCL_EVENT_DISCARD}));
}
