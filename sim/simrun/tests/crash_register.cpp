// Registers "mutant:crash_test" as simrun_crashtest loads this module (crash_load.cpp).
#include "sim/runner/director_object.hpp"
#include "sim/simrun/tests/crash_director.h"

namespace {
const bool registered = [] {
  vdisim::runner::director_types()["mutant:crash_test"] = [](VRT_CTX, const std::string &name,
                                                            const vdisim::scenario::Director &) {
    auto d = std::make_unique<vdisim::runner::FnDirector>();
    VCL_BACKEND dir = crash_director_new(ctx, name.c_str());
    d->add = [dir](VRT_CTX, VCL_BACKEND be, double) {
      (void)ctx;
      crash_director_add(dir, be);
    };
    d->pick = [dir](VRT_CTX, const vdisim::runner::ClientRequest &) {
      (void)ctx;
      return dir;
    };
    d->fin = [dir]() mutable { VRT_DelDirector(&dir); };
    return std::unique_ptr<vdisim::runner::DirectorObject>(std::move(d));
  };
  return true;
}();
}  // namespace
