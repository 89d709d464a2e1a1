// Native backends (leaf directors made by VRT_new_backend, static or dynamic) with their
// simulated endpoints and health probes on virtual time (E1..E5, D6). The registry maps
// a backend's host header ("host:port") to the Endpoint that answers for it.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/fake_vrt/endpoint.hpp"
#include "sim/fake_vrt/probe_window.hpp"
#include "sim/sync.hpp"
#include "vrt.h"

namespace vdisim::vrt {

struct BackendStats {
  std::string host;  // the endpoint it talks to
  std::uint64_t fetches = 0, fetches_while_sick = 0, errors = 0, refused = 0, timeouts = 0, busy = 0;
  std::uint64_t probes = 0, went_sick = 0, went_healthy = 0;
  std::vector<std::pair<std::int64_t, bool>> health;  // (virtual time, healthy) at each flip
};

// A backend declared in a VCL, created the way VCC-generated vcl_init code does it
// (VRT_new_backend, VRT_StaticDirector) with its VRT_delete_backend queued for vcl_fini.
VCL_BACKEND vcl_backend(VRT_CTX, const std::string &name, const std::string &host,
                        const struct vrt_backend_probe *probe = nullptr, unsigned max_connections = 0);

class BackendRegistry {
 public:
  void add_endpoint(const std::string &host, EndpointSpec spec, std::uint64_t seed);
  Endpoint *endpoint(const std::string &host) const;
  BackendStats &stats(const std::string &cli_name) { return stats_[cli_name]; }
  const std::map<std::string, BackendStats> &all_stats() const { return stats_; }
  int live_probes = 0;  // probe actors currently allowed to poke (warm backends)
  // Varnish's vbp_mtx: a probe's health update with its SICK event (D6) and stopping a
  // probe (E5) exclude each other, so a stopped probe tells its backend nothing more.
  sim::Mutex vbp_mtx{"vbp_mtx"};

 private:
  std::map<std::string, std::unique_ptr<Endpoint>> endpoints_;
  std::map<std::string, BackendStats> stats_;
};

}  // namespace vdisim::vrt
