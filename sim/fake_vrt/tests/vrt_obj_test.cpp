// vrt_obj.h as a vmod sees it inside a request: the simulated variables read what the
// runtime put in req/busyobj/http, assignments go through VRT_Assign_Backend and the
// workspace, and an unsimulated variable fails the task and returns zero.
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/fake_vrt/testing/harness.hpp"
#include "vcl.h"
#include "vrt_obj.h"
#include "vtim.h"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::vcl_backend;
using harness::World;

namespace {

struct Seen {
  std::string url, method, proto, top_url, set_url, bereq_url, identity, fail_msg;
  bool http_is_ctx = false, now_is_ctx = false, hint_round_trip = false, bereq_is_hint = false;
  bool unsim_is_null = false;
  VCL_INT restarts = -1, esi_level = -1, retries = -1, xid = 0, bexid = 0, max_restarts = 0;
  VCL_DURATION connect_timeout = 0;
};
Seen g_seen;
VCL_BACKEND g_leaf = nullptr;
VCL_BACKEND g_self = nullptr;

// Resolves in the backend task: what bereq.* and bereq.backend say there.
VCL_BACKEND obj_resolve(VRT_CTX, VCL_BACKEND) {
  g_seen.bereq_url = VRT_r_bereq_url(ctx);
  g_seen.bereq_is_hint = VRT_r_bereq_backend(ctx) == g_self;
  g_seen.retries = VRT_r_bereq_retries(ctx);
  g_seen.bexid = VRT_r_bereq_xid(ctx);
  return g_leaf;
}

const struct vdi_methods obj_methods = {VDI_METHODS_MAGIC, "vrt_obj", nullptr, nullptr, obj_resolve};

struct strands two_pieces(const char **p) {
  struct strands s{};
  s.magic = STRANDS_MAGIC;
  s.n = 2;
  s.p = p;
  return s;
}

// Loads a VCL with one backend and the spy director, then runs one request whose
// vcl_recv is `recv`; the run's report, and the request's result in *kind.
sim::RunReport one_request(World &w, std::function<VCL_BACKEND(VRT_CTX)> recv,
                           std::optional<RequestResult::Kind> *kind) {
  w.sim.spawn("cli", [&w, recv, kind] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      g_leaf = vcl_backend(ctx, "a", "a:80");
      g_self = VRT_AddDirector(ctx, &obj_methods, nullptr, "obj");
      ctx->vcl->fini.push_back([](VRT_CTX) {
        (void)ctx;
        VRT_DelDirector(&g_self);
      });
    });
    w.rt.vcl_use("boot");
    RequestHttp rh;
    rh.url = "/x?y=1";
    *kind = run_request(w.rt, v, recv, std::nullopt, rh).kind;
  });
  return w.run();
}

}  // namespace

TEST(VrtObj, req_variables_read_the_request_the_runtime_built) {
  World w;
  w.up("a:80");
  g_seen = {};
  std::optional<RequestResult::Kind> kind;
  sim::RunReport r = one_request(w, [](VRT_CTX) {
    g_seen.url = VRT_r_req_url(ctx);
    g_seen.method = VRT_r_req_method(ctx);
    g_seen.proto = VRT_r_req_proto(ctx);
    g_seen.top_url = VRT_r_req_top_url(ctx);
    g_seen.http_is_ctx = VRT_r_req(ctx) == ctx->http_req;
    g_seen.now_is_ctx = VRT_r_now(ctx) == ctx->now;
    g_seen.restarts = VRT_r_req_restarts(ctx);
    g_seen.esi_level = VRT_r_req_esi_level(ctx);
    g_seen.xid = VRT_r_req_xid(ctx);
    g_seen.identity = VRT_r_server_identity(ctx);
    g_seen.max_restarts = VRT_r_param_max_restarts(ctx);
    g_seen.connect_timeout = VRT_r_param_connect_timeout(ctx);
    return g_self;
  }, &kind);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(kind, RequestResult::Kind::Ok);
  EXPECT_EQ(g_seen.url, "/x?y=1");
  EXPECT_EQ(g_seen.method, "GET");
  EXPECT_EQ(g_seen.proto, "HTTP/1.1");
  EXPECT_EQ(g_seen.top_url, "/x?y=1") << "no ESI: the top request is the request";
  EXPECT_TRUE(g_seen.http_is_ctx);
  EXPECT_TRUE(g_seen.now_is_ctx);
  EXPECT_EQ(g_seen.restarts, 0);
  EXPECT_EQ(g_seen.esi_level, 0);
  EXPECT_GT(g_seen.xid, 0);
  EXPECT_EQ(g_seen.identity, "vdisim");
  EXPECT_EQ(g_seen.max_restarts, 4) << "8.0.0's default";
  EXPECT_DOUBLE_EQ(g_seen.connect_timeout, 3.5);
}

