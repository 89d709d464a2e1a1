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
//   vsc_events.cpp                    VRT_VSC_* (counters in process memory),
//                                     ObjSubscribeEvents/ObjUnsubscribeEvents
//   vlib/vfil.c vss.c vcli.c vtim.c   VFIL_*, VSS_*, VCLI_AuthResponse, VTIM_*
//   vapi_names.c                      VSL_tags, VSL_Name2Tag/Glob2Tags/List2Tags, VSLQ_*
//                                     grouping names, VSM_valid/invalid, VSIG_* counters
//   params.c                          cache_param (8.0.0's defaults)
//   unsimulated_varnishd.cpp          varnishd's start/stop, panic, storage, VRY, VCL
//                                     internals of cache_varnishd.h; libvarnishapi's
//                                     VSM/VSC/VSL readers, VUT, waiters: not simulated
//   this file                         everything below: not simulated (VRT_backend_vsm_need
//                                     answers 0: vdisim has no shared memory to size;
//                                     VCL_Method_Name/VCL_Return_Name name the tables)
#include <fmt/format.h>

#include <cstdarg>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/unsimulated.hpp"
#include "cache/cache_backend.h"
#include "cache/cache_filter.h"
#include "cache/cache_varnishd.h"
#include "vcl.h"

using vdisim::sim::Sim;

namespace vdisim::vrt {

void refuse_unsimulated(const char *fn) {
  std::string msg = fmt::format("vdisim: {} is not simulated", fn);
  Sim *s = Sim::current();
  if (s == nullptr) {
    std::fprintf(stderr, "%s (outside a run)\n", msg.c_str());
    std::abort();
  }
  s->fail("UNSIMULATED", msg);
}

}  // namespace vdisim::vrt

using vdisim::vrt::refuse_unsimulated;

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
  int SES_Get_##low(const struct sess *, typ **) { refuse_unsimulated("SES_Get_" #low); }
#include "tbl/sess_attr.h"
const char *SES_Get_String_Attr(const struct sess *, enum sess_attr) { VDISIM_REFUSE(); }

void RFC2616_Ttl(struct busyobj *, vtim_real, vtim_real *, float *, float *, float *) { VDISIM_REFUSE(); }
int RFC2616_Do_Cond(const struct req *) { VDISIM_REFUSE(); }

void WRK_BgThread(pthread_t *, const char *, bgthread_t *, void *) { VDISIM_REFUSE(); }

// ---- cache/cache_varnishd.h: varnishd's private side (no ctx) ----

const struct vcf_return VCF_CONTINUE[1] = {{"continue"}};
const struct vcf_return VCF_DEFAULT[1] = {{"default"}};
const struct vcf_return VCF_MISS[1] = {{"miss"}};
const struct vcf_return VCF_HIT[1] = {{"hit"}};

void HTC_Status(enum htc_status_e, const char **, const char **) { VDISIM_REFUSE(); }
struct ban *BAN_FindBan(vtim_real) { VDISIM_REFUSE(); }
void BAN_RefBan(struct objcore *, struct ban *) { VDISIM_REFUSE(); }
vtim_real BAN_Time(const struct ban *) { VDISIM_REFUSE(); }
struct busyobj *VBO_GetBusyObj(const struct worker *, const struct req *) { VDISIM_REFUSE(); }
void VBO_ReleaseBusyObj(struct worker *, struct busyobj **) { VDISIM_REFUSE(); }

int VDI_GetHdr(struct busyobj *) { VDISIM_REFUSE(); }
VCL_IP VDI_GetIP(struct busyobj *) { VDISIM_REFUSE(); }
void VDI_Finish(struct busyobj *) { VDISIM_REFUSE(); }
stream_close_t VDI_Http1Pipe(struct req *, struct busyobj *) { VDISIM_REFUSE(); }
void VDI_Panic(const struct director *, struct vsb *, const char *) { VDISIM_REFUSE(); }
void VDI_Event(const struct director *, enum vcl_event_e) { VDISIM_REFUSE(); }

