// Scripted servers: an endpoint answers its first probe polls and its first fetches from
// two scripts of the same answers (counted apart), then by its mode; a script step's
// latency holds from that step on; a fetch's answer reaches the request as Varnish
// delivers it (a 5xx is a response with beresp.status set, empty/timeout/refuse a 503).
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "cache/cache.h"
#include "sim/fake_vrt/testing/harness.hpp"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;

namespace {

LatencySpec fixed(std::int64_t ns) { return LatencySpec{LatencySpec::Dist::Fixed, ns, 0}; }

}  // namespace

TEST(Endpoint, fetch_and_probe_scripts_are_answered_apart_then_the_mode) {
  EndpointSpec s;
  s.latency = fixed(3);
  s.probe_replies = {Reply{Reply::Kind::Refuse}};
  s.fetch_replies = {Reply{Reply::Kind::Status, 500}, Reply{Reply::Kind::Empty}, Reply{Reply::Kind::Timeout},
                     Reply{Reply::Kind::Status, 404, 7}, Reply{Reply::Kind::Refuse}};
  Endpoint e("a:80", s, 1);
  sim::Prng p(1);
  Outcome o = e.fetch(0, 100, p);
  EXPECT_TRUE(o.connected);
  EXPECT_EQ(o.status, 500);
  EXPECT_EQ(o.latency_ns, 3);  // the server's latency
  EXPECT_FALSE(e.probe(0, 100, p).connected) << "the probe script is its own";
  o = e.fetch(0, 100, p);
  EXPECT_TRUE(o.connected && o.empty);
  o = e.fetch(0, 100, p);
  EXPECT_TRUE(o.timed_out);
  EXPECT_EQ(o.latency_ns, 100);
  o = e.fetch(0, 100, p);
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.latency_ns, 7);
  EXPECT_TRUE(o.scripted_after);
  EXPECT_FALSE(e.fetch(0, 100, p).connected);
  o = e.fetch(0, 100, p);  // the script is used up: mode up
  EXPECT_EQ(o.status, 200);
  EXPECT_FALSE(o.scripted_after);
  EXPECT_EQ(e.probe(0, 100, p).status, 200);
}

TEST(Endpoint, a_script_steps_latency_holds_until_a_later_step_sets_another) {
  EndpointSpec s;
  s.latency = fixed(3);
  s.script = {{10, EndpointState::Up, fixed(50)}, {20, EndpointState::Refuse}, {30, EndpointState::Up},
              {40, EndpointState::Up, fixed(7)}};
  s.fetch_replies = {Reply{Reply::Kind::Status, 500}};
  Endpoint e("a:80", s, 1);
  sim::Prng p(1);
  EXPECT_EQ(e.exchange(5, 0, p).latency_ns, 3);
  EXPECT_EQ(e.fetch(15, 0, p).latency_ns, 50) << "a scripted answer without `after` takes the step's latency";
  EXPECT_FALSE(e.exchange(25, 0, p).connected);
  EXPECT_EQ(e.exchange(35, 0, p).latency_ns, 50) << "a step without latency keeps the one before";
  EXPECT_EQ(e.exchange(45, 0, p).latency_ns, 7);
}

TEST(Endpoint, a_fetch_answer_reaches_the_request_as_varnish_delivers_it) {
  World w;
  EndpointSpec s;
  s.latency = fixed(1'000'000);
  s.fetch_replies = {Reply{Reply::Kind::Status, 503}, Reply{Reply::Kind::Empty}};
  w.endpoint("a:80", s);
  std::vector<RequestResult> r;
  std::vector<unsigned> beresp_status;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND leaf = nullptr;
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { leaf = vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    auto seen = [&](VRT_CTX) { beresp_status.push_back(ctx->http_beresp->status); };
    for (int i = 0; i < 3; i++)
      r.push_back(run_request(w.rt, v, [&](VRT_CTX) { (void)ctx; return leaf; }, std::nullopt, {}, seen));
  });
  ASSERT_TRUE(w.run().ok());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].kind, RequestResult::Kind::Ok) << "a 5xx is a response";
  EXPECT_EQ(r[0].status, 503);
  EXPECT_EQ(r[1].kind, RequestResult::Kind::FetchError) << "an empty answer is a fetch error";
  EXPECT_EQ(r[1].status, 503);
  EXPECT_EQ(r[2].kind, RequestResult::Kind::Ok);
  EXPECT_EQ(r[2].status, 200);
  EXPECT_EQ(beresp_status, (std::vector<unsigned>{503, 200})) << "vcl_backend_response sees beresp.status";
  EXPECT_EQ(w.rt.backends().stats("boot.a").errors, 1u);
}
