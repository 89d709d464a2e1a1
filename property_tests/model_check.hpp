// The model against the runtime at a quiescent point: VCL temperatures and director
// lists, each object's life, refcount and admin health, the live total, and VRT_Healthy.
// run_case calls it from RunRequest::on_quiescent, inside a Sim::Quiet section.
#pragma once
#include <functional>
#include <string>

#include "property_tests/model.hpp"
#include "sim/fake_vrt/runtime.hpp"

namespace prop {

struct RuntimeFacts {
  vdisim::vrt::Runtime &rt;
  std::function<struct vcl *(int inst)> vcl;  // the load of instance inst
  std::function<vcldir *(int id)> dir;       // object id's director (kept after its destroy)
};

// "" when everything matches, else the first mismatch, "after phase P: ..." with its rule.
std::string check_model(const Model &m, const RuntimeFacts &f, int phase);

}  // namespace prop
