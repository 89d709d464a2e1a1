// Native backends: VRT_new_backend / VRT_delete_backend, the leaf director callbacks and
// the probe actor. A fetch holds a connection for its virtual duration.
#include "sim/fake_vrt/backend.hpp"

#include "cache/cache.h"
#include "cache/cache_backend.h"
#include "vtcp.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <exception>
#include <memory>
#include <mutex>

#include "sim/fake_vrt/runtime.hpp"

namespace vdisim::vrt {

void BackendRegistry::add_endpoint(const std::string &host, EndpointSpec spec, std::uint64_t seed) {
  endpoints_[host] = std::make_unique<Endpoint>(host, std::move(spec), seed);
}

VCL_BACKEND vcl_backend(VRT_CTX, const std::string &name, const std::string &host,
                        const struct vrt_backend_probe *probe, unsigned max_connections) {
  struct vrt_backend be;
  VRT_BACKEND_INIT(&be);
  be.vcl_name = name.c_str();
  be.hosthdr = host.c_str();
  be.probe = probe;
  be.max_connections = max_connections;
  VCL_BACKEND d = VRT_new_backend(ctx, &be, nullptr);
  AN(d);
  VRT_StaticDirector(d);
  ctx->vcl->fini.push_back([d](VRT_CTX) mutable { VRT_delete_backend(ctx, &d); });
  return d;
}

Endpoint *BackendRegistry::endpoint(const std::string &host) const {
  auto it = endpoints_.find(host);
  return it == endpoints_.end() ? nullptr : it->second.get();
}

namespace {

struct NativeBackend {
  // Varnish 8.0.0's struct backend comes first: VMODs (libvmod-dynamic) cast d->priv of
  // a backend director to it and read vcl_name and endpoint (cache/cache_backend.h).
  struct backend vbe;
  std::string host;
  VCL_BACKEND dir = nullptr;
  Endpoint *ep = nullptr;
  unsigned max_conn = 0;
  unsigned n_conn = 0;
  // An endpoint that never answers costs a fetch this long: connect_timeout (Varnish's
  // parameter default 3.5 s) or the backend's own first_byte_timeout when it sets one.
  std::int64_t fetch_timeout_ns = 3'500'000'000;
  std::unique_ptr<ProbeWindow> probe;
  double probe_changed = 0;
  std::uint64_t probe_gen = 0;  // bumps on every start/stop; a probe actor of an old gen exits
  bool probe_running = false;
  // E5 "cooling": probe actors that have not ended yet, stopped ones included (a stopped
  // actor sleeps until its poke or interval is over, then sees the new gen and exits).
  unsigned probe_tasks = 0;
  bool deleted = false;  // destroyed while a probe task was cooling: the last task frees it
  sim::Prng prng;
  BackendStats *stats = nullptr;
  std::string cli_name;
};

// The server a backend reaches: its endpoint's address ("10.0.0.1:80", "[::1]:80") when
// it has one, as a vmod that resolved a name gives it; else the host header or name.
std::string server_of(const struct vrt_backend *vrt) {
  const struct vrt_endpoint *ep = vrt->endpoint;
  VCL_IP ip = ep ? (ep->ipv4 ? ep->ipv4 : ep->ipv6) : nullptr;
  if (ip == nullptr) return vrt->hosthdr ? vrt->hosthdr : vrt->vcl_name;
  char addr[64], port[16];
  VTCP_name(ip, addr, sizeof addr, port, sizeof port);
  return std::strchr(addr, ':') ? fmt::format("[{}]:{}", addr, port) : fmt::format("{}:{}", addr, port);
}

NativeBackend *be_of(VCL_BACKEND d) {
  CHECK_OBJ_NOTNULL(d, DIRECTOR_MAGIC);
  auto *be = static_cast<NativeBackend *>(d->priv);
  CHECK_OBJ_NOTNULL(&be->vbe, BACKEND_MAGIC);
  return be;
}

void free_backend(NativeBackend *be) {
  be->vbe.magic = 0;
  std::free(be->vbe.vcl_name);
  std::free(be->vbe.hosthdr);
  std::free(be->vbe.authority);
  if (be->vbe.endpoint != nullptr) vdisim_free(be->vbe.endpoint);  // VRT_Endpoint_Clone's
  delete be;
}

// E5: a backend removed while its probe task is cooling is freed by that task as it ends.
// Owned by the actor's body, so it also ends when the run stops before the actor ran.
struct ProbeTask {
  NativeBackend *be;
  explicit ProbeTask(NativeBackend *b) : be(b) { be->probe_tasks++; }
  ProbeTask(const ProbeTask &) = delete;
  ~ProbeTask() {
    if (be->probe_tasks == 0) return;  // unreachable: counted at spawn
    if (--be->probe_tasks > 0 || !be->deleted) return;
    if (Runtime *rt = Runtime::current(); rt && std::uncaught_exceptions() == 0)
      rt->tracef("probe", FMT_COMPILE("{} freed by its probe task"), be->cli_name);
    free_backend(be);
  }
};

// varnishd's Backend_health record, logged at every update of a probed backend: each
// poll, its creation, and each reset (WARM, COLD).
void log_health(Runtime &rt, const NativeBackend *be, std::string_view resp) {
  fmt::memory_buffer line;
  append_health_line(line, be->cli_name, *be->probe, resp);
  rt.trace("health", std::string_view(line.data(), line.size()));
}

// How far a poll got (vbp_poke's exits) and the response text varnishd logs for it.
PokeOutcome poke_of(const Outcome &o, unsigned exp_status, std::string &resp) {
  PokeOutcome p;
  if (!o.connected) {
    resp = "Open error 111 (Connection refused)";
    p.result = PokeResult::kConnectFailed;
  } else if (o.timed_out) {
    resp = "Poll error 110 (Connection timed out)";
    p.result = PokeResult::kRecvError;
  } else if (o.empty) {
    resp = "Empty response";
    p.result = PokeResult::kEmptyResponse;
  } else {
    const char *reason = http_Status2Reason(static_cast<unsigned>(o.status), nullptr);
    resp = fmt::format(FMT_COMPILE("HTTP/1.1 {} {}"), o.status, std::string_view(reason ? reason : ""));
    p.result = static_cast<unsigned>(o.status) == exp_status ? PokeResult::kHappy : PokeResult::kBadStatus;
    p.last_s = static_cast<double>(o.latency_ns) * 1e-9;
  }
  return p;
}

// vbp_reset + VBP_Update_Backend (VBP_Control at WARM and COLD, E3).
void reset_probe(Runtime &rt, NativeBackend *be) {
  HealthStep st = be->probe->reset();
  be->probe_changed = VTIM_real();
  be->stats->health.emplace_back(rt.sim().now_ns(), st.healthy);
  log_health(rt, be, "");
}

void probe_loop(NativeBackend *be, std::uint64_t gen) {
  Runtime &rt = Runtime::get();
  sim::Sim &s = rt.sim();
  const ProbeParams &pp = be->probe->params();
  auto timeout_ns = static_cast<std::int64_t>(std::llround(pp.timeout_s * 1e9));
  auto interval_ns = static_cast<std::int64_t>(std::llround(pp.interval_s * 1e9));
  while (be->probe_gen == gen) {
    Outcome o = be->ep ? be->ep->probe(s.now_ns(), timeout_ns, be->prng) : Outcome{};
    if (!s.sleep_or_stop(o.latency_ns)) return;  // the run stops
    if (be->probe_gen != gen) break;  // stopped while poking: the result is dropped (E5)
    {
      std::lock_guard<sim::Mutex> lk(rt.backends().vbp_mtx);
      if (be->probe_gen != gen) break;  // stopped while this task waited for vbp_mtx
      std::string resp;
      HealthStep st = be->probe->record(poke_of(o, pp.exp_status, resp));
      be->stats->probes++;
      log_health(rt, be, resp);
      if (st.flipped) {
        be->probe_changed = VTIM_real();
        be->stats->health.emplace_back(s.now_ns(), st.healthy);
        (st.healthy ? be->stats->went_healthy : be->stats->went_sick)++;
        if (!st.healthy) rt.send_event(be->dir->vdir, VDI_EVENT_SICK);  // D6, under vbp_mtx
      }
    }
    if (!s.sleep_or_stop(interval_ns)) return;
  }
}

void probe_start(NativeBackend *be) {
  if (!be->probe || !be->stats) return;  // not yet constructed: VRT_new_backend starts it
  Runtime &rt = Runtime::get();
  reset_probe(rt, be);
  std::uint64_t gen = ++be->probe_gen;
  be->probe_running = true;
  rt.backends().live_probes++;
  rt.tracef("probe", FMT_COMPILE("{} start ({})"), be->cli_name, be->probe->healthy() ? "healthy" : "sick");
  auto task = std::make_shared<ProbeTask>(be);
  rt.sim().spawn("probe " + be->cli_name, [be, gen, task] { probe_loop(be, gen); }, /*daemon=*/true);
}

void probe_stop(NativeBackend *be) {
  if (!be->probe || !be->probe_running) return;
  Runtime &rt = Runtime::get();
  reset_probe(rt, be);
  std::lock_guard<sim::Mutex> lk(rt.backends().vbp_mtx);  // waits for an update in progress
  be->probe_gen++;
  be->probe_running = false;
  rt.backends().live_probes--;
  rt.tracef("probe", FMT_COMPILE("{} stop"), be->cli_name);
}

VCL_BOOL be_healthy(VRT_CTX, VCL_BACKEND d, VCL_TIME *changed) {
  (void)ctx;
  NativeBackend *be = be_of(d);
  if (changed) *changed = be->probe_changed;
  return be->probe->healthy();
}

// The status line of the answer in beresp, as varnishd's header parser leaves it for
// vcl_backend_response (beresp.status) and the delivery. Not logged: vdisim's trace keeps
// no Bereq*/Beresp* records of a fetch.
void put_beresp_status(VRT_CTX, int status) {
  if (ctx->bo == nullptr) return;
  CHECK_OBJ_NOTNULL(ctx->bo, BUSYOBJ_MAGIC);
  struct http *hp = ctx->bo->beresp;
  CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
  struct vsl_log *vsl = hp->vsl;
  hp->vsl = nullptr;
  http_PutResponse(hp, "HTTP/1.1", static_cast<uint16_t>(status), nullptr);
  hp->vsl = vsl;
}

// A fetch: the server's next answer (a scripted `requests:` reply, else its mode). A
// status, 5xx included, is a response (0); a refusal, no answer or an empty answer is a
// fetch error (-1), which varnishd turns into its 503.
int be_gethdrs(VRT_CTX, VCL_BACKEND d) {
  NativeBackend *be = be_of(d);
  Runtime &rt = Runtime::get();
  // Varnish 8.0's vbe_dir_getfd: a backend that is sick (probe or admin health, D3) is not
  // connected to, whoever picked it (a hint naming it, a vmod's own choice).
  if (!VRT_Healthy(ctx, d, nullptr)) {
    VSLb(ctx->vsl, SLT_FetchError, "backend %s: unhealthy", d->vcl_name);
    return -1;
  }
  be->stats->fetches++;
  if (be->max_conn > 0 && be->n_conn >= be->max_conn) {
    be->stats->busy++;
    VSLb(ctx->vsl, SLT_FetchError, "backend %s: busy", d->vcl_name);
    return -1;
  }
  be->n_conn++;
  Outcome o = be->ep ? be->ep->fetch(rt.sim().now_ns(), be->fetch_timeout_ns, be->prng) : Outcome{};
  if (Task *t = Task::from(ctx); t && t->fetch_latency_ns && o.connected && !o.timed_out && !o.scripted_after)
    o.latency_ns = *t->fetch_latency_ns;
  if (!o.connected) {
    be->n_conn--;
    be->stats->refused++;
    VSLb(ctx->vsl, SLT_FetchError, "backend %s: fail errno 111 (Connection refused)", d->vcl_name);
    return -1;
  }
  rt.sim().sleep_for(o.latency_ns);
  if (o.timed_out) {
    be->stats->timeouts++;
    VSLb(ctx->vsl, SLT_FetchError, "backend %s: first byte timeout", d->vcl_name);
    return -1;  // finish() still runs and closes the connection
  }
  if (o.empty) {
    VSLb(ctx->vsl, SLT_FetchError, "http first read error: EOF");
    return -1;
  }
  if (o.status >= 500) be->stats->errors++;
  put_beresp_status(ctx, o.status);
  return 0;
}

void be_finish(VRT_CTX, VCL_BACKEND d) {
  (void)ctx;
  NativeBackend *be = be_of(d);
  if (be->n_conn > 0) be->n_conn--;
}

VCL_IP be_getip(VRT_CTX, VCL_BACKEND) {
  (void)ctx;
  return nullptr;
}

void be_event(VCL_BACKEND d, enum vcl_event_e ev) {
  NativeBackend *be = be_of(d);
  if (ev == VCL_EVENT_WARM) probe_start(be);
  else if (ev == VCL_EVENT_COLD) probe_stop(be);
  else if (ev == VCL_EVENT_DISCARD) {
    VCL_BACKEND self = be->dir;
    VRT_DelDirector(&self);  // B4
  }
}

void be_destroy(VCL_BACKEND d) {
  NativeBackend *be = be_of(d);
  Runtime &rt = Runtime::get();
  if (be->probe_running)
    rt.violation("E5", fmt::format("backend '{}' destroyed with its probe still running", be->cli_name));
  if (be->probe_tasks > 0) {  // E5: cooling -> deleted; the probe task frees it when it ends
    be->deleted = true;
    rt.tracef("probe", FMT_COMPILE("{} deleted, {} probe task(s) still cooling"), be->cli_name, be->probe_tasks);
    return;
  }
  free_backend(be);
}

// backend.list -p for a probed backend (Varnish's VBP_Status with details): in JSON every
// bitmap of tbl/backend_poll.h and the counts; as text the counts, the average response
// time and a history line per bitmap that has a poll in it (Happy always).
void probe_details(struct vsb *vsb, const ProbeWindow &w, int jflag) {
  const ProbeBitmaps &m = w.bitmaps();
  if (jflag) {
    VSB_cat(vsb, "{\n");
    VSB_indent(vsb, 2);
#define BITMAP(field, letter, label, always) VSB_printf(vsb, "\"bits_%c\": %ju,\n", letter, uintmax_t{m.field});
#include "tbl/backend_poll.h"
    VSB_printf(vsb, "\"good\": %u,\n", w.good_count());  // a line per printf: the indent starts lines
    VSB_printf(vsb, "\"threshold\": %u,\n", w.params().threshold);
    VSB_printf(vsb, "\"window\": %u", w.params().window);
    VSB_indent(vsb, -2);
    VSB_cat(vsb, "\n},\n");
    return;
  }
  VSB_printf(vsb, "\n Current states  good: %2u threshold: %2u window: %2u\n", w.good_count(), w.params().threshold,
             w.params().window);
  VSB_printf(vsb, "  Average response time of good probes: %.6f\n", w.avg_s());
  VSB_printf(vsb, "  Oldest %s Newest\n", std::string(50, '=').c_str());
#define BITMAP(field, letter, label, always) \
  if (m.field != 0 || (always)) VSB_printf(vsb, "  %s %s\n", render_history(m.field, letter).c_str(), label);
#include "tbl/backend_poll.h"
}

// backend.list's columns for a native backend (Varnish's vbe_list): the probe's
// good/window and health, or "0/0 healthy" without a probe; -p adds the probe's details.
void be_list(VRT_CTX, VCL_BACKEND d, struct vsb *vsb, int pflag, int jflag) {
  (void)ctx;
  NativeBackend *be = be_of(d);
  if (be->probe == nullptr) {
    if (pflag) VSB_cat(vsb, jflag ? "{},\n" : "");
    else VSB_cat(vsb, jflag ? "[0, 0, \"healthy\"]" : "0/0\thealthy");
    return;
  }
  if (pflag) return probe_details(vsb, *be->probe, jflag);
  VSB_printf(vsb, jflag ? "[%u, %u, \"%s\"]" : "%u/%u\t%s", be->probe->good_count(), be->probe->params().window,
             be->probe->healthy() ? "healthy" : "sick");
}

void be_panic(VCL_BACKEND d, struct vsb *vsb) {
  NativeBackend *be = be_of(d);
  VSB_printf(vsb, "host = %s, n_conn = %u,\n", be->host.c_str(), be->n_conn);
}

const struct vdi_methods kProbed = {
    VDI_METHODS_MAGIC, "backend", nullptr, be_healthy, nullptr, be_gethdrs, be_getip, be_finish,
    be_event, nullptr, be_destroy, be_panic, be_list};
const struct vdi_methods kUnprobed = {
    VDI_METHODS_MAGIC, "backend", nullptr, nullptr, nullptr, be_gethdrs, be_getip, be_finish,
    be_event, nullptr, be_destroy, be_panic, be_list};

ProbeParams params_of(const struct vrt_backend_probe *p) {
  ProbeParams raw;
  raw.timeout_s = p->timeout;
  raw.interval_s = p->interval;
  raw.window = p->window;
  raw.threshold = p->threshold;
  raw.initial = p->initial;
  raw.exp_status = p->exp_status;
  return raw;
}

// What 8.0.0's via_resolve() accepts as `via`: a director that resolves to a native
// backend, for a target with an IP address; otherwise VRT_fail with Varnish's words.
const NativeBackend *via_backend(VRT_CTX, const struct vrt_backend *vrt, VCL_BACKEND via) {
  CHECK_OBJ_NOTNULL(via, DIRECTOR_MAGIC);
  if (vrt->endpoint != nullptr && vrt->endpoint->uds_path != nullptr) {
    VRT_fail(ctx, "Via is only supported for IP addresses");
    return nullptr;
  }
  VCL_BACKEND leaf = VRT_DirectorResolve(ctx, via);
  if (leaf == nullptr) {
    VRT_fail(ctx, "Via resolution failed");
    return nullptr;
  }
  CHECK_OBJ_NOTNULL(leaf->vdir, VCLDIR_MAGIC);
  if (leaf->vdir->methods != &kProbed && leaf->vdir->methods != &kUnprobed) {
    VRT_fail(ctx, "Via does not resolve to a backend");
    return nullptr;
  }
  return be_of(leaf);
}

// A backend made `via` another connects to the via backend's server (Varnish sends a PROXY
// v2 preamble naming the target there; the simulated server needs none), inherits its
// unset timeouts and, without a host header, is sent the target's address as Host.
void via_connect(NativeBackend *be, const NativeBackend *viabe, const struct vrt_backend *vrt) {
  auto unset = [](double t) { return t < 0.0 || std::isnan(t); };
  if (unset(be->vbe.connect_timeout)) be->vbe.connect_timeout = viabe->vbe.connect_timeout;
  if (unset(be->vbe.first_byte_timeout)) be->vbe.first_byte_timeout = viabe->vbe.first_byte_timeout;
  if (unset(be->vbe.between_bytes_timeout)) be->vbe.between_bytes_timeout = viabe->vbe.between_bytes_timeout;
  VCL_IP ip = vrt->endpoint ? (vrt->endpoint->ipv4 ? vrt->endpoint->ipv4 : vrt->endpoint->ipv6) : nullptr;
  if (be->vbe.hosthdr == nullptr && ip != nullptr) {
    char addr[64];
    VTCP_name(ip, addr, sizeof addr, nullptr, 0);
    be->vbe.hosthdr = strdup(addr);
  }
  // The endpoint is the via backend's (a VCL backend declared by host name has none here:
  // the target's then, so vmods reading it find one, as they always do in varnishd).
  if (viabe->vbe.endpoint != nullptr) {
    if (be->vbe.endpoint != nullptr) vdisim_free(be->vbe.endpoint);
    be->vbe.endpoint = VRT_Endpoint_Clone(viabe->vbe.endpoint);
  }
  be->host = viabe->host;
}

}  // namespace
}  // namespace vdisim::vrt

