// What cache/cache_varnishd.h, the libvarnishapi headers (vapi/vsm.h, vapi/vsc.h,
// vapi/vsl.h, vut.h, vcli.h) and waiter/waiter.h declare for Varnish 8.0.0 and vdisim
// does not model: varnishd's own start, stop and panic code, its request state machine,
// storage, vary and VCL internals; shared memory, log readers and tools; the waiter.
// Each is defined, so a vmod that names one loads, and refused when called (the one way,
// unsimulated.hpp). What these headers declare and vdisim does answer lives elsewhere:
// unsimulated.cpp lists where.
#include <cstdarg>
#include <csignal>
#include <cstdio>

#include "sim/fake_vrt/unsimulated.hpp"
#include "cache/cache_varnishd.h"
#include "vapi/vsc.h"
#include "vapi/vsig.h"
#include "vapi/vsl.h"
#include "vapi/vsm.h"
#include "vcli.h"
#include "vut.h"
#include "waiter/waiter.h"

extern "C" {

// ---- varnishd's own parts: started, stopped and dumped by varnishd alone ----

int BAN_CheckObject(struct worker *, struct objcore *, struct req *) { VDISIM_REFUSE(); }
void BAN_Compile(void) { VDISIM_REFUSE(); }
void BAN_DestroyObj(struct objcore *) { VDISIM_REFUSE(); }
void BAN_Hold(void) { VDISIM_REFUSE(); }
void BAN_Init(void) { VDISIM_REFUSE(); }
void BAN_NewObjCore(struct objcore *) { VDISIM_REFUSE(); }
void BAN_Release(void) { VDISIM_REFUSE(); }
void BAN_Reload(const uint8_t *, unsigned) { VDISIM_REFUSE(); }
void BAN_Shutdown(void) { VDISIM_REFUSE(); }
void CLI_AddFuncs(struct cli_proto *) { VDISIM_REFUSE(); }
void CLI_Init(void) { VDISIM_REFUSE(); }
void CLI_Run(void) { VDISIM_REFUSE(); }
void CNT_Embark(struct worker *, struct req *) { VDISIM_REFUSE(); }
enum req_fsm_nxt CNT_Request(struct req *) { VDISIM_REFUSE(); }
void EXP_Init(void) { VDISIM_REFUSE(); }
void EXP_Insert(struct worker *, struct objcore *) { VDISIM_REFUSE(); }
void EXP_RefNewObjcore(struct objcore *) { VDISIM_REFUSE(); }
void EXP_Remove(struct objcore *, const struct objcore *) { VDISIM_REFUSE(); }
void EXP_Shutdown(void) { VDISIM_REFUSE(); }
void HTC_RxInit(struct http_conn *, struct ws *) { VDISIM_REFUSE(); }
void HTC_RxPipeline(struct http_conn *, char *) { VDISIM_REFUSE(); }
enum htc_status_e HTC_RxStuff(struct http_conn *, htc_complete_f *, vtim_real *, vtim_real *,
                              vtim_real, vtim_real, vtim_dur, int) {
  VDISIM_REFUSE();
}
uint16_t HTTP1_DissectRequest(struct http_conn *, struct http *) { VDISIM_REFUSE(); }
uint16_t HTTP1_DissectResponse(struct http_conn *, struct http *, const struct http *) {
  VDISIM_REFUSE();
}
unsigned HTTP1_Write(struct v1l *, const struct http *, const int *) { VDISIM_REFUSE(); }
void HTTP_Init(void) { VDISIM_REFUSE(); }
void LCK_Init(void) { VDISIM_REFUSE(); }
void ObjDestroy(const struct worker *, struct objcore **) { VDISIM_REFUSE(); }
void ObjInit(void) { VDISIM_REFUSE(); }
struct objcore *ObjNew(const struct worker *) {
  VDISIM_REFUSE();
}
void ObjVAICancel(struct worker *, struct boc *, struct vai_qe *) { VDISIM_REFUSE(); }
uint64_t ObjVAIGetExtend(struct worker *, const struct objcore *, uint64_t, enum boc_state_e *,
                         struct vai_qe *) {
  VDISIM_REFUSE();
}
void PAN_Init(void) { VDISIM_REFUSE(); }
int PAN__DumpStruct(struct vsb *, int, int, const void *, const char *, unsigned, const char *,
                    ...) {
  VDISIM_REFUSE();
}
void Pool_Init(void) { VDISIM_REFUSE(); }
void Pool_PurgeStat(unsigned) { VDISIM_REFUSE(); }
void Pool_Sumstat(const struct worker *) { VDISIM_REFUSE(); }
int Pool_TrySumstat(const struct worker *) { VDISIM_REFUSE(); }
void Req_AcctLogCharge(struct VSC_main_wrk *, struct req *) { VDISIM_REFUSE(); }
void Req_Cleanup(struct sess *, struct worker *, struct req *) { VDISIM_REFUSE(); }
void Req_Fail(struct req *, stream_close_t) { VDISIM_REFUSE(); }
void Req_LogHit(struct worker *, struct req *, struct objcore *, intmax_t) { VDISIM_REFUSE(); }
const char *Req_LogStart(const struct worker *, struct req *) { VDISIM_REFUSE(); }
struct req *Req_New(struct sess *, const struct req *) {
  VDISIM_REFUSE();
}
void Req_Release(struct req *) { VDISIM_REFUSE(); }
int Resp_Setup_Deliver(struct req *) { VDISIM_REFUSE(); }
void Resp_Setup_Synth(struct req *) { VDISIM_REFUSE(); }
void SES_DestroyPool(struct pool *) { VDISIM_REFUSE(); }
void SES_NewPool(struct pool *, unsigned) { VDISIM_REFUSE(); }
void SES_Wait(struct sess *, const struct transport *) { VDISIM_REFUSE(); }
struct stv_buffer *STV_AllocBuf(struct worker *, const struct stevedore *, size_t) {
  VDISIM_REFUSE();
}
void STV_BanExport(const uint8_t *, unsigned) { VDISIM_REFUSE(); }
int STV_BanInfoDrop(const uint8_t *, unsigned) { VDISIM_REFUSE(); }
int STV_BanInfoNew(const uint8_t *, unsigned) { VDISIM_REFUSE(); }
void STV_FreeBuf(struct worker *, struct stv_buffer **) { VDISIM_REFUSE(); }
void *STV_GetBufPtr(struct stv_buffer *, size_t *) { VDISIM_REFUSE(); }
int STV_NewObject(struct worker *, struct objcore *, const struct stevedore *, unsigned) {
  VDISIM_REFUSE();
}
void STV_close(void) { VDISIM_REFUSE(); }
const struct stevedore *STV_next(void) { VDISIM_REFUSE(); }
void STV_open(void) { VDISIM_REFUSE(); }
void STV_warn(void) { VDISIM_REFUSE(); }
void THR_Init(void) { VDISIM_REFUSE(); }
void THR_SetBusyobj(const struct busyobj *) { VDISIM_REFUSE(); }
void THR_SetRequest(const struct req *) { VDISIM_REFUSE(); }
void THR_SetWorker(const struct worker *) { VDISIM_REFUSE(); }
void V1P_Init(void) { VDISIM_REFUSE(); }
void V2D_Init(void) { VDISIM_REFUSE(); }
void VBE_InitCfg(void) { VDISIM_REFUSE(); }
void VBF_Fetch(struct worker *, struct req *, struct objcore *, struct objcore *,
               enum vbf_fetch_mode_e) {
  VDISIM_REFUSE();
}
const char *VBF_Get_Filter_List(struct busyobj *) { VDISIM_REFUSE(); }
void VBO_Init(void) { VDISIM_REFUSE(); }
void VBO_SetState(struct worker *, struct busyobj *, enum boc_state_e) { VDISIM_REFUSE(); }
void VBP_Init(void) { VDISIM_REFUSE(); }
void VCL_Bo2Ctx(struct vrt_ctx *, struct busyobj *) { VDISIM_REFUSE(); }
struct vrt_ctx *VCL_Get_CliCtx(int) {
  VDISIM_REFUSE();
}
void VCL_Init(void) { VDISIM_REFUSE(); }
void VCL_Panic(struct vsb *, const char *, const struct vcl *) { VDISIM_REFUSE(); }
void VCL_Poll(void) { VDISIM_REFUSE(); }
void VCL_Recache(const struct worker *, struct vcl **) { VDISIM_REFUSE(); }
void VCL_Refresh(struct vcl **) { VDISIM_REFUSE(); }
struct vsb *VCL_Rel_CliCtx(struct vrt_ctx **) {
  VDISIM_REFUSE();
}
void VCL_Req2Ctx(struct vrt_ctx *, struct req *) { VDISIM_REFUSE(); }
void VCL_Shutdown(void) { VDISIM_REFUSE(); }
int VCL_StackVDP(struct vdp_ctx *, const struct vcl *, const char *, struct req *,
                 struct busyobj *) {
  VDISIM_REFUSE();
}
int VCL_StackVFP(struct vfp_ctx *, const struct vcl *, const char *) { VDISIM_REFUSE(); }
void VCL_TaskEnter(struct vrt_privs *) { VDISIM_REFUSE(); }
void VCL_TaskLeave(VRT_CTX, struct vrt_privs *) { VDISIM_FAIL_TASK(ctx); }
void VCL_VRT_Init(void) { VDISIM_REFUSE(); }
void VCP_Init(void) { VDISIM_REFUSE(); }
void VCP_Panic(struct vsb *, struct conn_pool *) { VDISIM_REFUSE(); }
void VCP_RelPoll(void) { VDISIM_REFUSE(); }
void VDI_Init(void) { VDISIM_REFUSE(); }
uint64_t VDPIO_Close(struct vdp_ctx *, struct objcore *, struct boc *) { VDISIM_REFUSE(); }
void VDP_Fini(const struct vdp_ctx *) { VDISIM_REFUSE(); }
void VDP_Init(struct vdp_ctx *, struct worker *, struct vsl_log *, const struct req *,
              const struct busyobj *, intmax_t *) {
  VDISIM_REFUSE();
}
int VDP_ObjIterate(void *, unsigned, const void *, ssize_t) { VDISIM_REFUSE(); }
void VDP_Panic(struct vsb *, const struct vdp_ctx *) { VDISIM_REFUSE(); }
void VFP_Init(void) { VDISIM_REFUSE(); }
void VMOD_Init(void) { VDISIM_REFUSE(); }
void VMOD_Panic(struct vsb *) { VDISIM_REFUSE(); }
void VPI_Panic(struct vsb *, const struct wrk_vpi *, const struct vcl *) { VDISIM_REFUSE(); }
void VPI_wrk_init(struct worker *, void *, size_t) { VDISIM_REFUSE(); }
int VRG_CheckBo(struct busyobj *) { VDISIM_REFUSE(); }
void VRY_Clear(struct req *) { VDISIM_REFUSE(); }
int VRY_Create(struct busyobj *, struct vsb **) { VDISIM_REFUSE(); }
void VRY_Finish(struct req *, enum vry_finish_flag) { VDISIM_REFUSE(); }
int VRY_Match(const struct req *, const uint8_t *) { VDISIM_REFUSE(); }
void VRY_Prep(struct req *) { VDISIM_REFUSE(); }
void VSL_ChgId(struct vsl_log *, const char *, const char *, vxid_t) { VDISIM_REFUSE(); }
void VSL_End(struct vsl_log *) { VDISIM_REFUSE(); }
void VSL_Setup(struct vsl_log *, void *, size_t) { VDISIM_REFUSE(); }
void VSM_Init(void) { VDISIM_REFUSE(); }
void WRK_AddStat(const struct worker *) { VDISIM_REFUSE(); }
void WRK_Init(void) { VDISIM_REFUSE(); }
void WS_Panic(struct vsb *, const struct ws *) { VDISIM_REFUSE(); }
void pan_pool(struct vsb *) { VDISIM_REFUSE(); }
void pan_privs(struct vsb *, const struct vrt_privs *) { VDISIM_REFUSE(); }
const char *resp_Get_Filter_List(struct req *) { VDISIM_REFUSE(); }
enum htc_status_e HTTP1_Complete(struct http_conn *) { VDISIM_REFUSE(); }

// The compiled VCL's method entry points: vdisim runs no compiled VCL.
#define VCL_MET_MAC(l, U, t, b)                                                                  \
  void VCL_##l##_method(struct vcl *, struct worker *, struct req *, struct busyobj *, void *) { \
    ::vdisim::vrt::refuse_unsimulated("VCL_" #l "_method");                                      \
  }
#include "tbl/vcl_returns.h"

// varnishd's data a vmod may name: the steps of the request state machine, its own
// filters (named, never run: no body moves here), keys and sizes. VSC_C_main stays NULL:
// its type is varnishd's generated VSC_main.h, which no vmod sees.
static enum req_fsm_nxt refuse_req_step(struct worker *, struct req *) { VDISIM_REFUSE(); }
const struct req_step R_STP_TRANSPORT[1] = {{"Req Step transport", refuse_req_step}};
const struct req_step R_STP_RECV[1] = {{"Req Step recv", refuse_req_step}};
const struct vdp VDP_gunzip = {.name = "gunzip"};
const struct vdp VDP_esi = {.name = "esi"};
const struct vdp VDP_range = {.name = "range"};
const struct vfp VFP_gunzip = {.name = "gunzip"};
const struct vfp VFP_gzip = {.name = "gzip"};
const struct vfp VFP_testgunzip = {.name = "testgunzip"};
const struct vfp VFP_esi = {.name = "esi"};
const struct vfp VFP_esi_gzip = {.name = "esi_gzip"};
struct VSC_main *VSC_C_main = nullptr;
struct vrt_privs cli_task_privs[1];
pthread_key_t panic_key;
pthread_key_t witness_key;
// The size of varnishd's struct wrk_vpi (vcc_interface.h: four unsigned).
const size_t vpi_wrk_len = 4 * sizeof(unsigned);

// ---- libvarnishapi: shared memory, counters and log readers, tools ----

void VSIG_Arm_hup(void) { VDISIM_REFUSE(); }
void VSIG_Arm_int(void) { VDISIM_REFUSE(); }
void VSIG_Arm_term(void) { VDISIM_REFUSE(); }
void VSIG_Arm_usr1(void) { VDISIM_REFUSE(); }
int VSM_Arg(struct vsm *, char, const char *) { VDISIM_REFUSE(); }
int VSM_Attach(struct vsm *, int) { VDISIM_REFUSE(); }
void VSM_Destroy(struct vsm **) { VDISIM_REFUSE(); }
char *VSM_Dup(struct vsm *, const char *, const char *) { VDISIM_REFUSE(); }
const char *VSM_Error(const struct vsm *) { VDISIM_REFUSE(); }
int VSM_Get(struct vsm *, struct vsm_fantom *, const char *, const char *) { VDISIM_REFUSE(); }
int VSM_Map(struct vsm *, struct vsm_fantom *) { VDISIM_REFUSE(); }
struct vsm *VSM_New(void) {
  VDISIM_REFUSE();
}
void VSM_ResetError(struct vsm *) { VDISIM_REFUSE(); }
unsigned VSM_Status(struct vsm *) { VDISIM_REFUSE(); }
const struct vsm_valid *VSM_StillValid(const struct vsm *, const struct vsm_fantom *) {
  VDISIM_REFUSE();
}
int VSM_Unmap(struct vsm *, struct vsm_fantom *) { VDISIM_REFUSE(); }
void VSM__iter0(const struct vsm *, struct vsm_fantom *) { VDISIM_REFUSE(); }
int VSM__itern(struct vsm *, struct vsm_fantom *) { VDISIM_REFUSE(); }
int VSC_Arg(struct vsc *, char, const char *) { VDISIM_REFUSE(); }
const struct VSC_level_desc *VSC_ChangeLevel(const struct VSC_level_desc *, int) {
  VDISIM_REFUSE();
}
void VSC_Destroy(struct vsc **, struct vsm *) { VDISIM_REFUSE(); }
unsigned VSC_IsRaw(const struct vsc *) { VDISIM_REFUSE(); }
int VSC_Iter(struct vsc *, struct vsm *, VSC_iter_f *, void *) { VDISIM_REFUSE(); }
struct vsc *VSC_New(void) {
  VDISIM_REFUSE();
}
void VSC_State(struct vsc *, VSC_new_f *, VSC_destroy_f *, void *) { VDISIM_REFUSE(); }
void VSLQ_Delete(struct VSLQ **) { VDISIM_REFUSE(); }
int VSLQ_Dispatch(struct VSLQ *, VSLQ_dispatch_f *, void *) { VDISIM_REFUSE(); }
int VSLQ_Flush(struct VSLQ *, VSLQ_dispatch_f *, void *) { VDISIM_REFUSE(); }
struct VSLQ *VSLQ_New(struct VSL_data *, struct VSL_cursor **, enum VSL_grouping_e, const char *) {
  VDISIM_REFUSE();
}
void VSLQ_SetCursor(struct VSLQ *, struct VSL_cursor **) { VDISIM_REFUSE(); }
int VSL_Arg(struct VSL_data *, int, const char *) { VDISIM_REFUSE(); }
enum vsl_check VSL_Check(const struct VSL_cursor *, const struct VSLC_ptr *) { VDISIM_REFUSE(); }
struct VSL_cursor *VSL_CursorFile(struct VSL_data *, const char *, unsigned) {
  VDISIM_REFUSE();
}
struct VSL_cursor *VSL_CursorVSM(struct VSL_data *, struct vsm *, unsigned) {
  VDISIM_REFUSE();
}
void VSL_Delete(struct VSL_data *) { VDISIM_REFUSE(); }
void VSL_DeleteCursor(const struct VSL_cursor *) { VDISIM_REFUSE(); }
const char *VSL_Error(const struct VSL_data *) { VDISIM_REFUSE(); }
int VSL_Match(struct VSL_data *, const struct VSL_cursor *) { VDISIM_REFUSE(); }
struct VSL_data *VSL_New(void) {
  VDISIM_REFUSE();
}
enum vsl_status VSL_Next(const struct VSL_cursor *) { VDISIM_REFUSE(); }
int VSL_Print(const struct VSL_data *, const struct VSL_cursor *, void *) { VDISIM_REFUSE(); }
int VSL_PrintAll(struct VSL_data *, const struct VSL_cursor *, void *) { VDISIM_REFUSE(); }
int VSL_PrintTerse(const struct VSL_data *, const struct VSL_cursor *, void *) { VDISIM_REFUSE(); }
enum vsl_status VSL_ResetCursor(const struct VSL_cursor *) { VDISIM_REFUSE(); }
void VSL_ResetError(struct VSL_data *) { VDISIM_REFUSE(); }
int VSL_Write(const struct VSL_data *, const struct VSL_cursor *, void *) { VDISIM_REFUSE(); }
int VSL_WriteAll(struct VSL_data *, const struct VSL_cursor *, void *) { VDISIM_REFUSE(); }
FILE *VSL_WriteOpen(struct VSL_data *, const char *, int, int) { VDISIM_REFUSE(); }
int VUT_Arg(struct VUT *, int, const char *) { VDISIM_REFUSE(); }
void VUT_Error(struct VUT *, int, const char *, ...) { VDISIM_REFUSE(); }
void VUT_Fini(struct VUT **) { VDISIM_REFUSE(); }
struct VUT *VUT_Init(const char *, int, char *const *, const struct vopt_spec *) {
  VDISIM_REFUSE();
}
int VUT_Main(struct VUT *) { VDISIM_REFUSE(); }
void VUT_Setup(struct VUT *) { VDISIM_REFUSE(); }
void VUT_Signal(VUT_sighandler_f *) { VDISIM_REFUSE(); }
void VUT_Signaled(struct VUT *, int) { VDISIM_REFUSE(); }
void VUT_Usage(const struct VUT *, const struct vopt_spec *, int) { VDISIM_REFUSE(); }
int VCLI_ReadResult(int, unsigned *, char **, double) { VDISIM_REFUSE(); }
int VCLI_WriteResult(int, unsigned, const char *) { VDISIM_REFUSE(); }
int VSL_PrintTransactions(struct VSL_data *, struct VSL_transaction *const[], void *) {
  VDISIM_REFUSE();
}
int VSL_WriteTransactions(struct VSL_data *, struct VSL_transaction *const[], void *) {
  VDISIM_REFUSE();
}

// ---- the waiter: vdisim has no idle connections to watch ----

int Wait_Enter(const struct waiter *, struct waited *) { VDISIM_REFUSE(); }
void Waiter_Destroy(struct waiter **) { VDISIM_REFUSE(); }
const char *Waiter_GetName(void) { VDISIM_REFUSE(); }
struct waiter *Waiter_New(const char *) {
  VDISIM_REFUSE();
}

}  // extern "C"
