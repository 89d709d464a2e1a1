// Helpers of the fake VRT runtime tests (runtime_test.cpp, runtime_health_test.cpp).
#pragma once
#include <string>
#include <vector>

#include "sim/fake_vrt/testing/harness.hpp"

namespace vdisim::vrt::testing {

// Trace lines of the given topics, "topic: text", in order.
struct Recorder {
  std::vector<std::string> lines;
  Recorder(sim::Sim &s, std::vector<std::string> topics) {
    s.trace().set_hook([this, topics](const sim::EventView &e) {
      for (auto &t : topics)
        if (e.topic == t) lines.push_back(std::string(e.topic) + ": " + std::string(e.text));
    });
  }
  std::vector<std::string> only(const std::string &prefix) const {
    std::vector<std::string> out;
    for (auto &l : lines)
      if (l.rfind(prefix, 0) == 0) out.push_back(l);
    return out;
  }
};

inline vcldir *vd(VCL_BACKEND d) { return d->vdir; }

inline VmodHook recording_vmod(const std::string &name, std::vector<std::string> &log) {
  return {name, [&log, name](VRT_CTX, enum vcl_event_e ev) {
            static const char *n[] = {"LOAD", "WARM", "COLD", "DISCARD", "SICK"};
            (void)ctx;
            log.push_back(name + " " + n[ev]);
            return 0;
          }};
}

}  // namespace vdisim::vrt::testing
