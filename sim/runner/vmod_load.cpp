// Vmods loaded from their shared library (see vmod_load.hpp). The checks are varnishd's
// (VCC reads the JSON, the cache loads the descriptor): the VRT major must be ours and
// the minor no newer, or for VRT 0.0 the ABI string must be ours; the descriptor must
// name the vmod and carry a function table and JSON. VCC declares the function table as
// the struct in the JSON's $CPROTO and calls `Table.f_member`; so do we, by position.
#include "sim/runner/vmod_load.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <utility>

#include "sim/runner/isolate.hpp"
#include "sim/runner/vmod_ffi.hpp"
#include "vmod_abi.h"

namespace vdisim::runner::vmod {

namespace {

using nlohmann::json;

// Event trampolines: VmodImport takes a plain vmod_event_f, and a loaded vmod's must know
// its module. A fixed pool of functions, one slot each, is all that needs (no generated code).
constexpr std::size_t kMaxVmods = 64;
struct EventSlot {
  std::string module;
  vmod_event_f *event = nullptr;  // the vmod's $Event, nullptr if none
};
std::array<EventSlot, kMaxVmods> event_slots;
std::size_t event_slots_used = 0;

template <std::size_t I>
int slot_event(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e) {
  return event_trampoline(event_slots[I].module.c_str(), event_slots[I].event, ctx, priv, e);
}
template <std::size_t... I>
constexpr std::array<vmod_event_f *, kMaxVmods> slot_table(std::index_sequence<I...>) {
  return {&slot_event<I>...};
}
constexpr std::array<vmod_event_f *, kMaxVmods> slot_events = slot_table(std::make_index_sequence<kMaxVmods>{});

// What one loaded file is: its handle and descriptor, the function table's member names
// in declaration order (from $CPROTO), and the key of its PRIV_TASK / PRIV_TOP.
struct Library {
  std::string path;
  std::string name;
  void *handle = nullptr;
  const struct vmod_data *data = nullptr;
  std::vector<std::string> members;
  char task_key = 0;
};

std::vector<std::unique_ptr<Library>> &libraries() {  // thunks point into them
  static std::vector<std::unique_ptr<Library>> l;
  return l;
}

[[noreturn]] void fail(const std::string &path, const std::string &what) {
  throw VmodLoadError(fmt::format("{}: {}", path, what));
}

// The JSON between vmodtool's start (VMOD_JSON_SPEC, 0x02) and end (0x03) markers.
std::string json_text(const Library &l) {
  static const std::string start = "VMOD_JSON_SPEC\x02";
  std::string all(l.data->json);
  auto b = all.find(start);
  if (b == std::string::npos) fail(l.path, "bad metadata (no VMOD_JSON_SPEC in the descriptor's JSON)");
  b += start.size();
  auto e = all.find('\x03', b);
  if (e == std::string::npos) fail(l.path, "bad metadata (truncated VMOD JSON)");
  return all.substr(b, e - b);
}

// A version field of $VMOD: "22U" or "0" (STRINGIFY of a C constant).
unsigned version_of(const Library &l, const json &v) {
  std::string s = v.get<std::string>();
  char *end = nullptr;
  unsigned long n = std::strtoul(s.c_str(), &end, 10);
  if (end == s.c_str() || (*end != '\0' && std::string(end) != "U"))
    fail(l.path, fmt::format("bad metadata (version '{}')", s));
  return static_cast<unsigned>(n);
}

// varnishd's two checks: VCC's on the JSON, the cache's on the descriptor.
void check_versions(const Library &l, unsigned major, unsigned minor, const std::string &abi) {
  const std::string head = fmt::format("Incompatible VMOD {}\n\tFile name: {}\n", l.name, l.path);
  if (major == 0 && minor == 0) {
    if (abi != VMOD_ABI_Version)
      throw VmodLoadError(head + fmt::format("\tABI mismatch, expected <{}>, got <{}>", VMOD_ABI_Version, abi));
  } else if (major != VRT_MAJOR_VERSION || minor > VRT_MINOR_VERSION) {
    throw VmodLoadError(head + fmt::format("\tVMOD wants ABI version {}.{}\n\tvdisim provides ABI version {}.{}",
                                           major, minor, VRT_MAJOR_VERSION, VRT_MINOR_VERSION));
  }
}

void check_descriptor(const Library &l) {
  const struct vmod_data *d = l.data;
  check_versions(l, d->vrt_major, d->vrt_minor, d->abi ? d->abi : "");
  if (d->file_id == nullptr || d->name == nullptr || std::string(d->name) != l.name || d->func == nullptr ||
      d->func_len <= 0 || d->proto != nullptr || d->json == nullptr || d->func_name == nullptr)
    fail(l.path, "VMOD data is mangled (Vmod_" + l.name + "_Data)");
}

// Member names of `struct FUNC_NAME { ... };` in the $CPROTO lines, in order.
std::vector<std::string> table_members(const Library &l, const json &cproto) {
  std::string text;
  for (std::size_t i = 1; i < cproto.size(); i++) text += cproto[i].get<std::string>() + "\n";
  const std::string open = "struct " + std::string(l.data->func_name) + " {";
  auto b = text.find(open);
  if (b == std::string::npos) fail(l.path, fmt::format("bad metadata (no struct {} in $CPROTO)", l.data->func_name));
  auto e = text.find("};", b);
  std::string body = text.substr(b + open.size(), e == std::string::npos ? std::string::npos : e - b - open.size());
  std::vector<std::string> out;
  static const std::regex member(R"(\*\s*([A-Za-z_][A-Za-z0-9_]*)\s*;)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), member); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  // Every member is a pointer (functions, ENUM constants, the event): the table's size says so.
  if (out.size() * sizeof(void *) != static_cast<std::size_t>(l.data->func_len))
    fail(l.path, fmt::format("VMOD data is mangled (function table: {} members in $CPROTO, {} bytes)", out.size(),
                             l.data->func_len));
  return out;
}

// The table entry a JSON name ("Vmod_x_Func.f_y") refers to.
const void *entry(const Library &l, const std::string &cname) {
  auto dot = cname.find('.');
  if (dot == std::string::npos || cname.substr(0, dot) != l.data->func_name)
    fail(l.path, fmt::format("bad metadata ('{}' is not in {})", cname, l.data->func_name));
  std::string m = cname.substr(dot + 1);
  for (std::size_t i = 0; i < l.members.size(); i++)
    if (l.members[i] == m) return static_cast<const void *const *>(l.data->func)[i];
  fail(l.path, fmt::format("bad metadata (no member {} in {})", m, l.data->func_name));
}

// A JSON prototype: [[RET], "Table.f_x", "struct arg_..." or "", ARG...]; an ARG is
// [TYPE, name|null, cname, default|null, [enum values]|null, true if [optional]].
CProto proto_of(const Library &l, const json &p) {
  CProto c;
  c.ret = p.at(0).at(0).get<std::string>();
  c.fn = const_cast<void *>(entry(l, p.at(1).get<std::string>()));
  if (c.fn == nullptr) fail(l.path, fmt::format("{} is NULL in the function table", p.at(1).get<std::string>()));
  c.argstruct = !p.at(2).get<std::string>().empty();
  for (std::size_t i = 3; i < p.size(); i++) {
    const json &a = p[i];
    Param par;
    par.type = a.at(0).get<std::string>();
    if (a.size() > 1 && !a[1].is_null()) par.name = a[1].get<std::string>();
    if (a.size() > 3 && !a[3].is_null()) par.deflt = a[3].get<std::string>();
    if (a.size() > 4 && !a[4].is_null()) par.enums = a[4].get<std::vector<std::string>>();
    par.optional = a.size() > 5 && a[5].get<bool>();
    c.params.push_back(std::move(par));
  }
  return c;
}

// ["$RESTRICT", [SCOPE...]] after the $FUNC or $METHOD it restricts (vmodtool's layout).
unsigned restrict_of(const Library &l, const json &st) {
  try {
    return restrict_mask(st.at(1).get<std::vector<std::string>>());
  } catch (const std::invalid_argument &e) {
    fail(l.path, fmt::format("bad metadata ({})", e.what()));
  }
}

// A stanza's proto, found by its tag among the $OBJ's members ("$INIT", "$FINI").
const json &member_proto(const Library &l, const json &obj, const char *tag) {
  for (const auto &m : obj)
    if (m.is_array() && !m.empty() && m[0] == tag) return m.at(1);
  fail(l.path, fmt::format("bad metadata (object {} has no {})", obj.at(1).get<std::string>(), tag));
}

ObjectType object_of(const Library &l, const json &obj, const EnumOf &enums) {
  ObjectType t;
  t.object = obj.at(1).get<std::string>();
  CProto init = proto_of(l, member_proto(l, obj, "$INIT"));
  t.init_params = init.params;
  CCall ci(Lead::init, std::move(init), enums);
  t.init = [ci](VRT_CTX, void **objp, const char *vcl_name, Args &a) { ci({ctx, objp, vcl_name}, &a, nullptr); };
  CCall cf(Lead::fini, proto_of(l, member_proto(l, obj, "$FINI")), enums);
  t.fini = [cf](void **objp) { cf({objp}, nullptr, nullptr); };
  for (const auto &m : obj) {
    if (!m.is_array() || m.empty()) continue;
    if (m[0] == "$RESTRICT" && !t.methods.empty()) t.methods.back().where = restrict_of(l, m);  // of the $METHOD before
    if (m[0] != "$METHOD") continue;
    CProto p = proto_of(l, m.at(2));
    Method meth{m.at(1).get<std::string>(), p.ret, p.params, {}};
    CCall cm(Lead::method, std::move(p), enums);
    meth.call = [cm](VRT_CTX, void *o, Args &a, Value &r) { cm({ctx, o}, &a, &r); };
    t.methods.push_back(std::move(meth));
  }
  return t;
}

// $FUNC: ["$FUNC", name, proto].
Function function_of(const Library &l, const json &st, const EnumOf &enums) {
  CProto p = proto_of(l, st.at(2));
  Function f{st.at(1).get<std::string>(), p.ret, p.params, {}};
  CCall cf(Lead::function, std::move(p), enums);
  f.call = [cf](VRT_CTX, Args &a, Value &r) { cf({ctx}, &a, &r); };
  return f;
}

// $ALIAS "obj.alias" "obj.method" (or "alias" "function"): the method or function again
// under the alias (as the glue does).
void add_alias(const Library &l, Module &m, const json &st) {
  std::string alias = st.at(1).get<std::string>(), target = st.at(2).get<std::string>();
  auto ad = alias.find('.'), td = target.find('.');
  if (ad == std::string::npos && td == std::string::npos) {
    const Function *f = m.function(target);
    if (f == nullptr) fail(l.path, fmt::format("bad metadata ($ALIAS {}: no function {})", alias, target));
    Function copy = *f;
    copy.name = alias;
    m.functions.push_back(std::move(copy));
    return;
  }
  if (ad == std::string::npos || td == std::string::npos) return;
  for (auto &o : m.objects) {
    if (o.object != target.substr(0, td)) continue;
    const Method *t = o.method(target.substr(td + 1));
    if (t == nullptr) fail(l.path, fmt::format("bad metadata ($ALIAS {}: no {})", alias, target));
    Method copy = *t;
    copy.name = alias.substr(ad + 1);
    o.methods.push_back(std::move(copy));
  }
}

Module module_of(Library &l) {
  json j;
  try {
    j = json::parse(json_text(l));
  } catch (const json::exception &e) {
    fail(l.path, fmt::format("bad metadata ({})", e.what()));
  }
  Module m;
  m.name = l.name;
  m.task_id = &l.task_key;
  vmod_event_f *event = nullptr;
  try {
    if (!j.is_array() || j.empty() || j[0].at(0) != "$VMOD") fail(l.path, "bad metadata (no $VMOD stanza first)");
    const json &v = j[0];
    if (v.at(1) != "2.0") fail(l.path, "bad metadata (Syntax != 2.0)");
    if (v.at(2) != l.name || v.at(3) != l.data->func_name || v.at(4) != l.data->file_id)
      fail(l.path, "VMOD data is mangled (the JSON's $VMOD does not match the descriptor)");
    check_versions(l, version_of(l, v.at(6)), version_of(l, v.at(7)), v.at(5).get<std::string>());
    for (const auto &st : j)
      if (st.at(0) == "$CPROTO") l.members = table_members(l, st);
    if (l.members.empty()) fail(l.path, "bad metadata (Bad cproto stanza(s))");
    auto enums = [lib = &l](const std::string &value) -> VCL_ENUM {
      for (std::size_t i = 0; i < lib->members.size(); i++)
        if (lib->members[i] == "enum_" + value)
          return *static_cast<const VCL_ENUM *>(static_cast<const void *const *>(lib->data->func)[i]);
      return nullptr;
    };
    bool after_func = false;  // a top-level $RESTRICT restricts the $FUNC just before it
    for (const auto &st : j) {
      if (st.at(0) == "$RESTRICT" && after_func) m.functions.back().where = restrict_of(l, st);
      after_func = st.at(0) == "$FUNC";
      if (st.at(0) == "$OBJ") m.objects.push_back(object_of(l, st, enums));
      if (after_func) m.functions.push_back(function_of(l, st, enums));
      if (st.at(0) == "$EVENT") event = reinterpret_cast<vmod_event_f *>(const_cast<void *>(entry(l, st.at(1))));
      if (st.at(0) == "$ALIAS") add_alias(l, m, st);
    }
  } catch (const json::exception &e) {
    fail(l.path, fmt::format("bad metadata ({})", e.what()));
  } catch (const std::invalid_argument &e) {
    fail(l.path, fmt::format("cannot call into it: {}", e.what()));
  }
  if (event_slots_used == kMaxVmods) fail(l.path, fmt::format("more than {} vmods loaded", kMaxVmods));
  event_slots[event_slots_used] = EventSlot{l.name, event};
  m.event = slot_events[event_slots_used++];
  return m;
}

Library *open_library(const std::string &path, const std::string &name) {
  auto l = std::make_unique<Library>();
  l->path = path;
  l->name = name;
  l->handle = dlopen_code_under_test(path, RTLD_NOW | RTLD_LOCAL);
  if (l->handle == nullptr) fail(path, fmt::format("dlopen() failed: {}", dlerror()));
  std::string sym = "Vmod_" + name + "_Data";
  l->data = static_cast<const struct vmod_data *>(dlsym(l->handle, sym.c_str()));
  if (l->data == nullptr) fail(path, fmt::format("no {} in it: not the vmod '{}' (a file built by vmodtool "
                                                 "for `$Module {}`)", sym, name, name));
  check_descriptor(*l);
  return l.release();
}

}  // namespace

std::string vmod_name_of(const std::string &path) {
  static const std::regex form(R"(libvmod_([A-Za-z][A-Za-z0-9_]*)\.so)");
  std::smatch m;
  std::string file = std::filesystem::path(path).filename().string();
  return std::regex_match(file, m, form) ? m[1].str() : "";
}

Module read_vmod(const std::string &path) {
  std::string name = vmod_name_of(path);
  if (name.empty()) fail(path, "not a vmod file name (expected libvmod_NAME.so)");
  // Never dlclose()d, even when its metadata fails: its constructors may have run.
  std::unique_ptr<Library> l(open_library(path, name));
  Module m = module_of(*l);
  m.file = path;
  libraries().push_back(std::move(l));
  return m;
}

std::string load_vmod(const std::string &path) {
  std::error_code ec;
  std::string canon = std::filesystem::weakly_canonical(path, ec).string();
  if (ec) canon = path;
  static std::map<std::string, std::string> loaded;  // vmod name -> file
  std::string name = vmod_name_of(canon);
  auto it = loaded.find(name);
  if (it != loaded.end()) {
    if (it->second == canon) return name;
    fail(path, fmt::format("a vmod '{}' is already loaded from {}", name, it->second));
  }
  // register_module() keeps the first of two equals: say so rather than run the other one.
  if (const Module *linked = find_module(name); linked != nullptr && !linked->builtin)
    fail(path, fmt::format("this simrun has the vmod '{}' linked in already (vdisim_add_vmod_test); "
                           "run the plain simrun to load it from its .so", name));
  register_module(read_vmod(canon));
  loaded[name] = canon;
  return name;
}

std::vector<std::string> load_scenario_vmods(const scenario::Scenario &sc) {
  std::vector<std::string> errors;
  for (const auto &v : sc.vmods) {
    try {
      load_vmod(v.path);
    } catch (const VmodLoadError &e) {
      errors.push_back(fmt::format("{}:{}:{}: {}: {}", v.file.empty() ? sc.file : v.file, v.mark.line, v.mark.col,
                                   v.file.empty() ? "vmods" : "import", e.what()));
    }
  }
  return errors;
}

}  // namespace vdisim::runner::vmod
