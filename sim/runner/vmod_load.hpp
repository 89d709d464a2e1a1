// Loading a vmod the way varnishd does: dlopen() libvmod_NAME.so, check its Vmod_NAME_Data
// descriptor (VRT version, or the ABI string of an in-tree vmod), read the JSON vmodtool
// embedded in it and register a Module whose thunks call the vmod's C functions through
// its function table (vmod_ffi.hpp). Used by simrun for a scenario's `vmods:`. A loaded
// vmod is never unloaded: its code must outlive every run of the process.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/runner/vmod_registry.hpp"
#include "sim/scenario/model.hpp"

namespace vdisim::runner::vmod {

// what(): "PATH: what is wrong" (several lines for a version mismatch, as varnishd's).
struct VmodLoadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The vmod's name from its file name (libvmod_NAME.so, as `import NAME from "PATH"`
// names it for varnishd); "" if the file name has not that form.
std::string vmod_name_of(const std::string &path);

// Opens and checks the file and describes it as a Module (not registered). The library
// stays loaded. Throws VmodLoadError.
Module read_vmod(const std::string &path);

// read_vmod() + register_module(); returns the vmod's name. The same file again is a
// no-op; another file with a vmod of the same name is an error.
std::string load_vmod(const std::string &path);

// Loads every vmod of the scenario's `vmods:`; "file:line:col: message" lines for those
// that fail (empty: all loaded).
std::vector<std::string> load_scenario_vmods(const scenario::Scenario &sc);

}  // namespace vdisim::runner::vmod
