// The functions of vrt.h and cache/*.h that vdisim declares but does not model
// (objects, bans, storage, bodies, synthetic responses, sessions, VSC, VCL subs).
// Calling one is a clear failure, never a made-up answer: with a ctx it fails the task
// (VRT_fail "vdisim: <fn> is not simulated"), without one it fails the run like a
// failed assert (rule UNSIMULATED). Pure and task functions live elsewhere.
//
// Where each declared function is defined:
//   http.c http_edit.c http_parse.c   http_*, HTTP_* on struct http (not the *Pack ones)
//   rfc2616.c                         RFC2616_Req_Gzip, _Weaken_Etag, _Vary_AE, _Strong_LM
//   vrt_types.c                       STRANDS, BLOB, INT/REAL/BOOL/TIME strings, strcmp
//   vrt_ip.c                          VCL_IP functions, VRT_Format_Proxy, VRT_acl_match,
//                                     VRT_Endpoint_Clone
//   vrt_re.c                          VRT_re_match, VRT_regsub (vlib's VRE)
//   vrt_http.c                        VRT_selecthttp, VRT_GetHdr/SetHdr/UnsetHdr/ValidHdr,
//                                     VRT_hashdata
//   vrt_task.cpp                      VRT_CTX_Assert, VRT_handling/handled/trace,
//                                     VRT_priv_fini/top/top_get, VSLbt/VSLs/VSLb_ts/VSLb_bin,
//                                     VSL_tag_is_masked, Lck_*Class, VCL_Name, cli_thread
//   c_api.cpp                         VAS_Fail, VTIM_*, VRND_*, VSL/VSLb/VSLbv/VSLbs, Lck_*,
//                                     VRT_fail, VRT_priv_task(_get), VRT_HashStrands32
//   vrt_director.cpp vcl_temp.cpp     directors, VRT_VCL_Prevent/Allow_*
//   backend.cpp                       VRT_new_backend(_clustered), VRT_delete_backend
//   ws.c vsb.c                        WS_*, VSB_*
//   http.c                            BS_*, SC_*, H_* tables; vrt_types.c: VDI_AH_*
//   this file                         everything below: not simulated (VRT_backend_vsm_need
//                                     answers 0: vdisim has no shared memory to size)
#include <fmt/format.h>

#include <cstdarg>

#include "sim/fake_vrt/runtime.hpp"
#include "cache/cache_backend.h"
#include "cache/cache_filter.h"

using vdisim::sim::Sim;

namespace {

[[noreturn]] void refuse(const char *fn) {
  std::string msg = fmt::format("vdisim: {} is not simulated", fn);
  Sim *s = Sim::current();
  if (s == nullptr) {
    std::fprintf(stderr, "%s (outside a run)\n", msg.c_str());
    std::abort();
  }
  s->fail("UNSIMULATED", msg);
}

}  // namespace

#define VDISIM_REFUSE() refuse(__func__)
#define VDISIM_FAIL_TASK(ctx)                                        \
  do {                                                               \
    CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);                           \
    VRT_fail(ctx, "vdisim: %s is not simulated", __func__);          \
  } while (0)