int VDP_Push(VRT_CTX, struct vdp_ctx *, struct ws *, const struct vdp *, void *) {
  VDISIM_FAIL_TASK(ctx);
  return -1;
}
uint64_t VDP_Close(struct vdp_ctx *, struct objcore *, struct boc *) { VDISIM_REFUSE(); }
int VDP_DeliverObj(struct vdp_ctx *, struct objcore *) { VDISIM_REFUSE(); }
int VDPIO_Upgrade(VRT_CTX, struct vdp_ctx *) {
  VDISIM_FAIL_TASK(ctx);
  return -1;
}
int VDPIO_Push(VRT_CTX, struct vdp_ctx *, struct ws *, const struct vdp *, void *) {
  VDISIM_FAIL_TASK(ctx);
  return -1;
}
struct vfp_entry *VFP_Push(struct vfp_ctx *, const struct vfp *) { VDISIM_REFUSE(); }
enum vfp_status VFP_GetStorage(struct vfp_ctx *, ssize_t *, uint8_t **) { VDISIM_REFUSE(); }
void VFP_Extend(const struct vfp_ctx *, ssize_t, enum vfp_status) { VDISIM_REFUSE(); }
void VFP_Setup(struct vfp_ctx *, struct worker *) { VDISIM_REFUSE(); }
int VFP_Open(VRT_CTX, struct vfp_ctx *) {
  VDISIM_FAIL_TASK(ctx);
  return -1;
}
uint64_t VFP_Close(struct vfp_ctx *) { VDISIM_REFUSE(); }

vtim_real EXP_Ttl(const struct req *, const struct objcore *) { VDISIM_REFUSE(); }
vtim_real EXP_Ttl_grace(const struct req *, const struct objcore *) { VDISIM_REFUSE(); }
void EXP_Rearm(struct objcore *, vtim_real, vtim_dur, vtim_dur, vtim_dur) { VDISIM_REFUSE(); }
void EXP_Reduce(struct objcore *, vtim_real, vtim_dur, vtim_dur, vtim_dur) { VDISIM_REFUSE(); }

