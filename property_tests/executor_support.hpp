// Internal to run_case (executor.cpp): the check of what a case's vcl.list -j printed.
#pragma once
#include <string>
#include <vector>

#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"

namespace prop {

// `vcl.list -j` output that breaks what holds of any VCL list: varnishd's envelope, one
// active entry, names listed once, every label pointing at a listed VCL, and each VCL in
// `loaded` (names loaded before the phase and not discarded in it) there. "" when it all holds.
std::string vcl_list_problem(const std::string &json, const std::vector<std::string> &loaded);

}  // namespace prop
