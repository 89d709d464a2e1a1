// The CLI commands that walk directors: backend.set_health and backend.list. Both walk
// as Varnish 8.0.0's VCL_IterDirector does: a pattern without a VCL name ("web*", "" or
// "*") is matched as "ACTIVE.pattern" on the active VCL inside an iteration transaction
// (directors that resign meanwhile stay until the walk ends, A7); a pattern naming VCLs
// ("*.*", "boot.web1") walks every VCL with vcl_mtx held the whole time, so a director's
// list, healthy or event callback then runs under vcl_mtx. That is the lock order
// monitoring (`backend.list` every second) races against in real vmods.
#include <fmt/format.h>

#include <algorithm>
#include <cstdarg>
#include <fnmatch.h>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/fake_vrt/vpi.hpp"
#include "vsb.h"
#include "vte.h"
#include "vtim.h"

namespace vdisim::vrt {

int append_to_string(void *priv, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  static_cast<std::string *>(priv)->append(vformat(fmt, ap));
  va_end(ap);
  return 0;
}

int Runtime::iter_directors(const std::string &pattern, const std::function<void(vcldir *)> &fn) {
  bool qualified = pattern.find('.') != std::string::npos;
  if (!qualified && active_ == nullptr) return 0;
  std::string pat = qualified ? pattern : active_->name + "." + (pattern.empty() ? "*" : pattern);
  int n = 0;
  auto visit = [&](vcldir *vd) {
    if (vd->destroyed || vd->deleted || fnmatch(pat.c_str(), vd->cli_name.c_str(), 0) != 0) return;
    n++;
    fn(vd);
  };
  if (!qualified) {
    struct vcl *v = active_;
    transaction_begin(v);
    std::vector<vcldir *> walk(v->dirs.begin(), v->dirs.end());  // one added meanwhile is not visited
    try {
      for (vcldir *vd : walk)
        if (vd->refcnt > 0) visit(vd);
    } catch (...) {
      transaction_end(v);
      throw;
    }
    transaction_end(v);
    return n;
  }
  std::lock_guard<sim::Mutex> lk(vcl_mtx_);
  for (auto &vp : vcls_) {
    if (vp->gone) continue;
    std::vector<vcldir *> walk(vp->dirs.begin(), vp->dirs.end());
    for (vcldir *vd : walk) visit(vd);
  }
  return n;
}

int Runtime::set_health(const std::string &pattern, const std::string &state) {
  mark_cli_thread();
  poll();  // C5: before each CLI command
  int admin;
  if (state == "healthy") admin = 1;
  else if (state == "sick") admin = 0;
  else if (state == "auto") admin = -1;
  else throw std::invalid_argument("backend.set_health: state must be healthy, sick or auto");
  return iter_directors(pattern, [&](vcldir *vd) {
    if (vd->admin_health == admin) return;
    vd->admin_health = admin;
    vd->health_changed = VTIM_real();
    tracef("health", FMT_COMPILE("{} admin {}"), vd->cli_name, state);
    send_event(vd, VDI_EVENT_SICK);  // D5: either direction
  });
}

namespace {

const char *admin_text(const vcldir *vd) {
  if (vd->admin_health == 1) return "healthy";
  if (vd->admin_health == 0) return "sick";
  return vd->methods->healthy ? "probe" : "healthy";
}

// One director's `list` callback output, written where varnishd writes it (into the CLI
// answer, whose indentation then applies to the callback's lines too); without one, its
// health as VRT_Healthy says (a scheduling point of its own). The list callback is
// director code: scheduling points around it, as VRT_Healthy has around `healthy`.
void list_cb(Runtime &rt, VRT_CTX, vcldir *vd, struct vsb *vsb, int pflag, int jflag) {
  if (vd->methods->list != nullptr) {
    rt.sched({vd->dir, false, "backend.list"});
    {
      Runtime::Acting a(rt, vd);
      vd->methods->list(ctx, vd->dir, vsb, pflag, jflag);
    }
    rt.sched();
  } else if (!pflag) {
    bool healthy = vd->methods->healthy == nullptr || VRT_Healthy(ctx, vd->dir, nullptr);
    VSB_printf(vsb, jflag ? "[0, 0, \"%s\"]" : "0/0\t%s", healthy ? "healthy" : "sick");
  }
}

std::string list_text(Runtime &rt, VRT_CTX, vcldir *vd, int pflag) {
  CliText t;
  list_cb(rt, ctx, vd, t.vsb, pflag, 0);
  return t.take();
}

}  // namespace

CliText::CliText() : vsb(VSB_new_auto()) { AN(vsb); }
CliText::~CliText() { VSB_destroy(&vsb); }

std::string CliText::take() {
  AZ(VSB_finish(vsb));
  std::string out = VSB_data(vsb);
  VSB_clear(vsb);
  return out;
}

void CliText::json_str(const std::string &s) {
  VSB_putc(vsb, '"');
  VSB_quote(vsb, s.data(), static_cast<int>(s.size()), VSB_QUOTE_JSON);
  VSB_putc(vsb, '"');
}

void CliText::json_begin(unsigned version, const std::vector<std::string> &av) {
  VSB_printf(vsb, "[ %u, [", version);
  for (std::size_t i = 0; i < av.size(); i++) {
    if (i > 0) VSB_cat(vsb, ", ");
    json_str(av[i]);
  }
  VSB_printf(vsb, "], %.3f", VTIM_real());
  VSB_indent(vsb, 2);
}

void CliText::json_end() {
  VSB_indent(vsb, -2);
  VSB_cat(vsb, "\n]\n");
}

std::vector<std::string> cli_words(std::string_view command) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while ((i = command.find_first_not_of(" \t\n", i)) != std::string_view::npos) {
    std::size_t end = std::min(command.find_first_of(" \t\n", i), command.size());
    out.emplace_back(command.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string Runtime::backend_list(const std::vector<std::string> &av) {
  // Words that start with '-' are flags (-p toggles, as in varnishd); then one pattern.
  bool pflag = false, jflag = false;
  std::size_t i = 1;
  for (; i < av.size() && av[i].starts_with('-'); i++) {
    for (char c : std::string_view(av[i]).substr(1)) {
      if (c == 'p') pflag = !pflag;
      else if (c == 'j') jflag = true;
      else return fmt::format("Invalid flag {}", c);
    }
  }
  if (i + 1 < av.size()) return "Too many arguments";
  const std::string pattern = i < av.size() ? av[i] : "";
  mark_cli_thread();
  poll();
  Task cli(*this, nullptr, 0);  // VCL_Get_CliCtx: no VCL, no method
  const struct vrt_ctx *ctx = cli.ctx();
  if (jflag) return backend_list_json(ctx, av, pattern, pflag);
  std::string out;
  struct vte *vte = VTE_new(5, 80);
  VTE_printf(vte, "%s\t%s\t%s\t%s\t%s\n", "Backend name", "Admin", "Probe", "Health", "Last change");
  iter_directors(pattern, [&](vcldir *vd) {
    char when[VTIM_FORMAT_SIZE];
    VTIM_format(vd->health_changed, when);
    VTE_printf(vte, "%s\t%s\t", vd->cli_name.c_str(), admin_text(vd));
    VTE_cat(vte, list_text(*this, ctx, vd, 0).c_str());
    VTE_printf(vte, "\t%s", when);
    if (pflag && vd->methods->list) VTE_cat(vte, list_text(*this, ctx, vd, 1).c_str());
    VTE_cat(vte, "\n");
  });
  AZ(VTE_finish(vte));
  AZ(VTE_format(vte, append_to_string, &out));
  VTE_destroy(&vte);
  return out;
}

// `backend.list -j`: varnishd's CLI JSON (version 3): the command echoed, the time, then
// one object per director, keyed by its name, each director's own `list` output inside.
std::string Runtime::backend_list_json(VRT_CTX, const std::vector<std::string> &av, const std::string &pattern,
                                       bool pflag) {
  CliText t;
  t.json_begin(3, av);
  VSB_cat(t.vsb, ",\n{\n");
  VSB_indent(t.vsb, 2);
  const char *sep = "";
  iter_directors(pattern, [&](vcldir *vd) {
    VSB_cat(t.vsb, sep);
    sep = ",\n";
    t.json_str(vd->cli_name);
    VSB_cat(t.vsb, ": {\n");
    VSB_indent(t.vsb, 2);
    VSB_printf(t.vsb, "\"type\": \"%s\",\n", vd->methods->type ? vd->methods->type : "");
    VSB_printf(t.vsb, "\"admin_health\": \"%s\",\n", admin_text(vd));
    VSB_cat(t.vsb, "\"probe_message\": ");
    list_cb(*this, ctx, vd, t.vsb, 0, 1);
    VSB_cat(t.vsb, ",\n");
    if (pflag && vd->methods->list) {
      VSB_cat(t.vsb, "\"probe_details\": ");
      list_cb(*this, ctx, vd, t.vsb, 1, 1);
    }
    VSB_printf(t.vsb, "\"last_change\": %.3f\n", vd->health_changed);
    VSB_indent(t.vsb, -2);
    VSB_cat(t.vsb, "}");
  });
  VSB_indent(t.vsb, -2);
  VSB_cat(t.vsb, "\n}");
  t.json_end();
  return t.take();
}

}  // namespace vdisim::vrt
