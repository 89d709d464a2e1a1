// A client request and its backend fetch, as varnishd runs them for a director: the
// references a req and a busyobj hold (A9, A10, D2), the VCL busy count, and the leaf's
// gethdrs/finish on virtual time. Called from a request actor.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/fake_vrt/runtime.hpp"

namespace vdisim::vrt {

struct RequestResult {
  enum class Kind { Ok, NoBackend, FetchError, VclNotWarm, Failed, Synth } kind = Kind::Ok;
  std::string backend;      // leaf that served it (cli name), if any
  bool leaf_sick = false;   // VRT_Healthy said no at the moment of the fetch
  std::vector<std::string> chain;  // the directors the hint resolved through, then the leaf
  // The status the client gets: the backend's (a 5xx too: it is a response) when Ok, the
  // VCL's when Synth, else 503, varnishd's synthetic answer to a failed fetch or VCL.
  int status = 0;
};
const char *to_string(RequestResult::Kind k);

// The client request line and headers a VMOD sees in req.* (ctx->http_req). Varnish's
// builtin vcl_hash digests url + Host (or server.ip when there is no Host).
struct RequestHttp {
  std::string method = "GET";
  std::string url = "/";
  std::string proto = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> headers{{"Host", "vdisim"}};
};

// `choose` runs in the client task (like `set req.backend_hint = d.backend(...)`)
// and returns the hint; the fetch then resolves it in a backend task.
// `fetch_latency_ns`, when set, replaces the server's response time for this request.
// The client task carries req (http_req = http_req_top = req->http, sp), then the digest
// is made; the backend task carries a busyobj (bereq filtered from req, the digest).
// `on_response`, when set, runs in the backend task as vcl_backend_response once the leaf
// answered (ctx->method VCL_MET_BACKEND_RESPONSE, bo->director_resp the leaf).
RequestResult run_request(Runtime &rt, struct vcl *vcl, const std::function<VCL_BACKEND(VRT_CTX)> &choose,
                          std::optional<std::int64_t> fetch_latency_ns = std::nullopt,
                          const RequestHttp &http = {},
                          const std::function<void(VRT_CTX)> &on_response = {});

// VRT_DirectorResolve, also naming each director it passes in `chain` (when not null):
// how a request's hint reached its leaf, for reports.
VCL_BACKEND resolve_director(VRT_CTX, VCL_BACKEND d, std::vector<std::string> *chain);

// `return (vcl(LABEL))` from `choose` (docs/cli-rules.md L6): return nullptr after it;
// run_request then goes on in the VCL the label points at, running `choose` there again
// (ctx->vcl tells which VCL it runs in). A second switch fails the request.
void select_vcl(VRT_CTX, const std::string &label);

// `return (synth(N))` from `choose` (VCL's vcl_recv answering without a fetch): return
// nullptr after it; the request ends with Kind::Synth and status N, nothing fetched.
void select_synth(VRT_CTX, int status);

// A client task that runs `body` in vcl_recv and ends there (VCL's `return (synth(..))`):
// the same req, workspace and VCL busy reference as run_request, no fetch. false if the
// VCL was not warm (nothing ran).
bool run_client_task(Runtime &rt, struct vcl *vcl, const std::function<void(VRT_CTX)> &body,
                     const RequestHttp &http = {});

}  // namespace vdisim::vrt
