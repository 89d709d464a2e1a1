// main() of the vmod lifecycle suite: the generic lifecycle property of property_tests/
// (load, warm, cold, discard, add/remove backends, requests, release, destroy against the
// VRT_SPEC model) run on every object of the vmods given with `--vmod libvmod_NAME.so`
// (loaded as varnishd loads them, sim/runner/vmod_load.hpp; installed as
// vdisim-vmod-suite, run by vdisim_add_vmod_test and vdisim check-vmod), alone and mixed
// with vmod_directors. Traits come from the object's .vcc (see docs/vmod-authors.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "property_tests/any_object.hpp"
#include "property_tests/suites.hpp"
#include "property_tests/types.hpp"
#include "sim/runner/isolate.hpp"
#include "sim/runner/short_types.hpp"
#include "sim/runner/vmod_load.hpp"
#include "sim/runner/vmod_registry.hpp"

namespace vm = vdisim::runner::vmod;

namespace {

int g_cases = 300;
std::string g_self = "./property_tests";

// The reports' repro lines name this program; ours adds the --vmod arguments it was given.
void expect_passes(const prop::Found &f) {
  std::string report = f.report;
  const std::string program = vdisim::runner::this_program("property_tests").string();
  for (std::size_t at = 0; (at = report.find(program, at)) != std::string::npos;) {
    report.replace(at, program.size(), g_self);
    at += g_self.size();
  }
  std::cout << report << std::endl;
  EXPECT_FALSE(f.failed) << report;
}

// The simrun installed beside this program (vdisim-vmod-suite and simrun share bin/).
std::string simrun_beside(const char *argv0) {
  std::error_code ec;
  std::filesystem::path s = vdisim::runner::this_program(argv0).parent_path() / "simrun";
  return std::filesystem::exists(s, ec) ? s.string() : "simrun";
}

// Loads the vmods of `--vmod PATH` / `--vmod=PATH` (removed from argv); false on an error,
// said on stderr. Each is repeated in the repro lines (g_self).
bool load_vmods(int &argc, char **argv) {
  int out = 1;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i], path;
    if (a == "--vmod") {
      if (i + 1 == argc) {
        std::cerr << "vdisim-vmod-suite: --vmod needs a path (libvmod_NAME.so)\n";
        return false;
      }
      path = argv[++i];
    } else if (a.rfind("--vmod=", 0) == 0) {
      path = a.substr(7);
    } else {
      argv[out++] = argv[i];
      continue;
    }
    try {
      vm::load_vmod(path);
    } catch (const vm::VmodLoadError &e) {
      std::cerr << "vdisim-vmod-suite: --vmod " << e.what() << "\n";
      return false;
    }
    g_self += " --vmod " + std::filesystem::absolute(path).lexically_normal().string();
  }
  argc = out;
  return true;
}

class AnyObject : public ::testing::Test {
 public:
  explicit AnyObject(std::string type) : type_(std::move(type)) {}
  void TestBody() override { expect_passes(prop::any::check_any_object(type_, prop::budget(g_cases))); }

 private:
  std::string type_;
};

class Lifecycle : public ::testing::Test {
 public:
  Lifecycle(std::string id, std::vector<std::string> types) : id_(std::move(id)), types_(std::move(types)) {}
  void TestBody() override {
    prop::LifecycleProperty p = prop::lifecycle(id_, types_);
    p.exec.isolate = true;  // the vmod's own code: a crash or its globals stay in the child
    expect_passes(prop::check_lifecycle(p, prop::budget(g_cases)));
  }

 private:
  std::string id_;
  std::vector<std::string> types_;
};

}  // namespace

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  g_self = argv[0];
  prop::set_simrun_program(simrun_beside(argv[0]));
  if (!load_vmods(argc, argv)) return 2;
  if (const char *c = std::getenv("VDISIM_VMOD_CASES")) g_cases = std::atoi(c);
  for (int i = 1; i < argc; i++)
    if (std::string(argv[i]).rfind("--cases=", 0) == 0) g_cases = std::atoi(argv[i] + 8);
  if (const char *p = std::getenv("VDISIM_REPRO_PROGRAM")) prop::set_simrun_program(p);
  vdisim::runner::register_builtin_directors();
  for (const auto &n : vm::registry_notices()) std::cout << n << "\n";
  int registered = 0;
  for (const std::string &type : vm::registered_objects()) {
    const vm::ObjectType *t = vm::find_object(type);
    const vm::Module *mod = vm::find_module(type.substr(0, type.find('.')));
    if (mod && mod->builtin) continue;  // vdisim's own directors have their own suite
    std::string name = type;
    for (char &c : name)
      if (c == '.') c = '_';
    // Every object: driven from its .vcc alone, under every checker.
    ::testing::RegisterTest("VmodAnyObject", (name + "_A8_B2_C5_C6_S1_S4").c_str(), nullptr, nullptr,
                            __FILE__, __LINE__, [type] { return new AnyObject(type); });
    registered++;
    // Objects shaped like a vmod_directors director also run against the reference model.
    // Objects with members or resolver answers also run against the reference model,
    // with the traits their .vcc declares (no pick rules: those are vmod_directors').
    prop::TypeTraits tr = prop::traits_of(type, "", *t);
    if (!tr.members && !tr.dynamic) {
      std::cout << type << ": takes no members and no resolver answers; the reference model does not apply, "
                << "the any-object property drives it (see docs/vmod-authors.md)\n";
      continue;
    }
    prop::register_vmod_type(type, "");
    ::testing::RegisterTest("VmodLifecycle", (name + "_A5_A6_A8_B1_B2_C2_C3_C5_alone_and_nested").c_str(), nullptr,
                            nullptr, __FILE__, __LINE__, [type] { return new Lifecycle("vmod-" + type, {type}); });
    std::vector<std::string> mixed = {type, "round_robin", "fallback"};
    if (tr.dynamic) mixed.push_back("dynamic");
    ::testing::RegisterTest("VmodLifecycle", (name + "_mixed_with_vmod_directors").c_str(), nullptr, nullptr,
                            __FILE__, __LINE__, [type, mixed] { return new Lifecycle("vmod-mixed-" + type, mixed); });
  }
  // Every vmod's $Functions, alone: called from requests in generated VCLs (a vmod with
  // no object is still driven: varnish-modules' vsthrottle, var, header ...).
  for (const std::string &name : vm::registered_modules()) {
    const vm::Module *mod = vm::find_module(name);
    if (mod->builtin || mod->functions.empty()) continue;
    if (prop::any::request_functions(*mod).empty()) {  // e.g. 8.0.0's directors.lookup(): housekeeping only
      std::cout << "vmod " << name << ": its $Functions are not allowed in vcl_recv or vcl_backend_response "
                << "($Restrict); no requests call them\n";
      continue;
    }
    ::testing::RegisterTest("VmodAnyFunctions", (name + "_A8_B2_C5_C6_S1_S4").c_str(), nullptr, nullptr, __FILE__,
                            __LINE__, [name] { return new AnyObject(name); });
    registered++;
  }
  if (registered == 0) {
    std::cerr << "vdisim-vmod-suite: no vmod object to test ("
              << (g_self.find(" --vmod ") == std::string::npos
                      ? "give --vmod path/libvmod_NAME.so"
                      : "the vmods given declare no $Object, and no $Function that requests may call")
              << ")\n";
    return 1;
  }
  return RUN_ALL_TESTS();
}
