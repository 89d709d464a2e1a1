// Vmods registered from their .vcc: each $Object becomes a director type "vmod.object"
// whose scenario form is VCL (`new: mydir.resolver(ttl = 1s)`, `init: [d.add_backend(web1)]`).
// The C++ glue that scripts/vcc2if --glue generates fills a Module and calls
// register_module() before main(); a vmod loaded from its .so (vmod_load.hpp) fills one
// from its descriptor. This file maps YAML values to VCL types by the .vcc signature and
// never calls a vmod function itself except through a module's thunks.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner/director_object.hpp"
#include "sim/scenario/model.hpp"
#include "vcl.h"
#include "vrt.h"

namespace vdisim::runner::vmod {

struct Param {
  std::string name;    // "" when the .vcc gives none
  std::string type;    // VCL type as in the .vcc: STRING, INT, ENUM, BACKEND, PRIV_VCL ...
  bool optional = false;             // [brackets]: a valid_<name> flag
  std::optional<std::string> deflt;  // `= value` in the .vcc, as written
  std::vector<std::string> enums;    // ENUM values
};

class Args;

// Return value of a method call; the glue sets the member of the method's return type.
struct Value {
  VCL_BACKEND backend = nullptr;
  std::int64_t integer = 0;  // INT, BYTES, BOOL
  double real = 0;           // REAL, DURATION, TIME
};

// Thunks may carry state (a loaded vmod's C function and its prototype); the glue's are
// plain functions.
using InitThunk = std::function<void(VRT_CTX, void **objp, const char *vcl_name, Args &a)>;
using FiniThunk = std::function<void(void **objp)>;
using MethodThunk = std::function<void(VRT_CTX, void *obj, Args &a, Value &ret)>;

// The subroutines VCC lets VCL call a method or function in: VCL_MET_* bits, from its
// $Restrict scopes (vcl_recv, client, backend, housekeeping ...); everywhere without one.
unsigned restrict_mask(const std::vector<std::string> &scopes);  // throws std::invalid_argument
// "vcl_init, vcl_fini": the subroutines of a mask, for messages.
std::string subroutine_names(unsigned mask);

struct Method {
  std::string name;
  std::string ret;  // VCL return type
  std::vector<Param> params;
  MethodThunk call;
  unsigned where = VCL_MET_TASK_ALL;  // restrict_mask() of its $Restrict
  bool callable_in(unsigned method) const { return (where & method) != 0; }
};

// A $Function of the vmod: called as `vmod.name(args)` where VCL may call it (vcl_init,
// vcl_recv, vcl_backend_response, a BACKEND argument, the timeline).
using FunctionThunk = std::function<void(VRT_CTX, Args &a, Value &ret)>;
struct Function {
  std::string name;
  std::string ret;  // VCL return type
  std::vector<Param> params;
  FunctionThunk call;
  unsigned where = VCL_MET_TASK_ALL;  // restrict_mask() of its $Restrict
  bool callable_in(unsigned method) const { return (where & method) != 0; }
};

struct ObjectType {
  std::string object;
  std::vector<Param> init_params;
  InitThunk init;
  FiniThunk fini;
  std::vector<Method> methods;
  const Method *method(const std::string &name) const;
};

struct Module {
  std::string name;                  // $Module (or the name the glue registers it under)
  bool builtin = false;              // vdisim's own (directors/): any other module of the name replaces it
  std::string file;                  // the libvmod_NAME.so it was loaded from ("" if linked in)
  vmod_event_f *event = nullptr;     // trampoline of the glue or loader (records PRIV_VCL, calls $Event)
  const void *task_id = nullptr;     // key of the vmod's PRIV_TASK / PRIV_TOP
  std::vector<ObjectType> objects;
  std::vector<Function> functions;
  const Function *function(const std::string &name) const;
};

// Registers every object as director type "<module>.<object>" (runner director_types()
// and director_vmods()). The first module of a name stays, except that a vmod's own module
// replaces a built-in one of the same name (Varnish's vmod_directors replaces vdisim's):
// the replacement is said in registry_notices(), never done silently.
void register_module(Module m);
// register_module() for vdisim's own modules (builtin = true); the built-in directors'
// glue is compiled to call this one.
void register_builtin_module(Module m);
// What registration decided that a user must hear (simrun prints it before running).
const std::vector<std::string> &registry_notices();
// Goes up with every module registered: a worker process forked before knows fewer.
std::uint64_t registry_generation();
// The registered module of that name (nullptr if none).
const Module *find_module(const std::string &name);
const ObjectType *find_object(const std::string &type);  // "vmod.object"
const Function *find_function(const std::string &vmod, const std::string &name);
std::vector<std::string> registered_objects();
std::vector<std::string> registered_modules();
bool is_priv(const std::string &type);  // PRIV_CALL, PRIV_TASK, PRIV_TOP, PRIV_VCL: not written

// The glue's event trampoline: remembers the VCL's priv of `module` for PRIV_VCL
// arguments, then calls the vmod's own $Event (may be nullptr).
int event_trampoline(const char *module, vmod_event_f *event, VRT_CTX, struct vmod_priv *priv,
                     enum vcl_event_e e);

// Arguments of one call, bound to the parameters of its signature (index = parameter).
class Args {
 public:
  struct Slot {
    bool given = false;
    std::string text;  // STRING, ENUM
    std::int64_t i = 0;
    double real = 0;
    VCL_BACKEND backend = nullptr;
    VCL_PROBE probe = nullptr;
    VCL_BLOB blob = nullptr;      // VCL constants: they live as long as their VCL
    VCL_IP ip = nullptr;
    VCL_HEADER header = nullptr;
    struct vmod_priv *priv = nullptr;
    struct strands strands {};
    const char *part = nullptr;
    // Where STRING/STRANDS text lives for the vmod: a literal of the scenario as long as
    // its VCL (VCL constants are static in varnishd), a request's value on its workspace.
    const char *stable = nullptr;
    bool null = false;  // given as NULL (a .vcc default `= 0` / `= NULL` of a pointer type)
  };
  explicit Args(std::size_t n) : slots_(n) {}
  Slot &slot(std::size_t i) { return slots_.at(i); }
  bool given(std::size_t i) const { return slots_.at(i).given; }
  VCL_STRING string(std::size_t i) const {
    const Slot &s = slots_.at(i);
    return s.given && !s.null ? (s.stable ? s.stable : s.text.c_str()) : nullptr;
  }
  VCL_STRANDS strands(std::size_t i);
  const char *text(std::size_t i) const { return slots_.at(i).text.c_str(); }
  VCL_INT integer(std::size_t i) const { return slots_.at(i).i; }
  VCL_REAL real(std::size_t i) const { return slots_.at(i).real; }
  VCL_BOOL boolean(std::size_t i) const { return slots_.at(i).i != 0; }
  VCL_DURATION duration(std::size_t i) const { return slots_.at(i).real; }
  VCL_BACKEND backend(std::size_t i) const { return slots_.at(i).backend; }
  VCL_PROBE probe(std::size_t i) const { return slots_.at(i).probe; }
  VCL_BLOB blob(std::size_t i) const { return slots_.at(i).blob; }
  VCL_IP ip(std::size_t i) const { return slots_.at(i).ip; }
  VCL_HEADER header(std::size_t i) const { return slots_.at(i).header; }
  struct vmod_priv *priv(std::size_t i) const { return slots_.at(i).priv; }

