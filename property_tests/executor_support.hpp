// Internal to the lifecycle executor (executor.cpp): the request's task-long director
// hold, the probe the tests give dynamic directors, resolver answers as text.
#pragma once
#include <string>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace prop {

// A director reference a request's task keeps until the task ends (VRT_priv_task), the
// way a vmod bridges the A9 gap; "re-assign" makes it VCL's `set x = x` on that slot.
struct Hold {
  VCL_BACKEND be = nullptr;
};
Hold *hold(VRT_CTX, VCL_BACKEND d);

// interval 200 ms, timeout 20 ms, window = threshold = initial = 1.
vdisim::scenario::ProbeSpec probe_spec();

// "h0:80,h2:80" for the hosts in mask.
std::string answers(int mask);

}  // namespace prop
