// The scenario model's descriptions (sim/scenario/model.hpp) as the fake VRT takes them:
// latency distributions, server behaviours and probes.
#pragma once
#include "sim/fake_vrt/backend.hpp"
#include "sim/scenario/model.hpp"
#include "vrt.h"

namespace vdisim::runner {

vrt::LatencySpec latency_of(const scenario::Distribution &d);
// A server's endpoint from its behaviour (null: up, the default latency).
vrt::EndpointSpec endpoint_of(const scenario::Behavior *b);
// The probe as VCC would emit it for a `.probe = { ... }`.
struct vrt_backend_probe probe_of(const scenario::ProbeSpec &p);

}  // namespace vdisim::runner
