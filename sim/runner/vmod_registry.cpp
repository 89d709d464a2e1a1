// Vmod objects as director types (see vmod_registry.hpp): the registry, the factory that
// turns a scenario's `new`/`init`/`backend`/`update` into calls of the glue's thunks, and
// the scenario check that reports signature mismatches as file:line:col.
#include "sim/runner/vmod_registry.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/runner/director_object.hpp"
#include "sim/runner/vmod_bind.hpp"
#include "vsa.h"

namespace vdisim::runner::vmod {

namespace sc = vdisim::scenario;

const Method *ObjectType::method(const std::string &name) const {
  for (const auto &m : methods)
    if (m.name == name) return &m;
  return nullptr;
}

const Function *Module::function(const std::string &name) const {
  for (const auto &f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

namespace {

struct Registered {
  const Module *module;
  const ObjectType *object;
};

std::map<std::string, Module> &modules() {
  static std::map<std::string, Module> m;
  return m;
}
std::map<std::string, Registered> &objects() {
  static std::map<std::string, Registered> o;
  return o;
}

// One object made by a scenario or the property suite.
struct Instance {
  const Module *module = nullptr;
  const ObjectType *type = nullptr;
  void *obj = nullptr;
  std::map<const Method *, std::unique_ptr<struct vmod_priv>> priv_call;
  // Its pick (`obj.backend(...)` with request key 0's values): what the object's name
  // stands for as a BACKEND argument when it made no director of that name.
  std::function<VCL_BACKEND(VRT_CTX)> pick;
};

// Per VCL: the vmod privs the runner gave the event trampoline, and the objects by name
// (for init calls on another object). Keyed by the runtime's struct vcl; entries are
// replaced at LOAD and dropped at DISCARD, so a reused address never sees stale ones.
struct VclState {
  std::uint64_t run = 0;  // the Runtime's run_id(): an entry of an earlier run is reset
  std::map<std::string, struct vmod_priv *> privs;
  std::map<std::string, std::unique_ptr<struct vmod_priv>> own_privs;  // when no event ran
  std::map<std::string, std::weak_ptr<Instance>> objects;
  std::set<std::string> literals;  // VCL constants handed to the vmod (node addresses stay)
  std::map<std::string, std::unique_ptr<struct vrt_blob>> blobs;
  std::map<std::string, std::unique_ptr<std::max_align_t[]>> ips;  // suckaddrs
  std::map<std::string, std::unique_ptr<struct gethdr_s>> headers;
  std::map<std::string, VCL_PROBE> probes;  // backend name -> its probe (declare_probe)
  std::set<std::string> none_backends;      // `backend NAME none;` (declare_none_backend)
  std::map<std::string, std::unique_ptr<struct vmod_priv>> fn_priv_call;  // per function call site
};
thread_local std::map<const struct vcl *, VclState> vcl_states;

// The state of ctx's VCL in this run (a VCL of an earlier run may have had its address).
VclState &state_of(const struct vcl *v) {
  VclState &st = vcl_states[v];
  std::uint64_t run = vrt::Runtime::get().run_id();
  if (st.run != run) {
    st = VclState{};
    st.run = run;
  }
  return st;
}

struct vmod_priv *priv_vcl(VRT_CTX, const Module &m) {
  VclState &st = state_of(ctx->vcl);
  auto it = st.privs.find(m.name);
  if (it != st.privs.end()) return it->second;
  auto &own = st.own_privs[m.name];
  if (!own) own = std::make_unique<struct vmod_priv>();
  return own.get();
}

Value call(VRT_CTX, Instance &in, const Method &m, const Bound &b, CallEnv env) {
  // No VCL calls an object after its __fini (a timeline fini: ran it): nothing is called.
  if (in.obj == nullptr) return Value{};
  auto &pc = in.priv_call[&m];
  if (!pc) pc = std::make_unique<struct vmod_priv>();
  env.priv_call = pc.get();
  env.priv_vcl = priv_vcl(ctx, *in.module);
  env.task_id = in.module->task_id;
  Args a(m.params.size());
  fill(ctx, b, env, a);
  Value v;
  m.call(ctx, in.obj, a, v);
  return v;
}

}  // namespace

namespace {

[[noreturn]] void bad(const std::string &msg) { throw std::invalid_argument(msg); }

// A call as written bound to a signature with the runner's identifiers `sp`; the scenario
// was checked before the run, so a mismatch here is a bug (bad()).
Bound bind_written(const std::vector<Param> &params, const sc::VmodCall &c, const std::vector<Special> &sp) {
  Bound b;
  sc::Mark at;
  std::string why = bind_call(params, c.args, sp, nullptr, &b, &at);
  if (!why.empty()) bad(fmt::format("{}: {}", c.text, why));
  return b;
}

// `vmod.function(args)` as written (c.object is the vmod): PRIV_VCL is the vmod's priv of
// ctx's VCL, PRIV_CALL one per call site and VCL, PRIV_TASK the task's.
Value call_function(VRT_CTX, const sc::VmodCall &c, const std::vector<Special> &sp, CallEnv env) {
  const Module *m = find_module(c.object);
  const Function *f = m ? m->function(c.method) : nullptr;
  if (!f) bad(fmt::format("{}: no vmod '{}' with a function .{}()", c.text, c.object, c.method));
  Bound b = bind_written(f->params, c, sp);
  auto &pc = state_of(ctx->vcl).fn_priv_call[c.object + "." + c.method + "|" + c.text];
  if (!pc) pc = std::make_unique<struct vmod_priv>();
  env.priv_call = pc.get();
  env.priv_vcl = priv_vcl(ctx, *m);
  env.task_id = m->task_id;
  Args a(f->params.size());
  fill(ctx, b, env, a);
  Value v;
  f->call(ctx, a, v);
  return v;
}

// The object of that name in ctx's VCL, nullptr if none.
std::shared_ptr<Instance> instance(VRT_CTX, const std::string &name) {
  auto &objects = state_of(ctx->vcl).objects;
  auto it = objects.find(name);
  return it == objects.end() ? nullptr : it->second.lock();
}

// `OBJ.METHOD(ARGS)` on the object of ctx's VCL, else `VMOD.FUNCTION(ARGS)`: what VCL
// would run for a written call. nullopt if the VCL has neither.
std::optional<Value> call_written(VRT_CTX, const sc::VmodCall &c, const std::vector<Special> &sp,
                                  const CallEnv &env) {
  // A crash inside names the call (isolate.cpp's crash note).
  struct InCode {
    sim::Actor *a;
    const char *was;
    explicit InCode(const char *text) : a(sim::Sim::current() ? sim::Sim::current()->running() : nullptr),
                                        was(a ? a->in_code : nullptr) {
      if (a) a->in_code = text;
    }
    ~InCode() {
      if (a) a->in_code = was;
    }
  } in_code(c.text.c_str());
  if (std::shared_ptr<Instance> in = instance(ctx, c.object)) {
    if (in->obj == nullptr) return std::nullopt;  // its __fini ran: the call is skipped
    const Method *m = in->type->method(c.method);
    if (!m) bad(fmt::format("{}: no method .{}()", c.text, c.method));
    return call(ctx, *in, *m, bind_written(m->params, c, sp), env);
  }
  if (!find_function(c.object, c.method)) return std::nullopt;
  return call_function(ctx, c, sp, env);
}

}  // namespace

const char *vcl_literal(VRT_CTX, const std::string &text) {
  if (ctx->vcl == nullptr) return nullptr;
  return state_of(ctx->vcl).literals.insert(text).first->c_str();
}

VCL_BLOB vcl_blob(VRT_CTX, const std::string &bytes) {
  if (ctx->vcl == nullptr) return nullptr;
  auto &b = state_of(ctx->vcl).blobs[bytes];
  if (!b) {
    const char *text = vcl_literal(ctx, bytes);
    b = std::make_unique<struct vrt_blob>(vrt_blob{VRT_BLOB_MAGIC, 0, bytes.size(), text});
  }
  return b.get();
}

VCL_IP vcl_ip(VRT_CTX, const std::string &address) {
  if (ctx->vcl == nullptr) return nullptr;
  auto &buf = state_of(ctx->vcl).ips[address];
  if (!buf) {
    unsigned char a[16];
    bool v4 = inet_pton(AF_INET, address.c_str(), a) == 1;
    if (!v4 && inet_pton(AF_INET6, address.c_str(), a) != 1) bad(fmt::format("IP '{}' is not an address", address));
    buf.reset(new std::max_align_t[vsa_suckaddr_len / sizeof(std::max_align_t) + 1]);
    AN(VSA_BuildFAP(buf.get(), v4 ? AF_INET : AF_INET6, a, v4 ? 4 : 16, nullptr, 0));
  }
  return reinterpret_cast<VCL_IP>(buf.get());
}

VCL_HEADER vcl_header(VRT_CTX, const std::string &text) {
  if (ctx->vcl == nullptr) return nullptr;
  std::string why = header_problem(text);
  if (!why.empty()) bad(why);
  auto &h = state_of(ctx->vcl).headers[text];
  if (!h) {
    static const std::map<std::string, enum gethdr_e> wheres = {
        {"req", HDR_REQ},     {"req_top", HDR_REQ_TOP}, {"resp", HDR_RESP},          {"obj", HDR_OBJ},
        {"bereq", HDR_BEREQ}, {"beresp", HDR_BERESP},   {"obj_stale", HDR_OBJ_STALE}};
    auto dot = text.find(".http.");
    std::string name = text.substr(dot + 6) + ":";
    // hdr_t: the name with its colon, after a byte that holds its length
    const char *what = vcl_literal(ctx, std::string(1, static_cast<char>(name.size())) + name);
    h = std::make_unique<struct gethdr_s>(gethdr_s{wheres.at(text.substr(0, dot)), reinterpret_cast<hdr_t>(what)});
  }
  return h.get();
}

void declare_probe(VRT_CTX, const std::string &backend, VCL_PROBE probe) {
  if (ctx->vcl != nullptr && probe != nullptr) state_of(ctx->vcl).probes[backend] = probe;
}

void declare_none_backend(VRT_CTX, const std::string &backend) {
  if (ctx->vcl != nullptr) state_of(ctx->vcl).none_backends.insert(backend);
}

bool is_none_backend(VRT_CTX, const std::string &backend) {
  return ctx->vcl != nullptr && state_of(ctx->vcl).none_backends.count(backend) > 0;
}

VCL_PROBE vcl_probe(VRT_CTX, const std::string &backend) {
  if (ctx->vcl == nullptr) return nullptr;
  auto &probes = state_of(ctx->vcl).probes;
  auto it = probes.find(backend);
  if (it == probes.end()) bad(fmt::format("PROBE '{}': no backend with a probe of that name", backend));
  return it->second;
}

bool object_backend(VRT_CTX, const std::string &name, VCL_BACKEND *be) {
  if (ctx->vcl == nullptr) return false;
  auto &objects = state_of(ctx->vcl).objects;
  auto it = objects.find(name);
  std::shared_ptr<Instance> in = it == objects.end() ? nullptr : it->second.lock();
  if (!in || !in->pick) return false;
  *be = in->pick(ctx);
  return true;
}

VCL_BACKEND call_backend(VRT_CTX, const sc::VmodCall &c, const CallEnv &env) {
  std::optional<Value> v = call_written(ctx, c, request_specials(), env);
  if (!v) bad(fmt::format("{}: no object or vmod function '{}.{}'", c.text, c.object, c.method));
  return v->backend;
}

std::int64_t call_integer(VRT_CTX, const sc::VmodCall &c, const CallEnv &env) {
  std::optional<Value> v = call_written(ctx, c, request_specials(), env);
  if (!v) bad(fmt::format("{}: no object or vmod function '{}.{}'", c.text, c.object, c.method));
  return v->integer;
}

const Method *default_pick(const ObjectType &t, Bound *out) {
  const Method *found = nullptr;
  for (const auto &m : t.methods) {
    if (m.ret != "BACKEND" || !m.callable_in(VCL_MET_RECV)) continue;  // `set req.backend_hint = ...`
    std::vector<sc::VmodArg> args;
    for (const auto &p : m.params) {
      if (is_priv(p.type) || p.optional || p.deflt) continue;
      if (p.type != "STRING" && p.type != "STRANDS") break;
      sc::VmodArg a;
      a.name = p.name;
      a.text = "req.url";
      args.push_back(a);
    }
    Bound b;
    sc::Mark at;
    bool unnamed = std::any_of(args.begin(), args.end(), [](const sc::VmodArg &a) { return a.name.empty(); });
    if (unnamed) for (auto &a : args) a.name.clear();
    if (!bind_call(m.params, args, {Special::req_url}, nullptr, &b, &at).empty()) continue;
    if (!found || m.name == "backend") {
      found = &m;
      *out = b;
    }
  }
  return found;
}

namespace {

const Method *default_update(const ObjectType &t) {
  const Method *m = t.method("update");
  if (!m) return nullptr;
  for (const auto &p : m->params)
    if (p.type == "STRING") return m;
  return nullptr;
}

// The call bound with the runner's identifiers; the scenario was checked before the run.
Bound bind_checked(const ObjectType &t, const sc::VmodCall &c, const std::vector<Special> &sp) {
  const Method *m = t.method(c.method);
  if (!m) bad(fmt::format("{}: no method .{}()", c.text, c.method));
  return bind_written(m->params, c, sp);
}

// What a request offers a call: req.url, req.http.host, client.identity.
struct RequestValues {
  explicit RequestValues(const ClientRequest &r) : req(r), host(r.host()) {}
  CallEnv env() const {
    CallEnv e;
    e.url = &req.http.url;
    e.host = &host;
    e.client_identity = &req.client_identity;
    return e;
  }
  const ClientRequest &req;
  std::string host;
};

// `new name = vmod.object(...)`: the constructor with the file's arguments, else the
// defaults (the property suite); the instance is the VCL's object `name`.
std::shared_ptr<Instance> construct(VRT_CTX, const std::string &name, const sc::Director &spec, const Registered &r,
                                    FnDirector &d) {
  auto in = std::make_shared<Instance>();
  in->module = r.module;
  in->type = r.object;
  const ObjectType &t = *r.object;
  auto init_b = std::make_shared<Bound>();
  if (spec.vmod_new) {
    sc::Mark at;
    std::string why = bind_call(t.init_params, spec.vmod_new->args, {}, nullptr, init_b.get(), &at);
    if (!why.empty()) bad(fmt::format("{}: {}", spec.vmod_new->text, why));
  } else {
    *init_b = bind_defaults(t.init_params);
  }
  CallEnv env;
  env.priv_vcl = priv_vcl(ctx, *in->module);
  env.task_id = in->module->task_id;
  env.probe = dynamic_probe(d, spec);
  Args a(t.init_params.size());
  fill(ctx, *init_b, env, a);
  // VCC passes the object's name as a string constant of the compiled VCL, and vmods
  // keep the pointer (8.0.0's shard logs with it): the name must live as long as the VCL.
  const char *vcl_name = vcl_literal(ctx, name);
  if (vcl_name == nullptr) bad(fmt::format("new {}: no VCL to make it in", name));
  t.init(ctx, &in->obj, vcl_name, a);
  state_of(ctx->vcl).objects[name] = in;
  return in;
}

// .add_backend(BACKEND[, weight]) and .remove_backend(BACKEND), where the object has them.
void wire_members(FnDirector &d, const std::shared_ptr<Instance> &in) {
  const ObjectType &t = *in->type;
  if (const Method *m = t.method("add_backend")) {
    auto b = std::make_shared<Bound>();
    if (bind_member_call(*m, true, b.get()).empty())
      d.add = [in, m, b](VRT_CTX, VCL_BACKEND be, double w) {
        CallEnv e;
        e.member = be;
        e.weight = w;
        call(ctx, *in, *m, *b, e);
      };
  }
  if (!d.add)
    d.add = [type = t.object](VRT_CTX, VCL_BACKEND, double) { VRT_fail(ctx, "%s has no .add_backend(BACKEND)", type.c_str()); };
  if (const Method *m = t.method("remove_backend")) {
    auto b = std::make_shared<Bound>();
    if (bind_member_call(*m, false, b.get()).empty())
      d.remove = [in, m, b](VRT_CTX, VCL_BACKEND be) {
        CallEnv e;
        e.member = be;
        call(ctx, *in, *m, *b, e);
      };
  }
}

// What a request resolves through: the `backend:` call, else the method returning BACKEND.
void wire_pick(FnDirector &d, const std::shared_ptr<Instance> &in, const sc::Director &spec) {
  const ObjectType &t = *in->type;
  auto pb = std::make_shared<Bound>();
  const Method *pm = spec.vmod_backend ? t.method(spec.vmod_backend->method) : default_pick(t, pb.get());
  if (spec.vmod_backend) *pb = bind_checked(t, *spec.vmod_backend, request_specials());
  if (!pm) {  // an object no request resolves through (shard_param): using it is a VCL error
    d.pick = [type = t.object](VRT_CTX, const ClientRequest &) -> VCL_BACKEND {
      VRT_fail(ctx, "%s has no method returning BACKEND", type.c_str());
      return nullptr;
    };
    return;
  }
  d.pick = [in, pm, pb](VRT_CTX, const ClientRequest &r) {
    RequestValues req(r);
    return call(ctx, *in, *pm, *pb, req.env()).backend;
  };
  in->pick = [raw = in.get(), pm, pb](VRT_CTX) {  // raw: the Instance owns this closure
    const ClientRequest r = request_for_key(0);
    RequestValues req(r);
    return call(ctx, *raw, *pm, *pb, req.env()).backend;
  };
}

// What a resolver answer calls: the `update:` call, else the method taking a STRING.
void wire_update(FnDirector &d, const std::shared_ptr<Instance> &in, const sc::Director &spec) {
  const ObjectType &t = *in->type;
  const Method *um = spec.vmod_update ? t.method(spec.vmod_update->method) : default_update(t);
  if (!um) return;
  auto ub = std::make_shared<Bound>();
  if (spec.vmod_update) {
    *ub = bind_checked(t, *spec.vmod_update, {Special::answer});
  } else {
    ub->params = &um->params;
    ub->args.assign(um->params.size(), BoundArg{});
    for (std::size_t i = 0; i < um->params.size(); i++)
      if (um->params[i].type == "STRING") {
        ub->args[i].given = true;
        ub->args[i].special = Special::answer;
        break;
      }
  }
  d.upd = [in, um, ub](VRT_CTX, const std::string &answers) {
    CallEnv e;
    e.answer = &answers;
    call(ctx, *in, *um, *ub, e);
  };
}

std::unique_ptr<DirectorObject> make(VRT_CTX, const std::string &name, const sc::Director &spec, const Registered &r) {
  auto d = std::make_unique<FnDirector>();
  std::shared_ptr<Instance> in = construct(ctx, name, spec, r, *d);
  wire_members(*d, in);
  wire_pick(*d, in, spec);
  wire_update(*d, in, spec);
  // init calls run after the members, in the order written (they may call other objects).
  auto calls = std::make_shared<std::vector<sc::VmodCall>>(spec.vmod_init);
  d->done = [calls](VRT_CTX) {
    for (const auto &c : *calls)
      if (!call_written(ctx, c, {}, CallEnv{})) bad(fmt::format("{}: no object or vmod function '{}'", c.text, c.object));
  };
  // As VCC emits it: `if (obj) obj__fini(&obj);` (a constructor that failed left it NULL).
  d->fin = [in] {
    if (in->obj != nullptr) in->type->fini(&in->obj);
  };
  return d;
}

}  // namespace

namespace {

std::vector<std::string> &notices() {
  static std::vector<std::string> n;
  return n;
}

void notice(const std::string &text) {
  if (std::find(notices().begin(), notices().end(), text) == notices().end()) notices().push_back(text);
}

void unregister_objects(const Module &m) {
  for (const auto &o : m.objects) {
    std::string type = m.name + "." + o.object;
    objects().erase(type);
    director_types().erase(type);
    director_vmods().erase(type);
  }
}

}  // namespace

const void *call_touches(VRT_CTX, const sc::VmodCall &c) {
  std::shared_ptr<Instance> in = instance(ctx, c.object);
  if (!in) return nullptr;
  const void *touched = in->obj;
  for (const vcldir *vd : ctx->vcl->dirs)
    if (std::strcmp(vd->dir->vcl_name, c.object.c_str()) == 0) touched = vd->dir;
  return touched;
}

std::optional<Value> call_in_request(VRT_CTX, const sc::VmodCall &c, const ClientRequest &r) {
  RequestValues req(r);
  return call_written(ctx, c, request_specials(), req.env());
}

namespace {
std::uint64_t generation = 0;
}  // namespace

std::uint64_t registry_generation() { return generation; }

void register_module(Module m) {
  generation++;
  auto it = modules().find(m.name);
  if (it != modules().end()) {
    if (m.builtin && !it->second.builtin)
      notice(fmt::format("vmod {}: the vmod's own module replaces vdisim's built-in '{}' "
                                      "(type: round_robin ... now name its objects)", m.name, m.name));
    if (m.builtin || !it->second.builtin) return;  // the first of equals stays
    notice(fmt::format("vmod {}: the vmod's own module replaces vdisim's built-in '{}' "
                       "(type: round_robin ... now name its objects)", m.name, m.name));
    unregister_objects(it->second);
    modules().erase(it);
  }
  Module &stored = modules()[m.name] = std::move(m);
  for (const auto &o : stored.objects) {
    std::string type = stored.name + "." + o.object;
    Registered r{&stored, &o};
    objects()[type] = r;
    director_types()[type] = [r](VRT_CTX, const std::string &name, const sc::Director &spec) {
      return make(ctx, name, spec, r);
    };
    director_vmods()[type] = VmodImport{stored.name, stored.event};
  }
}

void register_builtin_module(Module m) {
  m.builtin = true;
  register_module(std::move(m));
}

const std::vector<std::string> &registry_notices() { return notices(); }

const Module *find_module(const std::string &name) {
  auto it = modules().find(name);
  return it == modules().end() ? nullptr : &it->second;
}

bool is_priv(const std::string &type) { return type.rfind("PRIV_", 0) == 0; }

const Function *find_function(const std::string &vmod, const std::string &name) {
  const Module *m = find_module(vmod);
  return m ? m->function(name) : nullptr;
}

const ObjectType *find_object(const std::string &type) {
  auto it = objects().find(type);
  return it == objects().end() ? nullptr : it->second.object;
}

std::vector<std::string> registered_modules() {
  std::vector<std::string> out;
  for (const auto &[k, v] : modules()) out.push_back(k);
  return out;
}

std::vector<std::string> registered_objects() {
  std::vector<std::string> out;
  for (const auto &[k, v] : objects()) out.push_back(k);
  return out;
}

int event_trampoline(const char *module, vmod_event_f *event, VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e) {
  if (e == VCL_EVENT_LOAD) {
    // The first registered vmod the VCL imports starts its state afresh: a VCL of an
    // earlier run may have lived at the same address.
    for (const auto &h : ctx->vcl->vmods)
      if (modules().count(h.name)) {
        if (h.name == module) vcl_states.erase(ctx->vcl);
        break;
      }
    state_of(ctx->vcl).privs[module] = priv;
  }
  int r = event ? event(ctx, priv, e) : 0;
  if (e == VCL_EVENT_DISCARD) {
    if (priv->methods && priv->methods->fini) priv->methods->fini(ctx, priv->priv);  // varnishd finishes
    priv->priv = nullptr;                                                              // PRIV_VCL after DISCARD
    priv->methods = nullptr;
    vcl_states.erase(ctx->vcl);
  }
  return r;
}

}  // namespace vdisim::runner::vmod