extern "C" {

// ---- bans, objects, request bodies, sessions, background threads (no ctx) ----

struct ban_proto *BAN_Build(void) { VDISIM_REFUSE(); }
const char *BAN_AddTest(struct ban_proto *, const char *, const char *, const char *) { VDISIM_REFUSE(); }
const char *BAN_Commit(struct ban_proto *) { VDISIM_REFUSE(); }
void BAN_Abandon(struct ban_proto *) { VDISIM_REFUSE(); }

void HTTP_Merge(struct worker *, struct objcore *, struct http *) { VDISIM_REFUSE(); }
uint16_t HTTP_GetStatusPack(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
int HTTP_IterHdrPack(struct worker *, struct objcore *, const char **) { VDISIM_REFUSE(); }
const char *HTTP_GetHdrPack(struct worker *, struct objcore *, hdr_t) { VDISIM_REFUSE(); }

int ObjHasAttr(struct worker *, struct objcore *, enum obj_attr) { VDISIM_REFUSE(); }
const void *ObjGetAttr(struct worker *, struct objcore *, enum obj_attr, ssize_t *) { VDISIM_REFUSE(); }
int ObjIterate(struct worker *, struct objcore *, void *, objiterate_f *, int) { VDISIM_REFUSE(); }
vxid_t ObjGetXID(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
uint64_t ObjGetLen(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
int ObjGetDouble(struct worker *, struct objcore *, enum obj_attr, double *) { VDISIM_REFUSE(); }
int ObjGetU64(struct worker *, struct objcore *, enum obj_attr, uint64_t *) { VDISIM_REFUSE(); }
int ObjCheckFlag(struct worker *, struct objcore *, enum obj_flags) { VDISIM_REFUSE(); }
vai_hdl ObjVAIinit(struct worker *, struct objcore *, struct ws *, vai_notify_cb *, void *) { VDISIM_REFUSE(); }
int ObjVAIlease(struct worker *, vai_hdl, struct vscarab *) { VDISIM_REFUSE(); }
int ObjVAIbuffer(struct worker *, vai_hdl, struct vscarab *) { VDISIM_REFUSE(); }
void ObjVAIreturn(struct worker *, vai_hdl, struct vscaret *) { VDISIM_REFUSE(); }
void ObjVAIfini(struct worker *, vai_hdl *) { VDISIM_REFUSE(); }

ssize_t VRB_Iterate(struct worker *, struct vsl_log *, struct req *, objiterate_f *, void *) {
  VDISIM_REFUSE();
}

#define SESS_ATTR(UP, low, typ, len) \
  int SES_Get_##low(const struct sess *, typ **) { refuse("SES_Get_" #low); }
#include "tbl/sess_attr.h"
const char *SES_Get_String_Attr(const struct sess *, enum sess_attr) { VDISIM_REFUSE(); }

void RFC2616_Ttl(struct busyobj *, vtim_real, vtim_real *, float *, float *, float *) { VDISIM_REFUSE(); }
int RFC2616_Do_Cond(const struct req *) { VDISIM_REFUSE(); }

void WRK_BgThread(pthread_t *, const char *, bgthread_t *, void *) { VDISIM_REFUSE(); }

// ---- backend probes of cache/cache_backend.h (vdisim's probes are its own) ----

void VBP_Update_Backend(struct vbp_target *) { VDISIM_REFUSE(); }
void VBP_Insert(struct backend *, struct vrt_backend_probe const *, struct conn_pool *) { VDISIM_REFUSE(); }
void VBP_Remove(struct backend *) { VDISIM_REFUSE(); }
void VBP_Control(const struct backend *, int) { VDISIM_REFUSE(); }
void VBP_Status(struct vsb *, const struct backend *, int, int) { VDISIM_REFUSE(); }
void VBE_Connect_Error(struct VSC_vbe *, int) { VDISIM_REFUSE(); }

// ---- body filters of cache/cache_filter.h: no bodies move in vdisim ----

enum vfp_status VFP_Suck(struct vfp_ctx *, void *, ssize_t *) { VDISIM_REFUSE(); }
int VDP_bytes(struct vdp_ctx *, enum vdp_action, const void *, ssize_t) { VDISIM_REFUSE(); }
uint64_t VDPIO_Close1(struct vdp_ctx *, struct vdp_entry *) { VDISIM_REFUSE(); }
int VDPIO_Init(struct vdp_ctx *, struct objcore *, struct ws *, vai_notify_cb *, void *, struct vscaret *) {
  VDISIM_REFUSE();
}
void VDPIO_Return(const struct vdp_ctx *) { VDISIM_REFUSE(); }
void VDPIO_Fini(struct vdp_ctx *) { VDISIM_REFUSE(); }

// Marks the fetch failed, as Varnish does; only a filter (never run here) has a vfp_ctx.
enum vfp_status VFP_Error(struct vfp_ctx *vc, const char *fmt, ...) {
  CHECK_OBJ_NOTNULL(vc, VFP_CTX_MAGIC);
  if (!vc->failed) {
    va_list ap;
    va_start(ap, fmt);
    VSLbv(vc->wrk != nullptr ? vc->wrk->vsl : nullptr, SLT_FetchError, fmt, ap);
    va_end(ap);
    vc->failed = 1;
  }
  return VFP_ERROR;
}

// ---- storage and counters (no ctx) ----

VCL_STEVEDORE VRT_stevedore(const char *) { VDISIM_REFUSE(); }
int VRT_Stv(const char *) { VDISIM_REFUSE(); }
// NULL prints as NULL; no other stevedore can exist in vdisim.
VCL_STRING VRT_STEVEDORE_string(VCL_STEVEDORE sv) {
  if (sv == nullptr) return nullptr;
  VDISIM_REFUSE();
}

void *VRT_VSC_Allocv(struct vsmw_cluster *, struct vsc_seg **, const char *, size_t, const unsigned char *,
                     size_t, const char *, va_list) {
  VDISIM_REFUSE();
}
void *VRT_VSC_Alloc(struct vsmw_cluster *, struct vsc_seg **, const char *, size_t, const unsigned char *,
                    size_t, const char *, ...) {
  VDISIM_REFUSE();
}
void VRT_VSC_Destroy(const char *, struct vsc_seg *) { VDISIM_REFUSE(); }
void VRT_VSC_Hide(const struct vsc_seg *) { VDISIM_REFUSE(); }
void VRT_VSC_Reveal(const struct vsc_seg *) { VDISIM_REFUSE(); }
size_t VRT_VSC_Overhead(size_t) { VDISIM_REFUSE(); }

size_t VRT_backend_vsm_need(VRT_CTX) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  return 0;
}

// ---- VCL actions with a ctx: the task fails ----

struct vsmw_cluster *VRT_VSM_Cluster_New(VRT_CTX, size_t) {
  VDISIM_FAIL_TASK(ctx);
  return nullptr;
}
void VRT_VSM_Cluster_Destroy(VRT_CTX, struct vsmw_cluster **) { VDISIM_FAIL_TASK(ctx); }

VCL_BYTES VRT_CacheReqBody(VRT_CTX, VCL_BYTES) {
  VDISIM_FAIL_TASK(ctx);
  return -1;
}
VCL_STRING VRT_ban_string(VRT_CTX, VCL_STRING) {
  VDISIM_FAIL_TASK(ctx);
  return nullptr;
}
VCL_INT VRT_purge(VRT_CTX, VCL_DURATION, VCL_DURATION, VCL_DURATION) {
  VDISIM_FAIL_TASK(ctx);
  return 0;
}
VCL_VOID VRT_synth(VRT_CTX, VCL_INT, VCL_STRING) { VDISIM_FAIL_TASK(ctx); }
VCL_VOID VRT_synth_strands(VRT_CTX, VCL_STRANDS) { VDISIM_FAIL_TASK(ctx); }
VCL_VOID VRT_synth_blob(VRT_CTX, VCL_BLOB) { VDISIM_FAIL_TASK(ctx); }
VCL_VOID VRT_synth_page(VRT_CTX, VCL_STRANDS) { VDISIM_FAIL_TASK(ctx); }
VCL_VOID VRT_hit_for_pass(VRT_CTX, VCL_DURATION) { VDISIM_FAIL_TASK(ctx); }
VCL_VOID VRT_Rollback(VRT_CTX, VCL_HTTP) { VDISIM_FAIL_TASK(ctx); }

const char *VRT_AddFilter(VRT_CTX, const struct vfp *, const struct vdp *) {
  VDISIM_FAIL_TASK(ctx);
  return "vdisim: VRT_AddFilter is not simulated";
}
void VRT_RemoveFilter(VRT_CTX, const struct vfp *, const struct vdp *) { VDISIM_FAIL_TASK(ctx); }

VCL_STRING VRT_check_call(VRT_CTX, VCL_SUB) {
  VDISIM_FAIL_TASK(ctx);
  return nullptr;
}
VCL_VOID VRT_call(VRT_CTX, VCL_SUB) { VDISIM_FAIL_TASK(ctx); }

}  // extern "C"
