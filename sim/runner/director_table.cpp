// The built-in director types: vmod_directors' objects in directors/, called through the
// prototypes vcc2if generated from directors/vmod_directors.vcc.
#include "sim/runner/director_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "cache/cache.h"
extern "C" {
#include "vcc_directors_if.h"
}

// The glue scripts/vcc2if --glue generated from directors/vmod_directors.vcc (renamed
// by sim/runner/CMakeLists.txt so that a vmod of the same name can link beside it).
void vdisim_builtin_register_directors();

namespace vdisim::runner {

namespace sc = vdisim::scenario;

std::map<std::string, DirectorFactory> &director_types() {
  static std::map<std::string, DirectorFactory> t;
  return t;
}

std::string director_type_name(const scenario::Director &spec) {
  return spec.type == scenario::DirectorType::mutant ? "mutant:" + spec.mutant_name : spec.type_text;
}

const DirectorFactory *find_director_type(const scenario::Director &spec) {
  auto it = director_types().find(director_type_name(spec));
  return it == director_types().end() ? nullptr : &it->second;
}

std::map<std::string, VmodImport> &director_vmods() {
  static std::map<std::string, VmodImport> t;
  return t;
}

std::vector<vrt::VmodHook> vmod_imports(const std::vector<std::string> &types,
                                        std::vector<std::unique_ptr<struct vmod_priv>> &privs) {
  std::vector<vrt::VmodHook> hooks;
  std::vector<std::string> seen;
  for (const auto &t : types) {
    auto it = director_vmods().find(t);
    if (it == director_vmods().end() || std::find(seen.begin(), seen.end(), it->second.vmod) != seen.end()) continue;
    seen.push_back(it->second.vmod);
    if (!it->second.event) continue;
    privs.push_back(std::make_unique<struct vmod_priv>());
    struct vmod_priv *priv = privs.back().get();
    vmod_event_f *event = it->second.event;
    hooks.push_back(vrt::VmodHook{it->second.vmod, [event, priv](VRT_CTX, enum vcl_event_e e) { return event(ctx, priv, e); }});
  }
  return hooks;
}

std::vector<std::string> known_director_types() {
  std::vector<std::string> out;
  for (const auto &[k, v] : director_types()) out.push_back(k);
  return out;
}

std::string request_url(std::uint64_t key) { return fmt::format("/obj/{}", key); }

const struct vrt_backend_probe *dynamic_probe(FnDirector &d, const scenario::Director &spec) {
  if (!spec.options.probe) return nullptr;
  const auto &p = *spec.options.probe;
  d.probe.magic = VRT_BACKEND_PROBE_MAGIC;
  d.probe.url = "/";
  d.probe.timeout = static_cast<double>(p.timeout_ns) * 1e-9;
  d.probe.interval = static_cast<double>(p.interval_ns) * 1e-9;
  d.probe.exp_status = static_cast<unsigned>(p.expected_status);
  d.probe.window = static_cast<unsigned>(p.window);
  d.probe.threshold = static_cast<unsigned>(p.threshold);
  d.probe.initial = static_cast<unsigned>(p.initial);
  d.probe.exp_close = 1;
  return &d.probe;
}


std::string request_property(std::uint64_t key, const std::string &what) {
  if (what == "host") return fmt::format("h{}.example", key);
  if (what == "client_identity") return fmt::format("10.{}.{}.{}", (key >> 16) & 0xff, (key >> 8) & 0xff, key & 0xff);
  return request_url(key);
}

namespace {

sc::VmodArg ident_arg(const std::string &name, const std::string &text) {
  sc::VmodArg a;
  a.name = name;
  a.kind = sc::VmodArg::Kind::ident;
  a.text = text;
  return a;
}

// `type: fallback` + `options: {sticky: true}` is `new NAME = directors.fallback(sticky =
// true);`, a hash's `key` the argument of its pick: the short types are VCL on the
// registered vmod objects, made by the one factory every vmod object goes through.
sc::Director as_vcl(const sc::Director &spec, const std::string &module, const std::string &object) {
  sc::Director v = spec;
  v.type = sc::DirectorType::vmod;
  v.type_text = module + "." + object;
  sc::VmodCall ctor;
  ctor.mark = spec.mark;
  ctor.object = module;
  ctor.method = object;
  ctor.text = fmt::format("{}.{}()", module, object);
  if (object == "fallback" && spec.options.sticky) {
    sc::VmodArg a;
    a.name = "sticky";
    a.kind = sc::VmodArg::Kind::boolean;
    a.boolean = true;
    a.text = "true";
    ctor.args.push_back(a);
  }
  v.vmod_new = ctor;
  if (object == "hash") {
    sc::VmodCall pick;
    pick.mark = spec.mark;
    pick.object = spec.name;
    pick.method = "backend";
    const std::string &k = spec.options.hash_key;
    pick.args.push_back(ident_arg("", k == "host" ? "req.http.host" : k == "client_identity" ? "client.identity" : "req.url"));
    pick.text = fmt::format("{}.backend({})", spec.name, pick.args.back().text);
    v.vmod_backend = pick;
  }
  return v;
}

void register_short_type(const std::string &type, const std::string &module, const std::string &object) {
  director_types()[type] = [type, module, object](VRT_CTX, const std::string &name, const sc::Director &spec) {
    auto it = director_types().find(module + "." + object);
    if (it == director_types().end())
      throw std::invalid_argument(fmt::format("type {}: vmod {} has no object {} (was it replaced?)", type, module, object));
    return it->second(ctx, name, as_vcl(spec, module, object));
  };
  auto imp = director_vmods().find(module + "." + object);
  if (imp != director_vmods().end()) director_vmods()[type] = imp->second;
}

void register_shard() {
  director_types()["shard"] = [](VRT_CTX, const std::string &name, const scenario::Director &spec) {
    auto d = std::make_unique<FnDirector>();
    auto obj = std::make_shared<struct vmod_directors_shard *>(nullptr);
    vmod_shard__init(ctx, obj.get(), name.c_str());
    d->add = [obj](VRT_CTX, VCL_BACKEND be, double w) {
      struct arg_vmod_directors_shard_add_backend a {};
      a.backend = be;
      a.valid_weight = 1;
      a.weight = w;
      vmod_shard_add_backend(ctx, *obj, &a);
    };
    d->remove = [obj](VRT_CTX, VCL_BACKEND be) {
      struct arg_vmod_directors_shard_remove_backend a {};
      a.valid_backend = 1;
      a.backend = be;
      vmod_shard_remove_backend(ctx, *obj, &a);
      vmod_shard_reconfigure(ctx, *obj, 67);
    };
    int replicas = spec.options.replicas;
    d->done = [obj, replicas](VRT_CTX) { vmod_shard_reconfigure(ctx, *obj, replicas); };
    d->pick = [obj](VRT_CTX, std::uint64_t key) {
      std::string url = request_url(key);
      struct arg_vmod_directors_shard_backend a {};
      a.valid_by = 1;
      a.by = enum_vmod_directors_KEY;
      a.valid_key = 1;
      const char *part[1] = {url.c_str()};
      struct strands st {STRANDS_MAGIC, 1, part};
      a.key = vmod_shard_key(ctx, *obj, &st);
      return vmod_shard_backend(ctx, *obj, &a);
    };
    d->fin = [obj] { vmod_shard__fini(obj.get()); };
    return std::unique_ptr<DirectorObject>(std::move(d));
  };
}

}  // namespace

void register_builtin_directors() {
  if (director_types().count("round_robin")) return;
  vdisim_builtin_register_directors();
  for (const char *t : {"round_robin", "fallback", "random", "hash", "dynamic"}) register_short_type(t, "directors", t);
  register_shard();
  director_vmods()["shard"] = VmodImport{"directors", vmod_directors_event};
}

}  // namespace vdisim::runner
