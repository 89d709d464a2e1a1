// Vmod code that keeps a pointer into a request's workspace and reads it in the next
// request, after the first ended, built only as a test target: ctest
// `memcheck_catches_stale_workspace` runs it under scripts/memcheck and passes only if
// memcheck reports the read. Workspace slots are reused (workspace_pool.hpp), oldest freed
// first; a free one must stay unaddressable. Never run natively.
#include <cstdio>

#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/testing/harness.hpp"

using namespace vdisim;
using vdisim::vrt::harness::World;

int main() {
  World w;
  w.up("a:80");
  const char *kept = nullptr;
  char seen = 0;
  w.sim.spawn("cli", [&] {
    VCL_BACKEND a = nullptr;
    struct vcl *boot = w.rt.vcl_load("boot", {}, [&](VRT_CTX) { a = vrt::harness::vcl_backend(ctx, "a", "a:80"); });
    w.rt.vcl_use("boot");
    vrt::run_request(w.rt, boot, [&](VRT_CTX) {
      kept = static_cast<const char *>(WS_Copy(ctx->ws, "kept", -1));
      return a;
    });
    // The next request, under way, has taken other slots: the kept pointer's is still free.
    vrt::run_request(w.rt, boot, [&](VRT_CTX) {
      (void)ctx;
      seen = *static_cast<const volatile char *>(kept);  // the report names this file
      return a;
    });
  });
  w.run();
  std::printf("stale workspace canary ran (%d)\n", seen);
  return 0;
}