TEST(VrtObj, backend_hint_and_url_assignments_reach_the_backend_task) {
  World w;
  w.up("a:80");
  g_seen = {};
  std::optional<RequestResult::Kind> kind;
  sim::RunReport r = one_request(w, [](VRT_CTX) {
    VRT_l_req_backend_hint(ctx, g_self);
    g_seen.hint_round_trip = VRT_r_req_backend_hint(ctx) == g_self;
    const char *p[2] = {"/b", "?c=2"};
    struct strands s = two_pieces(p);
    VRT_l_req_url(ctx, "/a", &s);
    g_seen.set_url = VRT_r_req_url(ctx);
    return VRT_r_req_backend_hint(ctx);
  }, &kind);
  ASSERT_TRUE(r.ok()) << "the hint's reference is released like any other (A5)";
  EXPECT_EQ(kind, RequestResult::Kind::Ok);
  EXPECT_TRUE(g_seen.hint_round_trip);
  EXPECT_EQ(g_seen.set_url, "/a/b?c=2") << "prefix then the pieces, on the workspace";
  EXPECT_EQ(g_seen.bereq_url, "/a/b?c=2") << "bereq is made from the req after vcl_recv";
  EXPECT_TRUE(g_seen.bereq_is_hint) << "bereq.backend is what the client task chose";
  EXPECT_EQ(g_seen.retries, 0);
  EXPECT_GT(g_seen.bexid, 0);
}

TEST(VrtObj, unsimulated_variable_fails_the_task_and_returns_zero) {
  World w;
  w.up("a:80");
  g_seen = {};
  std::optional<RequestResult::Kind> kind;
  sim::RunReport r = one_request(w, [](VRT_CTX) {
    g_seen.unsim_is_null = VRT_r_client_ip(ctx) == nullptr;
    return g_self;
  }, &kind);
  ASSERT_TRUE(r.ok()) << "a failed task is VCL's business, not a failure of the run";
  EXPECT_TRUE(g_seen.unsim_is_null);
  EXPECT_EQ(kind, RequestResult::Kind::Failed);
}

// The unsimulated variables are generated from vrt_obj.h (vrt_obj_unsimulated.py): a read,
// an assignment and an unset each fail the task naming the VCL variable, the object part
// as VCL spells it (obj_stale.age, not obj.stale_age; req.http.* for the whole set).
TEST(VrtObj, an_unsimulated_variable_is_named_as_vcl_spells_it) {
  const std::vector<std::pair<std::function<void(VRT_CTX)>, std::string>> calls = {
      {[](VRT_CTX) { (void)VRT_r_obj_stale_age(ctx); }, "obj_stale.age"},
      {[](VRT_CTX) { VRT_l_req_ttl(ctx, 1.0); }, "req.ttl"},
      {[](VRT_CTX) { VRT_u_req_http(ctx); }, "req.http.*"},
      {[](VRT_CTX) { (void)VRT_r_req_top_time(ctx); }, "req_top.time"},
  };
  for (const auto &[call, var] : calls) {
    World w;
    w.up("a:80");
    g_seen = {};
    std::optional<RequestResult::Kind> kind;
    sim::RunReport r = one_request(w, [&call](VRT_CTX) {
      call(ctx);
      g_seen.fail_msg = Task::from(ctx)->fail_message();
      return g_self;
    }, &kind);
    ASSERT_TRUE(r.ok()) << var;
    EXPECT_EQ(g_seen.fail_msg, "vdisim: " + var + " is not simulated (vrt_obj.h)");
    EXPECT_EQ(kind, RequestResult::Kind::Failed) << var;
  }
}

TEST(VrtObj, status_assignment_refuses_what_no_status_can_be) {
  World w;
  w.up("a:80");
  bool failed_on_099 = false;
  w.sim.spawn("cli", [&] {
    struct vcl *v = w.rt.vcl_load("boot", {}, [](VRT_CTX) { g_leaf = vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    Task t(w.rt, v, VCL_MET_DELIVER);
    alignas(16) static char space[4096];
    struct ws ws[1];
    WS_Init(ws, "rsp", space, sizeof space);
    unsigned sz = HTTP_estimate(8);
    struct http *hp = HTTP_create(WS_Alloc(ws, sz), 8, sz);
    HTTP_Setup(hp, ws, nullptr, SLT_RespMethod);
    t.mutable_ctx()->http_resp = hp;
    VRT_l_resp_status(t.ctx(), 404);
    EXPECT_EQ(VRT_r_resp_status(t.ctx()), 404);
    EXPECT_STREQ(hp->hd[HTTP_HDR_STATUS].b, "404");
    EXPECT_FALSE(t.failed());
    VRT_l_resp_status(t.ctx(), 99);
    failed_on_099 = t.failed();
    EXPECT_EQ(VRT_r_resp_status(t.ctx()), 404) << "a refused status leaves the old one";
    t.finish();
  });
  ASSERT_TRUE(w.run().ok());
  EXPECT_TRUE(failed_on_099);
}

// VTIM_timespec/VTIM_timeval: whole seconds and the fraction in ns/us, floor for negative
// times (the fraction is never negative), truncated to whole units.
TEST(Vtim, timespec_and_timeval_split_seconds_and_carry) {
  struct timespec ts = VTIM_timespec(1.25);
  EXPECT_EQ(ts.tv_sec, 1);
  EXPECT_EQ(ts.tv_nsec, 250000000L);
  struct timeval tv = VTIM_timeval(1.25);
  EXPECT_EQ(tv.tv_sec, 1);
  EXPECT_EQ(tv.tv_usec, 250000);
  ts = VTIM_timespec(-0.5);
  EXPECT_EQ(ts.tv_sec, -1);
  EXPECT_EQ(ts.tv_nsec, 500000000L);
  tv = VTIM_timeval(2.0 - 1e-12);
  EXPECT_EQ(tv.tv_sec, 1);
  EXPECT_EQ(tv.tv_usec, 999999);
}
