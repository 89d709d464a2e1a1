// One VCL the scenario runner loaded: its runtime object and what its vcl_init made.
#pragma once
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "sim/fake_vrt/runtime.hpp"
#include "sim/runner/director_object.hpp"
#include "sim/runner/keys.hpp"
#include "sim/runner/routes.hpp"
#include "sim/scenario/model.hpp"
#include "vcl.h"

namespace vdisim::runner {

struct LoadedVcl {
  const scenario::Vcl *model = nullptr;
  struct vcl *v = nullptr;
  std::vector<VCL_BACKEND> backends;
  std::vector<std::shared_ptr<DirectorObject>> directors;  // null: made at run time, not (yet)
  std::vector<char> fini_done;  // per director: its __fini ran (a timeline `fini:` before the VCL's)
  std::deque<struct vrt_backend_probe> probes;  // a deque: backends keep pointers into it
  std::vector<std::unique_ptr<struct vmod_priv>> vmod_privs;  // one per imported vmod
  std::unique_ptr<VclRoutes> routes;  // a VCL file's `if` selections; null when it has none

  VCL_BACKEND target(VRT_CTX, scenario::TargetKind kind, std::size_t index, const ClientRequest &req) const {
    if (kind == scenario::TargetKind::backend) return backends.at(index);
    const auto &d = directors.at(index);
    return d ? d->backend(ctx, req) : nullptr;
  }
  bool alive() const { return v && !v->gone; }
};

}  // namespace vdisim::runner
