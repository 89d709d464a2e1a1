// The runner's view of a director object (DirectorObject) and the director types a
// scenario can name, each a factory filled by the vmod registry (vmod_registry.hpp) when
// a vmod registers: "mod.obj" for every object, plus the short types of short_types.hpp.
// The runner only talks to DirectorObject.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/fake_vrt/request.hpp"
#include "sim/fake_vrt/runtime.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace vdisim::runner {

// A client request as VCL reads it: the request line and headers (req.url, req.http.*,
// and what the builtin vcl_hash digests) and client.identity. Everything that reads a
// request (picks, routes, vcl_recv calls, the request log) reads it from here.
struct ClientRequest {
  vrt::RequestHttp http;
  std::string client_identity;
  std::string host() const;  // req.http.host: the Host header (any case), "" without one
  const std::string *header(std::string_view name) const;  // req.http.NAME (any case), null without one
  void set_header(const std::string &name, const std::string &value);  // replaces one of that name
  void unset_header(std::string_view name);  // removes every one of that name
};
// The request for traffic key K: GET /obj/K, Host hK.example, from 10.a.b.c (K's low 24
// bits). A traffic entry's `urls:` and `headers:` replace parts of it.
ClientRequest request_for_key(std::uint64_t key);

class DirectorObject {
 public:
  virtual ~DirectorObject() = default;
  virtual void add_backend(VRT_CTX, VCL_BACKEND be, double weight) = 0;
  virtual void remove_backend(VRT_CTX, VCL_BACKEND be) = 0;
  // What `set req.backend_hint = obj.backend(...)` returns for this request.
  virtual VCL_BACKEND backend(VRT_CTX, const ClientRequest &req) = 0;
  // The same for the request of traffic key `key` (request_for_key).
  VCL_BACKEND backend(VRT_CTX, std::uint64_t key) { return backend(ctx, request_for_key(key)); }
  // After all members were added in vcl_init (shard: reconfigure).
  virtual void init_done(VRT_CTX) { (void)ctx; }
  // Dynamic directors: a new resolver answer ("host:port,host:port").
  virtual void update(VRT_CTX, const std::string &answers) { (void)ctx; (void)answers; }
  virtual void fini() = 0;  // the object's __fini, run at discard
};

// The URL the request for this key asks for: /obj/K.
std::string request_url(std::uint64_t key);

// A director object as a set of calls; each registration fills in what its vmod has.
struct FnDirector final : DirectorObject {
  std::function<void(VRT_CTX, VCL_BACKEND, double)> add;
  std::function<void(VRT_CTX, VCL_BACKEND)> remove;
  std::function<VCL_BACKEND(VRT_CTX, const ClientRequest &)> pick;
  std::function<void(VRT_CTX)> done;
  std::function<void(VRT_CTX, const std::string &)> upd;
  std::function<void()> fin;
  struct vrt_backend_probe probe {};
  void add_backend(VRT_CTX, VCL_BACKEND be, double w) override { add(ctx, be, w); }
  void remove_backend(VRT_CTX, VCL_BACKEND be) override {
    if (remove) remove(ctx, be);
  }
  using DirectorObject::backend;
  VCL_BACKEND backend(VRT_CTX, const ClientRequest &req) override { return pick(ctx, req); }
  void init_done(VRT_CTX) override {
    if (done) done(ctx);
  }
  void update(VRT_CTX, const std::string &a) override {
    if (upd) upd(ctx, a);
  }
  void fini() override { fin(); }
};

// The probe a dynamic director gives the backends it creates (`options.probe`), kept in
// the FnDirector as the vmod keeps the VCL's probe; nullptr without one.
const struct vrt_backend_probe *dynamic_probe(FnDirector &d, const scenario::Director &spec);


using DirectorFactory =
    std::function<std::unique_ptr<DirectorObject>(VRT_CTX, const std::string &name, const scenario::Director &spec)>;

// Type name -> factory: "mod.obj" from register_module(), short types from short_types.hpp.
std::map<std::string, DirectorFactory> &director_types();
// "fallback" or "mutant:<name>": the key of the spec's type in director_types().
std::string director_type_name(const scenario::Director &spec);
// That type's factory; nullptr if unknown.
const DirectorFactory *find_director_type(const scenario::Director &spec);

// The vmod a director type belongs to. A VCL that declares an object of the type imports
// that vmod, and the runtime sends the vmod's $Event function (when it has one) LOAD,
// WARM, COLD and DISCARD with a priv of its own per VCL, as varnishd does.
struct VmodImport {
  std::string vmod;               // "directors", "mut_dyn_ignore_null", ...
  vmod_event_f *event = nullptr;  // nullptr: the vmod declares no $Event
};
// Type name -> import, filled by the same registrations as director_types().
std::map<std::string, VmodImport> &director_vmods();
// The imports of a VCL that declares objects of these types (names as in
// director_types()) or names these vmods (an `import`, a function call), in order, each
// vmod once: a hook per vmod with an $Event, calling it with a priv of its own, which
// privs keeps for the VCL's lifetime. Names that are neither are skipped.
std::vector<vrt::VmodHook> vmod_imports(const std::vector<std::string> &types_or_vmods,
                                        std::vector<std::unique_ptr<struct vmod_priv>> &privs);
std::vector<std::string> known_director_types();

}  // namespace vdisim::runner