int ObjGetSpace(struct worker *, struct objcore *, ssize_t *, uint8_t **) { VDISIM_REFUSE(); }
void ObjExtend(struct worker *, struct objcore *, ssize_t, int) { VDISIM_REFUSE(); }
uint64_t ObjWaitExtend(const struct worker *, const struct objcore *, uint64_t, enum boc_state_e *) {
  VDISIM_REFUSE();
}
void ObjSetState(struct worker *, struct objcore *, enum boc_state_e, unsigned) { VDISIM_REFUSE(); }
void ObjWaitState(const struct objcore *, enum boc_state_e) { VDISIM_REFUSE(); }
void ObjTouch(struct worker *, struct objcore *, vtim_real) { VDISIM_REFUSE(); }
void ObjFreeObj(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
void ObjSlim(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
void *ObjSetAttr(struct worker *, struct objcore *, enum obj_attr, ssize_t, const void *) { VDISIM_REFUSE(); }
int ObjCopyAttr(struct worker *, struct objcore *, struct objcore *, enum obj_attr) { VDISIM_REFUSE(); }
void ObjBocDone(struct worker *, struct objcore *, struct boc **) { VDISIM_REFUSE(); }
int ObjSetDouble(struct worker *, struct objcore *, enum obj_attr, double) { VDISIM_REFUSE(); }
int ObjSetU64(struct worker *, struct objcore *, enum obj_attr, uint64_t) { VDISIM_REFUSE(); }
int ObjSetXID(struct worker *, struct objcore *, vxid_t) { VDISIM_REFUSE(); }
void ObjSetFlag(struct worker *, struct objcore *, enum obj_flags, int) { VDISIM_REFUSE(); }
void ObjSendEvent(struct worker *, struct objcore *, unsigned) { VDISIM_REFUSE(); }

int Pool_Task(struct pool *, struct pool_task *, enum task_prio) { VDISIM_REFUSE(); }
int Pool_Task_Arg(struct worker *, enum task_prio, task_func_t *, const void *, size_t) { VDISIM_REFUSE(); }
int Pool_Task_Any(struct pool_task *, enum task_prio) { VDISIM_REFUSE(); }
vxid_t VXID_Get(const struct worker *, uint64_t) { VDISIM_REFUSE(); }
void THR_SetName(const char *) { VDISIM_REFUSE(); }
const char *THR_GetName(void) { VDISIM_REFUSE(); }
struct busyobj *THR_GetBusyobj(void) { VDISIM_REFUSE(); }
struct req *THR_GetRequest(void) { VDISIM_REFUSE(); }
struct worker *THR_GetWorker(void) { VDISIM_REFUSE(); }
void MPL_AssertSane(const void *) { VDISIM_REFUSE(); }
struct mempool *MPL_New(const char *, volatile struct poolparam *, volatile unsigned *) { VDISIM_REFUSE(); }
void MPL_Destroy(struct mempool **) { VDISIM_REFUSE(); }
void *MPL_Get(struct mempool *, unsigned *) { VDISIM_REFUSE(); }
void MPL_Free(struct mempool *, void *) { VDISIM_REFUSE(); }

void Req_Rollback(VRT_CTX) { VDISIM_FAIL_TASK(ctx); }
void Bereq_Rollback(VRT_CTX) { VDISIM_FAIL_TASK(ctx); }
int VRB_Ignore(struct req *) { VDISIM_REFUSE(); }
ssize_t VRB_Cache(struct req *, ssize_t) { VDISIM_REFUSE(); }
void VRB_Free(struct req *) { VDISIM_REFUSE(); }
void SES_Ref(struct sess *) { VDISIM_REFUSE(); }
void SES_Rel(struct sess *) { VDISIM_REFUSE(); }
#define SESS_ATTR(UP, low, typ, len)                                                   \
  int SES_Set_##low(const struct sess *, const typ *) { refuse_unsimulated("SES_Set_" #low); }    \
  int SES_Reserve_##low(struct sess *, typ **, ssize_t *) { refuse_unsimulated("SES_Reserve_" #low); }
#include "tbl/sess_attr.h"
int SES_Set_String_Attr(struct sess *, enum sess_attr, const char *) { VDISIM_REFUSE(); }
void VSL_Flush(struct vsl_log *, int) { VDISIM_REFUSE(); }

int VCL_IterDirector(struct cli *, const char *, vcl_be_func *, void *) { VDISIM_REFUSE(); }
void VCL_Ref(struct vcl *) { VDISIM_REFUSE(); }
void VCL_Rel(struct vcl **) { VDISIM_REFUSE(); }
VCL_BACKEND VCL_DefaultDirector(const struct vcl *) { VDISIM_REFUSE(); }
const struct vrt_backend_probe *VCL_DefaultProbe(const struct vcl *) { VDISIM_REFUSE(); }
void WRK_Log(enum VSL_tag_e, const char *, ...) { VDISIM_REFUSE(); }

// The names varnishd logs: a method by its bit, upper case; a return in lower case.
const char *VCL_Method_Name(unsigned m) {
  switch (m) {
#define VCL_MET_MAC(l, U, t, b) \
  case VCL_MET_##U:             \
    return #U;
#include "tbl/vcl_returns.h"
    default:
      return nullptr;
  }
}

const char *VCL_Return_Name(unsigned r) {
  switch (r) {
#define VCL_RET_MAC(l, U, b) \
  case VCL_RET_##U:          \
    return #l;
#include "tbl/vcl_returns.h"
    default:
      return nullptr;
  }
}

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