 private:
  std::vector<Slot> slots_;
};

// Runs `OBJ.METHOD(ARGS)` (checked by check_scenario) in the task of ctx, as VCL in
// vcl_recv (or vcl_backend_response) would, on the object of that name in ctx->vcl, or
// `VMOD.FUNCTION(ARGS)` when the VCL has no such object; `req` gives req.url,
// req.http.host and client.identity. What it returned; nullopt if the VCL has neither
// (the call is skipped).
std::optional<Value> call_in_request(VRT_CTX, const scenario::VmodCall &c, const ClientRequest &req);
// What a call `OBJ.METHOD(ARGS)` that VCL makes at run time touches: the director OBJ
// added under its own name in ctx's VCL (its resolves race the call), else the vmod
// object; nullptr for a $Function or a VCL without OBJ.
const void *call_touches(VRT_CTX, const scenario::VmodCall &c);

// The runner declares each probed backend's probe while it makes the VCL's backends: a
// PROBE argument that names the backend gets that probe (VCL: the `probe` it uses).
void declare_probe(VRT_CTX, const std::string &backend, VCL_PROBE probe);
// ... and each `backend NAME none;` (a BACKEND argument naming it is NULL).
void declare_none_backend(VRT_CTX, const std::string &backend);
bool is_none_backend(VRT_CTX, const std::string &backend);

// Checks every vmod director of the scenario against its registered signature: known
// type, methods, argument names, counts and types, BACKEND names, ENUM values. Returns
// "file:line:col: message" lines (empty: all good).
std::vector<std::string> check_scenario(const scenario::Scenario &sc);

}  // namespace vdisim::runner::vmod
