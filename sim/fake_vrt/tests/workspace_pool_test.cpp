// Workspace buffers (workspace_pool.hpp): Varnish 8.0.0's default size where vmod code
// sees a workspace, and the slot layout that keeps a workspace in use to one page.
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"
#include "sim/fake_vrt/workspace_pool.hpp"

using namespace vdisim;
using namespace vdisim::vrt;
using harness::World;

namespace {

// Free bytes of a workspace with nothing reserved.
unsigned ws_free(struct ws *ws) { return static_cast<unsigned>(ws->e - ws->f); }

std::size_t resident_pages(const char *from, const char *to) {
  const std::uintptr_t page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  std::uintptr_t lo = reinterpret_cast<std::uintptr_t>(from) & ~(page - 1);
  std::uintptr_t hi = (reinterpret_cast<std::uintptr_t>(to) + page - 1) & ~(page - 1);
  std::vector<unsigned char> vec((hi - lo) / page);
  if (::mincore(reinterpret_cast<void *>(lo), hi - lo, vec.data()) != 0) return SIZE_MAX;
  std::size_t n = 0;
  for (unsigned char v : vec) n += v & 1;
  return n;
}

}  // namespace

// varnishd runs vcl_init on its CLI workspace of workspace_client bytes and a request on
// one of workspace_client, a fetch on one of workspace_backend: 96k each by default. A
// vmod that needs more than the 32k vdisim had (the shard director's reconfiguration of
// 1,024 backends in vcl_init) failed here and not in Varnish.
TEST(Workspace, vcl_init_and_requests_get_varnishs_default_96k) {
  World w;
  w.up("a:80");
  unsigned init_free = 0, recv_free = 0, fetch_free = 0;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND a = nullptr;
    struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) {
      init_free = ws_free(ctx->ws);
      a = harness::vcl_backend(ctx, "a", "a:80");
    });
    w.rt.vcl_use("boot");
    auto r = run_request(w.rt, boot, [&](VRT_CTX) {
      recv_free = ws_free(ctx->ws);
      return a;
    }, std::nullopt, {}, [&](VRT_CTX) { fetch_free = ws_free(ctx->ws); });
    EXPECT_EQ(r.kind, RequestResult::Kind::Ok);
  });
  ASSERT_FALSE(w.run().failure);
  // The whole 96k less the guard word; a request's less its http objects and strings.
  EXPECT_EQ(init_free, 96u * 1024 - sizeof(void *));
  EXPECT_GT(recv_free, 90u * 1024);
  EXPECT_LT(recv_free, 96u * 1024);
  EXPECT_GT(fetch_free, 88u * 1024);
  EXPECT_LT(fetch_free, 96u * 1024);
}

// Eight workspaces in use, each with 3.5k written at its start (a busyobj's three http
// objects and its strings), keep nine pages resident: each slot's first page, and the
// page past the last where its guard bytes fall. A workspace on the heap kept one to two
// pages more each (its start straddling a page, its guard on a page of its own).
TEST(Workspace, a_workspace_in_use_keeps_one_page) {
  std::size_t pages = 0;
  bool adjacent = true;
  std::thread fresh([&] {  // a thread of its own: an arena nothing touched yet
    std::vector<std::unique_ptr<WorkspaceBuffer>> bufs;
    std::vector<struct ws> wss(8);
    for (std::size_t i = 0; i < 8; i++) {
      bufs.push_back(std::make_unique<WorkspaceBuffer>());
      WS_Init(&wss[i], "req", bufs[i]->get(), kWorkspaceBytes);
      void *p = WS_Alloc(&wss[i], 3500);
      ASSERT_NE(p, nullptr);
      std::memset(p, 'x', 3500);
      if (i > 0) adjacent = adjacent && bufs[i]->get() == bufs[i - 1]->get() + kWorkspaceBytes;
    }
    pages = resident_pages(bufs.front()->get(), bufs.back()->get() + kWorkspaceBytes);
    for (auto &ws : wss) WS_Assert(&ws);  // every guard byte intact
  });
  fresh.join();
  EXPECT_TRUE(adjacent);
  EXPECT_EQ(pages, 9u);
}

// A buffer given back is taken again only after the other free ones (a stale pointer into
// it stays an invalid access under Valgrind and ASan meanwhile), and then it is.
TEST(Workspace, a_given_back_buffer_is_taken_after_the_other_free_ones) {
  const char *first = nullptr;
  {
    WorkspaceBuffer b;
    first = b.get();
  }
  bool reused_at_once = false, reused_later = false;
  for (int i = 0; i < 200 && !reused_later; i++) {
    WorkspaceBuffer b;
    if (b.get() == first) (i == 0 ? reused_at_once : reused_later) = true;
  }
  EXPECT_FALSE(reused_at_once);
  EXPECT_TRUE(reused_later);
}
