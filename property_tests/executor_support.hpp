// Internal to the lifecycle executor (executor.cpp): the request's task-long director
// hold, the probe the tests give dynamic directors, resolver answers as text.
#pragma once
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace prop {

// A director reference a request's task keeps until the task ends (VRT_priv_task), the
// way a vmod bridges the A9 gap; "re-assign" makes it VCL's `set x = x` on that slot.

// interval 200 ms, timeout 20 ms, window = threshold = initial = 1.
vdisim::scenario::ProbeSpec probe_spec();

// "h0:80,h2:80" for the hosts in mask.
std::string answers(int mask);

// What the executor gives each VCL as its text, so that vcl.show has one to print.
std::string vcl_source(const std::string &name, int inst);
// `vcl.list -j` output that breaks what holds of any VCL list: varnishd's envelope, one
// active entry, names listed once, every label pointing at a listed VCL, and each VCL in
// `loaded` (names the executor loaded and did not discard) there. "" when it all holds.
std::string vcl_list_problem(const std::string &json, const std::vector<std::string> &loaded);

}  // namespace prop
