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
    trace("health", fmt::format("{} admin {}", vd->cli_name, state));
    send_event(vd, VDI_EVENT_SICK);  // D5: either direction
  });
}

namespace {

const char *admin_text(const vcldir *vd) {
  if (vd->admin_health == 1) return "healthy";
  if (vd->admin_health == 0) return "sick";
  return vd->methods->healthy ? "probe" : "healthy";
}

// One director's `list` callback output, as varnishd asks for it; without one, its
// health as VRT_Healthy says (a scheduling point of its own). The list callback is
// director code: scheduling points around it, as VRT_Healthy has around `healthy`.
std::string list_cb(Runtime &rt, VRT_CTX, vcldir *vd, int pflag, int jflag) {
  struct vsb *vsb = VSB_new_auto();
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
  AZ(VSB_finish(vsb));
  std::string out = VSB_data(vsb);
  VSB_destroy(&vsb);
  return out;
}

}  // namespace

std::string Runtime::backend_list(const std::string &pattern, bool pflag, bool jflag) {
  mark_cli_thread();
  poll();
  Task cli(*this, nullptr, 0);  // VCL_Get_CliCtx: no VCL, no method
  const struct vrt_ctx *ctx = cli.ctx();
  std::string out;
  if (jflag) {
    out = "{\n";
    const char *sep = "";
    iter_directors(pattern, [&](vcldir *vd) {
      out += fmt::format("{}  \"{}\": {{\n    \"type\": \"{}\",\n    \"admin_health\": \"{}\",\n    \"probe_message\": {},\n",
                         sep, vd->cli_name, vd->methods->type ? vd->methods->type : "", admin_text(vd),
                         list_cb(*this, ctx, vd, 0, 1));
      if (pflag && vd->methods->list) out += "    \"probe_details\": " + list_cb(*this, ctx, vd, 1, 1);
      out += fmt::format("    \"last_change\": {:.3f}\n  }}", vd->health_changed);
      sep = ",\n";
    });
    return out + "\n}\n";
  }
  struct vte *vte = VTE_new(5, 80);
  VTE_printf(vte, "%s\t%s\t%s\t%s\t%s\n", "Backend name", "Admin", "Probe", "Health", "Last change");
  iter_directors(pattern, [&](vcldir *vd) {
    char when[VTIM_FORMAT_SIZE];
    VTIM_format(vd->health_changed, when);
    VTE_printf(vte, "%s\t%s\t", vd->cli_name.c_str(), admin_text(vd));
    VTE_cat(vte, list_cb(*this, ctx, vd, 0, 0).c_str());
    VTE_printf(vte, "\t%s", when);
    if (pflag && vd->methods->list) VTE_cat(vte, list_cb(*this, ctx, vd, 1, 0).c_str());
    VTE_cat(vte, "\n");
  });
  AZ(VTE_finish(vte));
  AZ(VTE_format(vte, append_to_string, &out));
  VTE_destroy(&vte);
  return out;
}

}  // namespace vdisim::vrt
