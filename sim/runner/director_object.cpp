// The director type table (name -> factory) and the per-VCL vmod imports it implies;
// filled by the vmod registry (see director_object.hpp).
#include "sim/runner/director_object.hpp"
#include "sim/runner/vmod_registry.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace vdisim::runner {

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

std::vector<vrt::VmodHook> vmod_imports(const std::vector<std::string> &types_or_vmods,
                                        std::vector<std::unique_ptr<struct vmod_priv>> &privs) {
  std::vector<vrt::VmodHook> hooks;
  std::vector<std::string> seen;
  for (const auto &t : types_or_vmods) {
    VmodImport imp;
    if (auto it = director_vmods().find(t); it != director_vmods().end())
      imp = it->second;
    else if (const vmod::Module *m = vmod::find_module(t))
      imp = VmodImport{m->name, m->event};
    else
      continue;
    if (std::find(seen.begin(), seen.end(), imp.vmod) != seen.end()) continue;
    seen.push_back(imp.vmod);
    if (!imp.event) continue;
    privs.push_back(std::make_unique<struct vmod_priv>());
    struct vmod_priv *priv = privs.back().get();
    vmod_event_f *event = imp.event;
    hooks.push_back(vrt::VmodHook{imp.vmod, [event, priv](VRT_CTX, enum vcl_event_e e) { return event(ctx, priv, e); }});
  }
  return hooks;
}

std::vector<std::string> known_director_types() {
  std::vector<std::string> out;
  for (const auto &[k, v] : director_types()) out.push_back(k);
  return out;
}

std::string request_url(std::uint64_t key) { return fmt::format(FMT_COMPILE("/obj/{}"), key); }

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


ClientRequest request_for_key(std::uint64_t key) {
  ClientRequest r;
  r.http.url = request_url(key);
  r.http.headers = {{"Host", fmt::format(FMT_COMPILE("h{}.example"), key)}};
  r.client_identity = fmt::format(FMT_COMPILE("10.{}.{}.{}"), (key >> 16) & 0xff, (key >> 8) & 0xff, key & 0xff);
  return r;
}

namespace {
bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

std::string ClientRequest::host() const {
  const std::string *h = header("Host");
  return h ? *h : "";
}

const std::string *ClientRequest::header(std::string_view name) const {
  for (const auto &[n, value] : http.headers)
    if (same_name(n, name)) return &value;
  return nullptr;
}

void ClientRequest::unset_header(std::string_view name) {
  std::erase_if(http.headers, [&](const auto &h) { return same_name(h.first, name); });
}

void ClientRequest::set_header(const std::string &name, const std::string &value) {
  for (auto &h : http.headers)
    if (same_name(h.first, name)) {
      h = {name, value};
      return;
    }
  http.headers.emplace_back(name, value);
}

}  // namespace vdisim::runner
