// Internal to the vmod registry: binding a call written in a scenario (or made up by the
// runner: members, picks, resolver answers) to the parameters of a .vcc signature, and
// filling the glue's Args from a binding at call time. Used by vmod_registry.cpp only.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "sim/runner/vmod_registry.hpp"

namespace vdisim::runner::vmod {

// Values the runner supplies instead of the file: `answer` (resolver answers, STRING),
// `req.url`, `req.http.host` and `client.identity` of the request (STRING/STRANDS), a
// member backend and its weight.
// header_value: a STRING written as a header (req.http.Cookie): its value, NULL if unset.
enum class Special { none, answer, req_url, req_host, client_identity, header_value, member, weight };
// The identifiers a pick made for a request may use.
const std::vector<Special> &request_specials();

struct BoundArg {
  bool given = false;
  scenario::VmodArg value;
  Special special = Special::none;
  std::vector<Special> parts;  // a concatenation (VmodArg::Kind::concat): each part's
};

struct Bound {
  const std::vector<Param> *params = nullptr;
  std::vector<BoundArg> args;  // one per parameter
};

// What a BACKEND (or PROBE) name may refer to at bind time (nullptr: do not check
// names). `type` is the parameter's VCL type; returns "" if the name fits.
using NameCheck = std::function<std::string(const std::string &name, const std::string &type)>;

// Binds args to params: positional args fill the non-PRIV parameters in order, named
// ones by name, the rest take the .vcc default, stay unset ([optional]) or are an error.
// `specials`: identifiers allowed here (answer, req.url). Returns "" or the error, with
// *at set to the offending argument's mark when it has one.
std::string bind_call(const std::vector<Param> &params, const std::vector<scenario::VmodArg> &args,
                 const std::vector<Special> &specials, const NameCheck &names, Bound *out,
                 scenario::Mark *at);

// The runner's own calls: first BACKEND parameter <- member, first REAL <- weight, the
// rest by default. Returns "" or why the signature does not fit.
std::string bind_member_call(const Method &m, bool with_weight, Bound *out);

// A default binding of a constructor for the property suite: every parameter from its
// default, else [optional] unset, else a zero value of its type.
Bound bind_defaults(const std::vector<Param> &params);

// The pick when the file names none: a method returning BACKEND whose required
// arguments are all strings, which get the request's URL (hash-like `.backend(STRANDS)`);
// `backend` wins among several. nullptr if there is none.
const Method *default_pick(const ObjectType &t, Bound *out);

struct CallEnv {
  const std::string *answer = nullptr;
  const std::string *url = nullptr;
  const std::string *host = nullptr;
  const std::string *client_identity = nullptr;
  VCL_BACKEND member = nullptr;
  double weight = 1.0;
  VCL_PROBE probe = nullptr;  // for an unset PROBE parameter (director options)
  const void *task_id = nullptr;
  struct vmod_priv *priv_vcl = nullptr;
  struct vmod_priv *priv_call = nullptr;
};

// A string literal of the scenario as a VCL constant: the same text, one copy per VCL,
// alive until the VCL is discarded (defined by the registry, which keeps per-VCL state).
const char *vcl_literal(VRT_CTX, const std::string &text);
// A vmod object of ctx's VCL named as a BACKEND stands for its pick (`name.backend()`,
// as VCL would write it) when it made no director of its own name: false if there is no
// such object with a pick, else *be is what the pick returned (defined by the registry).
bool object_backend(VRT_CTX, const std::string &name, VCL_BACKEND *be);
// A call written as a BACKEND argument (`d.backend("api.example")`): the method of ctx's
// VCL's object called now, with the request values of env; what it returned (defined by
// the registry). The scenario was checked: the object exists and the method returns BACKEND.
VCL_BACKEND call_backend(VRT_CTX, const scenario::VmodCall &c, const CallEnv &env);
// The same for a call written as an INT argument (`key = sh.key(req.url)`): the INT it returned.
std::int64_t call_integer(VRT_CTX, const scenario::VmodCall &c, const CallEnv &env);
// Constants of ctx's VCL written in a call, made once per VCL and text (as VCC emits
// them), nullptr outside a VCL: a BLOB of the text's bytes, an IP address (port 0), a
// HEADER `req.http.NAME` (also req_top, resp, obj, bereq, beresp, obj_stale), the probe
// of a backend (declare_probe).
VCL_BLOB vcl_blob(VRT_CTX, const std::string &bytes);
VCL_IP vcl_ip(VRT_CTX, const std::string &address);
VCL_HEADER vcl_header(VRT_CTX, const std::string &text);
VCL_PROBE vcl_probe(VRT_CTX, const std::string &backend);
// "" if text is a HEADER as written in VCL (`req.http.X-Key`), else why not.
std::string header_problem(const std::string &text);

// Fills Args for one call; BACKEND names are looked up among the directors of ctx->vcl.
void fill(VRT_CTX, const Bound &b, const CallEnv &env, Args &a);

}  // namespace vdisim::runner::vmod