using namespace vdisim::vrt;

extern "C" {

VCL_BACKEND VRT_new_backend_clustered(VRT_CTX, struct vsmw_cluster *, const struct vrt_backend *vrt,
                                      VCL_BACKEND via) {
  Runtime &rt = Runtime::get();
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  CHECK_OBJ_NOTNULL(vrt, VRT_BACKEND_MAGIC);
  if (vrt->endpoint == nullptr && vrt->hosthdr == nullptr) {
    VRT_fail(ctx, "backend %s: no address", vrt->vcl_name ? vrt->vcl_name : "?");
    return nullptr;
  }
  const NativeBackend *viabe = nullptr;
  if (via != nullptr && (viabe = via_backend(ctx, vrt, via)) == nullptr) return nullptr;
  AN(vrt->vcl_name);
  auto *be = new NativeBackend();
  be->vbe.magic = BACKEND_MAGIC;
  if (vrt->endpoint != nullptr) be->vbe.endpoint = VRT_Endpoint_Clone(vrt->endpoint);
  be->vbe.vcl_name = strdup(vrt->vcl_name);
  be->vbe.hosthdr = vrt->hosthdr ? strdup(vrt->hosthdr) : nullptr;
  be->vbe.authority = vrt->authority ? strdup(vrt->authority) : nullptr;
  be->vbe.connect_timeout = vrt->connect_timeout;
  be->vbe.first_byte_timeout = vrt->first_byte_timeout;
  be->vbe.between_bytes_timeout = vrt->between_bytes_timeout;
  be->vbe.backend_wait_timeout = vrt->backend_wait_timeout;
  be->vbe.max_connections = vrt->max_connections;
  be->vbe.proxy_header = vrt->proxy_header;
  be->vbe.backend_wait_limit = vrt->backend_wait_limit;
  VTAILQ_INIT(&be->vbe.cw_head);
  be->host = server_of(vrt);
  if (viabe != nullptr) via_connect(be, viabe, vrt);
  be->ep = rt.backends().endpoint(be->host);
  be->max_conn = vrt->max_connections;
  if (be->vbe.first_byte_timeout > 0)
    be->fetch_timeout_ns = static_cast<std::int64_t>(std::llround(be->vbe.first_byte_timeout * 1e9));
  be->prng = rt.sim().prng().stream("backend " + be->host + " " + vrt->vcl_name);
  if (vrt->probe) {
    CHECK_OBJ(vrt->probe, VRT_BACKEND_PROBE_MAGIC);
    be->probe = std::make_unique<ProbeWindow>(params_of(vrt->probe));  // installed cold (E4)
  }
  const struct vdi_methods *m = be->probe ? &kProbed : &kUnprobed;
  VCL_BACKEND d = VRT_AddDirector(ctx, m, be, "%s", vrt->vcl_name);
  if (d == nullptr) {
    free_backend(be);
    return nullptr;
  }
  be->dir = d;
  be->vbe.director = d;
  be->cli_name = d->vdir->cli_name;
  be->stats = &rt.backends().stats(be->cli_name);
  be->stats->host = be->host;
  if (be->probe) log_health(rt, be, "");  // VBP_Update_Backend after VRT_AddDirector
  // A director added to a warm VCL got WARM inside VRT_AddDirector, before `dir` was
  // known here; start the probe now in that case.
  if (be->probe && d->vdir->got_warm && !be->probe_running) probe_start(be);
  return d;
}

VCL_BACKEND VRT_new_backend(VRT_CTX, const struct vrt_backend *vrt, VCL_BACKEND via) {
  return VRT_new_backend_clustered(ctx, nullptr, vrt, via);
}

void VRT_delete_backend(VRT_CTX, VCL_BACKEND *dp) {
  CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
  AN(dp);
  VRT_DisableDirector(*dp);  // B3
  VRT_Assign_Backend(dp, nullptr);
}

}  // extern "C"
