// A lifecycle case run by the scenario runner: its export (yaml_export.hpp) loaded and run
// as simrun runs it, the model checked at each phase's quiescent point through
// RunRequest::on_quiescent (model_check.hpp). The step towards one engine for scenarios
// and property cases (issue 18): the executor (executor.hpp) still runs the suites.
#pragma once
#include "property_tests/case.hpp"
#include "property_tests/executor.hpp"

namespace prop {

// Throws std::invalid_argument if the export leaves an op out.
Outcome run_case_scenario(const Case &c, const ExecOptions &opts = {});

}  // namespace prop
