// The CLI commands that only read the VCL list: vcl.list and vcl.show. varnishd keeps
// VCLs and labels on one list in creation order (a label is an entry whose state is
// "label"); vcl.list prints it with the column layout of Varnish 8.0.0's child (checked
// against varnishd 7.1.1, which prints the same columns).
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "sim/fake_vrt/runtime.hpp"
#include "vas.h"
#include "vsb.h"
#include "vte.h"

namespace vdisim::vrt {

namespace {

// One line of vcl.list: a VCL, or a label (to != nullptr).
struct ListEntry {
  std::uint64_t seq;
  const struct vcl *v;
  std::string label;
  const struct vcl *to;
};

// `vcl.list -j`: varnishd's CLI JSON (version 2, as the child answers the manager).
template <typename Status>
std::string vcl_list_json(const std::vector<ListEntry> &entries, Status status) {
  CliText t;
  t.json_begin(2, {"vcl.list", "-j"});
  VSB_cat(t.vsb, ",\n");
  for (std::size_t i = 0; i < entries.size(); i++) {
    const ListEntry &e = entries[i];
    VSB_cat(t.vsb, "{\n");
    VSB_indent(t.vsb, 2);
    VSB_printf(t.vsb, "\"status\": \"%s\",\n", status(e));
    VSB_printf(t.vsb, "\"state\": \"%s\",\n", e.v ? e.v->state.c_str() : "label");
    VSB_printf(t.vsb, "\"temperature\": \"%s\",\n", e.v ? to_string(e.v->temp) : "warm");
    VSB_printf(t.vsb, "\"busy\": %d,\n", e.v ? e.v->busy : 0);
    VSB_cat(t.vsb, "\"name\": ");
    t.json_str(e.v ? e.v->name : e.label);
    if (!e.v) {
      VSB_cat(t.vsb, ",\n\"label\": {\n");
      VSB_indent(t.vsb, 2);
      VSB_cat(t.vsb, "\"name\": ");
      t.json_str(e.to->name);
      VSB_cat(t.vsb, "\n}");
      VSB_indent(t.vsb, -2);
    } else if (e.v->nlabels > 0) {
      VSB_printf(t.vsb, ",\n\"labels\": %d", e.v->nlabels);
    }
    VSB_indent(t.vsb, -2);
    VSB_cat(t.vsb, "\n}");
    if (i + 1 < entries.size()) VSB_cat(t.vsb, ",\n");
  }
  t.json_end();
  return t.take();
}

std::string plural(int n, const char *what) { return fmt::format("({} {}{})", n, what, n > 1 ? "s" : ""); }

}  // namespace

std::string Runtime::vcl_list(bool jflag) const {
  std::vector<ListEntry> entries;
  for (const auto &v : vcls_)
    if (!v->gone) entries.push_back({v->seq, v.get(), "", nullptr});
  for (const Label &l : labels_) entries.push_back({l.seq, nullptr, l.name, l.to});
  std::sort(entries.begin(), entries.end(), [](const ListEntry &a, const ListEntry &b) { return a.seq < b.seq; });
  auto status = [&](const ListEntry &e) {
    bool active = e.v ? (e.v == active_ && active_label_.empty()) : e.label == active_label_;
    return active ? "active" : e.v && e.v->discarded ? "discarded" : "available";
  };
  std::string out;
  if (jflag) return vcl_list_json(entries, status);
  struct vte *vte = VTE_new(7, 80);
  for (const ListEntry &e : entries) {
    if (e.v) {
      VTE_printf(vte, "%s\t%s\t%s\t\v%d\t%s", status(e), e.v->state.c_str(), to_string(e.v->temp), e.v->busy,
                 e.v->name.c_str());
      if (e.v->nlabels > 0) VTE_printf(vte, "\t<-\t%s", plural(e.v->nlabels, "label").c_str());
    } else {
      VTE_printf(vte, "%s\tlabel\twarm\t\v0\t%s\t->\t%s", status(e), e.label.c_str(), e.to->name.c_str());
    }
    VTE_cat(vte, "\n");
  }
  AZ(VTE_finish(vte));
  AZ(VTE_format(vte, append_to_string, &out));
  VTE_destroy(&vte);
  return out;
}

std::string Runtime::vcl_show(const std::string &name, bool verbose) const {
  const struct vcl *v = label_target(name);  // a label shows the VCL it points at
  if (!v) v = find_vcl(name);
  if (!v || v->gone) throw std::invalid_argument(fmt::format("vcl.show: No VCL named '{}'", name));
  if (v->source.empty())
    throw std::invalid_argument(fmt::format("vcl.show: VCL '{}' is described in YAML and has no VCL source", v->name));
  if (!verbose) return v->source;
  // -v: each source file behind a marker with its index, length and name (no builtin here:
  // vdisim does not carry varnishd's builtin VCL).
  return fmt::format("// VCL.SHOW 0 {} {}\n{}", v->source.size(), v->source_name, v->source);
}

}  // namespace vdisim::vrt
